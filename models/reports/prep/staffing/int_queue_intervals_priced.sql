{# One row per queue x interval with everything the value-optimal staffing needs:
   workload, patience, actual staffing, the team's loaded rate and the prices of
   waiting and abandoning, each with the low and high ends of its interval. A view
   because a Python model reads it. #}
{%- set realtime = "('" ~ var('realtime_channels') | join("', '") ~ "')" -%}
{%- set wait_fallback = var('waiting_cost_fallback_per_second_amount') -%}
{%- set abandon_fallback = var('abandon_cost_fallback_amount') -%}

with

queue_intervals as (

    select
        queue_id,
        channel,
        interval_start_at,
        interval_start_local_at,
        interval_date,
        interval_minutes,
        contacts_offered,
        contacts_answered,
        contacts_abandoned,
        aht_seconds,
        patience_seconds,
        staffed_agents,
        staff_cost_amount,
        is_staffing_estimated,
        required_agents_erlang_a

    from {{ ref('fct_queue_intervals') }}

),

effects as (

    {# One fit for the whole center: the model-level columns repeat on each term
       row, so max() picks them (null when there is no fit). #}
    select
        max(price_per_wait_second_amount) as fitted_wait_price,
        max(price_per_wait_second_std_error) as fitted_wait_std_error,
        max(price_per_wait_second_lower_amount) as fitted_wait_lower,
        max(price_per_wait_second_upper_amount) as fitted_wait_upper,
        max(price_per_unresolved_contact_amount) as fitted_abandon_price,
        max(price_per_unresolved_contact_std_error) as fitted_abandon_std_error,
        max(price_per_unresolved_contact_lower_amount) as fitted_abandon_lower,
        max(price_per_unresolved_contact_upper_amount) as fitted_abandon_upper

    from {{ ref('int_churn_wait_effects_fitted') }}

),

prices as (

    {# The fitted price shrunk toward its fallback var where the fit is weak
       (macro shrunk_toward); the range is the fit's 95 % interval, which always
       contains the shrunk price. Without a fit: the fallback, a stated
       assumption with no range. An abandon is priced as an unresolved contact,
       never below 0. #}
    select
        coalesce(
            {{ shrunk_toward(
                'fitted_wait_price', 'fitted_wait_std_error', wait_fallback
            ) }},
            {{ wait_fallback }}
        ) as wait_price,
        coalesce(fitted_wait_lower, {{ wait_fallback }}) as wait_lower,
        coalesce(fitted_wait_upper, {{ wait_fallback }}) as wait_upper,
        greatest(0.0, coalesce(
            {{ shrunk_toward(
                'fitted_abandon_price', 'fitted_abandon_std_error', abandon_fallback
            ) }},
            {{ abandon_fallback }}
        )) as abandon_price,
        greatest(0.0, coalesce(fitted_abandon_lower, {{ abandon_fallback }}))
            as abandon_lower,
        greatest(0.0, coalesce(fitted_abandon_upper, {{ abandon_fallback }}))
            as abandon_upper,
        fitted_wait_price is not null as is_value_priced

    from effects

),

queue_fallbacks as (

    {# A day without abandons has no patience estimate, yet its callers are no
       more patient: the queue's estimate over every day with abandons stands in
       (their time waited / their abandons; a day's patience x its abandons is
       its time waited). Null only for a queue where nobody ever abandoned
       (e-mail): Erlang C then. Where staffing was estimated or cost is missing,
       the queue's average loaded rate over its staffed hours stands in for the
       interval's. Floating-point sums add in a fixed order (macro ordered_sum),
       so every evaluation gives the same bits: an incremental run gives those of
       a full build, and int_queue_interval_staffing_optimized, which recomputes
       only the rows that changed, sees an unchanged row as unchanged. #}
    select
        queue_id,
        {{ safe_divide(
            ordered_sum('patience_seconds * contacts_abandoned', 'interval_start_at'),
            'sum(case when patience_seconds is not null then contacts_abandoned end)'
        ) }} as queue_patience_seconds,
        {{ safe_divide(
            'sum(case when not is_staffing_estimated then staff_cost_amount end)',
            ordered_sum(
                'case when not is_staffing_estimated and staff_cost_amount is not null'
                ~ ' then staffed_agents * interval_minutes / 60.0 end',
                'interval_start_at'
            )
        ) }} as queue_cost_per_hour_amount

    from queue_intervals
    group by queue_id

),

day_workload as (

    {# Where nothing was answered, the queue's AHT of the day (in a fixed order,
       as above). #}
    select
        queue_id,
        interval_date,
        {{ safe_divide(
            ordered_sum('aht_seconds * contacts_answered', 'interval_start_at'),
            'sum(case when aht_seconds is not null then contacts_answered else 0 end)'
        ) }} as day_aht_seconds

    from queue_intervals
    group by queue_id, interval_date

),

workload as (

    select
        queue_intervals.*,
        day_workload.day_aht_seconds,
        queue_fallbacks.queue_patience_seconds,
        queue_fallbacks.queue_cost_per_hour_amount,
        {# The loaded rate of the interval's staffed time; where staffing was
           estimated or cost is missing, the queue's average rate. #}
        case
            when not queue_intervals.is_staffing_estimated
                then {{ safe_divide(
                    'queue_intervals.staff_cost_amount',
                    'queue_intervals.staffed_agents'
                    ~ ' * queue_intervals.interval_minutes / 60.0'
                ) }}
        end as interval_cost_per_hour_amount

    from queue_intervals
    left join day_workload
        on
            queue_intervals.queue_id = day_workload.queue_id
            and queue_intervals.interval_date = day_workload.interval_date
    left join queue_fallbacks
        on queue_intervals.queue_id = queue_fallbacks.queue_id

),

final as (

    select
        workload.queue_id,
        workload.interval_start_at,
        workload.channel,
        workload.interval_start_local_at,
        workload.interval_date,
        workload.interval_minutes * 60 as interval_seconds,
        workload.contacts_offered,
        coalesce(workload.aht_seconds, workload.day_aht_seconds) as aht_seconds,
        coalesce(workload.patience_seconds, workload.queue_patience_seconds)
            as patience_seconds,
        workload.patience_seconds is null
        and workload.queue_patience_seconds is not null
            as is_patience_fallback,
        workload.staffed_agents,
        workload.staff_cost_amount,
        workload.required_agents_erlang_a,
        cast(
            coalesce(
                workload.interval_cost_per_hour_amount,
                workload.queue_cost_per_hour_amount
            ) as double
        ) as agent_cost_per_hour_amount,
        {# Waiting is priced only on real-time channels: the churn fit measures
           the effect of their waits. #}
        case
            when workload.channel in {{ realtime }} then prices.wait_price else 0.0
        end as waiting_cost_per_second_amount,
        case
            when workload.channel in {{ realtime }} then prices.wait_lower else 0.0
        end as waiting_cost_per_second_lower_amount,
        case
            when workload.channel in {{ realtime }} then prices.wait_upper else 0.0
        end as waiting_cost_per_second_upper_amount,
        prices.abandon_price as abandon_cost_amount,
        prices.abandon_lower as abandon_cost_lower_amount,
        prices.abandon_upper as abandon_cost_upper_amount,
        prices.is_value_priced

    from workload
    cross join prices

)

select * from final
