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
        interval_date,
        interval_start_at

    from {{ ref('fct_queue_intervals') }}

),

int_queue_intervals_priced as (

    select
        queue_id,
        staffed_agents,
        agent_cost_per_hour_amount,
        waiting_cost_per_second_amount,
        abandon_cost_amount,
        interval_date,
        interval_start_at

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

intervals_flagged as (

    select
        fct_queue_intervals.*,
        fct_queue_intervals.interval_date >= history_end.first_recent_date
            as is_recent

    from fct_queue_intervals
    cross join history_end

),

priced_flagged as (

    select
        int_queue_intervals_priced.*,
        int_queue_intervals_priced.interval_date >= history_end.first_recent_date
            as is_recent

    from int_queue_intervals_priced
    cross join history_end

),

queue_measures as (

    {# Shrinkage weighted by staffed agents: aux seconds / staffed seconds of the
       recent weeks, every interval being as long. Summed in a fixed order (macro
       ordered_sum), so an incremental run gives the bits of a full build. #}
    select
        queue_id,
        {{ safe_divide(
            ordered_sum('patience_seconds * contacts_abandoned', 'interval_start_at'),
            ordered_sum(
                'case when patience_seconds is not null'
                ~ ' then contacts_abandoned end',
                'interval_start_at'
            )
        ) }} as patience_seconds,
        {{ safe_divide(
            ordered_sum(
                'case when is_recent then shrinkage_rate * staffed_agents end',
                'interval_start_at'
            ),
            ordered_sum(
                'case when is_recent and shrinkage_rate is not null'
                ~ ' then staffed_agents end',
                'interval_start_at'
            )
        ) }} as measured_shrinkage_rate

    from intervals_flagged
    group by queue_id

),

queue_prices as (

    {# The cost per staffed hour weighted by staffed agents; the prices are one
       per channel, so max() picks the queue's. #}
    select
        queue_id,
        {{ safe_divide(
            ordered_sum(
                'case when is_recent'
                ~ ' then agent_cost_per_hour_amount * staffed_agents end',
                'interval_start_at'
            ),
            ordered_sum(
                'case when is_recent and agent_cost_per_hour_amount is not null'
                ~ ' then staffed_agents end',
                'interval_start_at'
            )
        ) }} as agent_cost_per_hour_amount,
        max(waiting_cost_per_second_amount) as waiting_cost_per_second_amount,
        max(abandon_cost_amount) as abandon_cost_amount

    from priced_flagged
    group by queue_id

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
