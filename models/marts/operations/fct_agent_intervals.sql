{{ incremental_by_date('interval_date', unique_key=['agent_id', 'queue_id', 'interval_start_at']) }}

with

agent_intervals as (

    select * from {{ ref('int_agent_intervals_costed') }}

),

contacts as (

    select
        agent_id,
        queue_id,
        interval_start_at,
        count(*) as contacts_handled

    from {{ ref('int_contacts_classified') }}
    where is_answered and agent_id is not null
    group by 1, 2, 3

),

agent_intervals_summed as (

    select
        agent_id,
        queue_id,
        interval_start_at,
        {# the same for every row of a queue interval #}
        interval_date,
        timezone,
        max(team_id) as team_id,
        max(currency) as currency,
        sum(staffed_seconds) as staffed_seconds,
        sum(available_seconds) as available_seconds,
        sum(handling_seconds) as handling_seconds,
        sum(aux_seconds) as aux_seconds,
        sum(staff_cost_amount) as staff_cost_amount

    from agent_intervals
    group by 1, 2, 3, 4, 5

),

final as (

    select
        agent_intervals_summed.agent_id,
        agent_intervals_summed.queue_id,
        agent_intervals_summed.team_id,
        agent_intervals_summed.currency,
        agent_intervals_summed.staffed_seconds,
        agent_intervals_summed.available_seconds,
        agent_intervals_summed.handling_seconds,
        agent_intervals_summed.aux_seconds,
        coalesce(contacts.contacts_handled, 0) as contacts_handled,
        {{ occupancy_rate(
            'agent_intervals_summed.handling_seconds',
            'agent_intervals_summed.available_seconds',
            'agent_intervals_summed.staffed_seconds',
            'agent_intervals_summed.aux_seconds'
        ) }} as occupancy_rate,
        {{ safe_divide(
            'agent_intervals_summed.handling_seconds',
            'agent_intervals_summed.staffed_seconds'
        ) }} as utilization_rate,
        {{ safe_divide(
            'agent_intervals_summed.aux_seconds',
            'agent_intervals_summed.staffed_seconds'
        ) }} as shrinkage_rate,
        cast(agent_intervals_summed.staff_cost_amount as decimal(18, 4))
            as staff_cost_amount,
        {{ to_local(
            'agent_intervals_summed.interval_start_at', 'agent_intervals_summed.timezone'
        ) }} as interval_start_local_at,
        agent_intervals_summed.interval_start_at,
        agent_intervals_summed.interval_date

    from agent_intervals_summed
    left join contacts
        on
            agent_intervals_summed.agent_id = contacts.agent_id
            and agent_intervals_summed.queue_id = contacts.queue_id
            and agent_intervals_summed.interval_start_at = contacts.interval_start_at

)

select * from final
where {{ in_run_window('interval_date') }}
