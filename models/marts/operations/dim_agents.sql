{# Every agent seen in agent intervals or as the handler of a contact; an agent seen
   only in contacts has no team (the WFM export did not list them). #}
with

agent_intervals as (

    select
        agent_id,
        team_id,
        queue_id,
        staffed_seconds,
        interval_start_at

    from {{ ref('stg_wfm__agent_intervals') }}

),

contacts as (

    select
        agent_id,
        queue_id,
        arrived_at

    from {{ ref('stg_telephony__contacts') }}
    where agent_id is not null

),

staffing as (

    select
        agent_id,
        max_by(team_id, interval_start_at) as team_id,
        mode(queue_id) as primary_queue_id,
        sum(staffed_seconds) / 3600.0 as staffed_hours,
        min(interval_start_at) as first_staffed_at,
        max(interval_start_at) as last_staffed_at

    from agent_intervals
    group by 1

),

handling as (

    select
        agent_id,
        mode(queue_id) as most_handled_queue_id,
        count(*) as contacts_handled,
        min(arrived_at) as first_contact_at,
        max(arrived_at) as last_contact_at

    from contacts
    group by 1

),

final as (

    select
        coalesce(staffing.agent_id, handling.agent_id) as agent_id,
        staffing.team_id,
        coalesce(staffing.primary_queue_id, handling.most_handled_queue_id)
            as primary_queue_id,
        coalesce(staffing.staffed_hours, 0) as staffed_hours,
        coalesce(handling.contacts_handled, 0) as contacts_handled,
        staffing.agent_id is not null as is_in_workforce_data,
        least(staffing.first_staffed_at, handling.first_contact_at) as first_seen_at,
        greatest(staffing.last_staffed_at, handling.last_contact_at) as last_seen_at

    from staffing
    full outer join handling
        on staffing.agent_id = handling.agent_id

)

select * from final
