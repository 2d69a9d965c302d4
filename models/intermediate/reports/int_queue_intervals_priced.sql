{# One row per queue x interval with everything the value-optimal staffing needs:
   workload, patience, actual staffing, the team's loaded rate and the prices of
   waiting and abandoning. A view because a Python model reads it. #}
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
        max(price_per_wait_second_amount) as price_per_wait_second_amount,
        max(price_per_unresolved_contact_amount)
            as price_per_unresolved_contact_amount

    from {{ ref('int_churn_wait_effects_fitted') }}

),

workload as (

    select
        *,
        {# Where nothing was answered, the queue's AHT of the day. #}
        {{ safe_divide(
            'sum(aht_seconds * contacts_answered) over (partition by queue_id, interval_date)',
            'sum(case when aht_seconds is not null then contacts_answered else 0 end)'
            ~ ' over (partition by queue_id, interval_date)'
        ) }} as day_aht_seconds,
        {# The loaded rate of the interval's staffed time; where staffing was
           estimated or cost is missing, the queue's average rate. #}
        case
            when not is_staffing_estimated
                then {{ safe_divide(
                    'staff_cost_amount',
                    'staffed_agents * interval_minutes / 60.0'
                ) }}
        end as interval_cost_per_hour_amount,
        {{ safe_divide(
            'sum(case when not is_staffing_estimated then staff_cost_amount end)'
            ~ ' over (partition by queue_id)',
            'sum(case when not is_staffing_estimated and staff_cost_amount is not null'
            ~ ' then staffed_agents * interval_minutes / 60.0 end)'
            ~ ' over (partition by queue_id)'
        ) }} as queue_cost_per_hour_amount

    from queue_intervals

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
        workload.patience_seconds,
        workload.staffed_agents,
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
            when workload.channel in ('{{ var("realtime_channels") | join("', '") }}')
                then coalesce(
                    effects.price_per_wait_second_amount,
                    {{ var('waiting_cost_fallback_per_second_amount') }}
                )
            else 0.0
        end as waiting_cost_per_second_amount,
        greatest(
            coalesce(
                effects.price_per_unresolved_contact_amount,
                {{ var('abandon_cost_fallback_amount') }}
            ),
            0.0
        ) as abandon_cost_amount,
        effects.price_per_wait_second_amount is not null as is_value_priced

    from workload
    cross join effects

)

select * from final
