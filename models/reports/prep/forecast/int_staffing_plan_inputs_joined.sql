{# The staffing plan's input: every forecast row with its queue's parameters.
   Service target from dim_queues. Patience: the queue's estimate over the whole
   history (time waited by abandoners / abandons), as rpt_staffing's stand-in;
   null for a queue where nobody ever abandoned, which the plan sizes by Erlang C
   and flags. Shrinkage and the loaded cost per staffed hour: the queue's over the
   last var plan_history_weeks weeks of history (they move with policy and
   payroll), shrinkage replaced by var plan_shrinkage_rate when that is set. The
   prices of a waiting second and an abandon are rpt_staffing's (one per channel).
   A view because a Python model reads it. #}
{%- set shrinkage = var('plan_shrinkage_rate') -%}
{%- if shrinkage is none -%}
{%- set shrinkage_rate = 'queue_measures.measured_shrinkage_rate' -%}
{%- else -%}
{%- set shrinkage_rate = 'cast(' ~ shrinkage ~ ' as double)' -%}
{%- endif -%}

with

forecasts as (

    select
        queue_id,
        horizon_week,
        contacts_offered_forecast,
        contacts_offered_upper_80,
        contacts_offered_upper_95,
        aht_seconds_forecast,
        interval_date,
        interval_start_local_at,
        interval_start_at

    from {{ ref('int_queue_interval_forecasts_computed') }}

),

dim_queues as (

    select
        queue_id,
        sl_threshold_seconds,
        sl_target_rate

    from {{ ref('dim_queues') }}

),

fct_queue_intervals as (

    select
        queue_id,
        contacts_abandoned,
        staffed_agents,
        shrinkage_rate,
        patience_seconds,
        interval_date

    from {{ ref('fct_queue_intervals') }}

),

int_queue_intervals_priced as (

    select
        queue_id,
        staffed_agents,
        agent_cost_per_hour_amount,
        waiting_cost_per_second_amount,
        abandon_cost_amount,
        interval_date

    from {{ ref('int_queue_intervals_priced') }}

),

history_end as (

    select
        cast(
            {{ dbt.dateadd(
                'day',
                -7 * var('plan_history_weeks') + 1,
                'max(interval_date)'
            ) }} as date
        ) as first_recent_date

    from fct_queue_intervals

),

queue_measures as (

    {# Shrinkage weighted by staffed agents (aux seconds / staffed seconds of the
       recent weeks: every interval has the same length). #}
    select
        fct_queue_intervals.queue_id,
        {{ safe_divide(
            'sum(fct_queue_intervals.patience_seconds'
            ~ ' * fct_queue_intervals.contacts_abandoned)',
            'sum(case when fct_queue_intervals.patience_seconds is not null'
            ~ ' then fct_queue_intervals.contacts_abandoned end)'
        ) }} as patience_seconds,
        {{ safe_divide(
            'sum(case when fct_queue_intervals.interval_date'
            ~ ' >= history_end.first_recent_date'
            ~ ' then fct_queue_intervals.shrinkage_rate'
            ~ ' * fct_queue_intervals.staffed_agents end)',
            'sum(case when fct_queue_intervals.interval_date'
            ~ ' >= history_end.first_recent_date'
            ~ ' and fct_queue_intervals.shrinkage_rate is not null'
            ~ ' then fct_queue_intervals.staffed_agents end)'
        ) }} as measured_shrinkage_rate

    from fct_queue_intervals
    cross join history_end
    group by fct_queue_intervals.queue_id

),

queue_prices as (

    {# The cost per staffed hour weighted by staffed agents; the prices are one
       per channel, so max() picks the queue's. #}
    select
        int_queue_intervals_priced.queue_id,
        {{ safe_divide(
            'sum(case when int_queue_intervals_priced.interval_date'
            ~ ' >= history_end.first_recent_date'
            ~ ' then int_queue_intervals_priced.agent_cost_per_hour_amount'
            ~ ' * int_queue_intervals_priced.staffed_agents end)',
            'sum(case when int_queue_intervals_priced.interval_date'
            ~ ' >= history_end.first_recent_date'
            ~ ' and int_queue_intervals_priced.agent_cost_per_hour_amount'
            ~ ' is not null'
            ~ ' then int_queue_intervals_priced.staffed_agents end)'
        ) }} as agent_cost_per_hour_amount,
        max(int_queue_intervals_priced.waiting_cost_per_second_amount)
            as waiting_cost_per_second_amount,
        max(int_queue_intervals_priced.abandon_cost_amount)
            as abandon_cost_amount

    from int_queue_intervals_priced
    cross join history_end
    group by int_queue_intervals_priced.queue_id

),

final as (

    select
        forecasts.queue_id,
        forecasts.horizon_week,
        forecasts.contacts_offered_forecast,
        forecasts.contacts_offered_upper_80,
        forecasts.contacts_offered_upper_95,
        forecasts.aht_seconds_forecast,
        queue_measures.patience_seconds,
        dim_queues.sl_threshold_seconds,
        dim_queues.sl_target_rate,
        {{ shrinkage_rate }} as shrinkage_rate,
        cast(queue_prices.agent_cost_per_hour_amount as double)
            as agent_cost_per_hour_amount,
        queue_prices.waiting_cost_per_second_amount,
        queue_prices.abandon_cost_amount,
        forecasts.interval_date,
        forecasts.interval_start_local_at,
        forecasts.interval_start_at

    from forecasts
    inner join dim_queues
        on forecasts.queue_id = dim_queues.queue_id
    left join queue_measures
        on forecasts.queue_id = queue_measures.queue_id
    left join queue_prices
        on forecasts.queue_id = queue_prices.queue_id

)

select * from final
