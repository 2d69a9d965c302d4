{# The scorecard's actuals agree with other marts computed independently: monthly
   churn with fct_customer_months (churned customer months / customer months); the
   service level, abandonment and AHT of every key result and period with
   fct_queue_intervals summed over the queues of the key result's channel scope
   (service level and abandonment from the summed counts through the same KPI
   macros, AHT weighted by handled contacts); cost per contact with fct_queue_days'
   allocated cost over the contacts of days that had a cost (one number: the same
   rounding, so equal, not merely close). So a key result counts exactly the
   channels its scope names: with e-mail in or out, the sums would differ. An
   actual without its counterpart in the marts is a mismatch too. #}
with

scorecard as (

    select
        key_result_id,
        kpi,
        channel_scope,
        period_start_date,
        period_end_date,
        actual

    from {{ ref('rpt_okr_scorecard') }}
    where
        kpi in (
            'service_level_rate', 'abandonment_rate', 'aht_seconds',
            'cost_per_contact_amount'
        )
        or (kpi = 'churn_rate' and period_grain = 'month')

),

queue_intervals as (

    select
        channel,
        interval_date,
        contacts_offered,
        contacts_answered,
        contacts_abandoned,
        contacts_answered_within_threshold,
        contacts_abandoned_within_threshold,
        contacts_short_abandoned,
        aht_seconds

    from {{ ref('fct_queue_intervals') }}

),

customer_months as (

    select
        month_start_date,
        is_churned

    from {{ ref('fct_customer_months') }}

),

queue_intervals_in_scope as (

    select
        scorecard.key_result_id,
        scorecard.kpi,
        scorecard.period_start_date,
        {{ queue_interval_kpi_sums('queue_intervals') }}

    from scorecard
    inner join queue_intervals
        on
            {{ in_channel_scope(
                'queue_intervals.channel', 'scorecard.channel_scope'
            ) }}
            and queue_intervals.interval_date >= scorecard.period_start_date
            and queue_intervals.interval_date <= scorecard.period_end_date
    where scorecard.kpi in ('service_level_rate', 'abandonment_rate', 'aht_seconds')
    group by 1, 2, 3

),

queue_interval_actuals as (

    select
        key_result_id,
        period_start_date,
        case kpi
            when 'service_level_rate' then {{ service_level_rate() }}
            when 'abandonment_rate' then {{ abandonment_rate() }}
            else {{ safe_divide('handle_time_seconds', 'contacts_with_handle_time') }}
        end as actual

    from queue_intervals_in_scope

),

churn_actuals as (

    select
        scorecard.key_result_id,
        scorecard.period_start_date,
        {{ safe_divide(
            'count(*) filter (where customer_months.is_churned)', 'count(*)'
        ) }} as actual

    from scorecard
    inner join customer_months
        on scorecard.period_start_date = customer_months.month_start_date
    where scorecard.kpi = 'churn_rate'
    group by 1, 2

),

queue_day_cost_actuals as (

    select
        scorecard.key_result_id,
        scorecard.period_start_date,
        cast({{ cost_per_unit_amount(
            'sum(queue_days.allocated_staff_cost_amount)',
            'sum(queue_days.contacts_answered) filter'
            ~ ' (where queue_days.allocated_staff_cost_amount is not null)'
        ) }} as double) as actual

    from scorecard
    inner join {{ ref('fct_queue_days') }} as queue_days
        on
            {{ in_channel_scope('queue_days.channel', 'scorecard.channel_scope') }}
            and queue_days.interval_date >= scorecard.period_start_date
            and queue_days.interval_date <= scorecard.period_end_date
    where scorecard.kpi = 'cost_per_contact_amount'
    group by 1, 2

),

marts as (

    select * from queue_interval_actuals
    union all
    select * from churn_actuals
    union all
    select * from queue_day_cost_actuals

)

select
    scorecard.key_result_id,
    scorecard.period_start_date,
    scorecard.actual,
    marts.actual as mart_actual

from scorecard
left join marts
    on
        scorecard.key_result_id = marts.key_result_id
        and scorecard.period_start_date = marts.period_start_date
where
    (scorecard.actual is null) != (marts.actual is null)
    or abs(scorecard.actual - marts.actual) > 1e-6 * greatest(1, abs(marts.actual))
