{# The scorecard's monthly actuals agree with other marts computed independently:
   churn with fct_customer_months (churned customer months / customer months), AHT
   with fct_queue_days (AHT weighted by handled contacts) and cost per contact with
   fct_queue_days' allocated cost over the contacts of days that had a cost (one
   number: the same rounding, so equal, not merely close). #}
with

scorecard as (

    select
        kpi,
        period_start_date,
        actual

    from {{ ref('rpt_okr_scorecard') }}
    where
        period_grain = 'month'
        and kpi in ('churn_rate', 'aht_seconds', 'cost_per_contact_amount')

),

customer_months as (

    select
        'churn_rate' as kpi,
        month_start_date as period_start_date,
        {{ safe_divide('count(*) filter (where is_churned)', 'count(*)') }}
            as actual

    from {{ ref('fct_customer_months') }}
    group by 1, 2

),

queue_days as (

    select
        'aht_seconds' as kpi,
        cast(date_trunc('month', interval_date) as date) as period_start_date,
        {{ safe_divide(
            'sum(aht_seconds * contacts_answered)',
            'sum(contacts_answered) filter (where aht_seconds is not null)'
        ) }} as actual

    from {{ ref('fct_queue_days') }}
    group by 1, 2

),

queue_day_costs as (

    select
        'cost_per_contact_amount' as kpi,
        cast(date_trunc('month', interval_date) as date) as period_start_date,
        cast({{ cost_per_unit_amount(
            'sum(allocated_staff_cost_amount)',
            'sum(contacts_answered) filter'
            ~ ' (where allocated_staff_cost_amount is not null)'
        ) }} as double) as actual

    from {{ ref('fct_queue_days') }}
    group by 1, 2

),

marts as (

    select * from customer_months
    union all
    select * from queue_days
    union all
    select * from queue_day_costs

)

select
    scorecard.kpi,
    scorecard.period_start_date,
    scorecard.actual,
    marts.actual as mart_actual

from scorecard
inner join marts
    on
        scorecard.kpi = marts.kpi
        and scorecard.period_start_date = marts.period_start_date
where
    (scorecard.actual is null) != (marts.actual is null)
    or abs(scorecard.actual - marts.actual) > 1e-6 * greatest(1, abs(marts.actual))
