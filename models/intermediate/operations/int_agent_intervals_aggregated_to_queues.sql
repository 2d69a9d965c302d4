{# Re-grain agent intervals to queue x interval: agent state seconds and staff cost. #}
with

agent_intervals as (

    select * from {{ ref('int_agent_intervals_costed') }}

),

aggregated as (

    select
        queue_id,
        interval_start_at,
        count(distinct agent_id) as agents_staffed,
        sum(staffed_seconds) as staffed_seconds,
        sum(available_seconds) as available_seconds,
        sum(handling_seconds) as handling_seconds,
        sum(aux_seconds) as aux_seconds,
        sum(staff_cost_amount) as staff_cost_amount,
        max(source_interval_minutes) as source_interval_minutes

    from agent_intervals
    group by 1, 2

)

select * from aggregated
