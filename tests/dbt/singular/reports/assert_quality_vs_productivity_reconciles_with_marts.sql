{# Team rows add up to their agents' rows; agent rows add up to the facts: handled
   contacts with an agent (fct_contacts) and staffed hours (fct_agent_intervals),
   per week. #}
with

report as (

    select
        unit_type,
        week_start_date,
        sum(contacts_handled) as contacts_handled,
        coalesce(sum(staffed_hours), 0) as staffed_hours,
        sum(csat_responses) as csat_responses,
        sum(contacts_first_contact_resolved) as contacts_first_contact_resolved

    from {{ ref('rpt_quality_vs_productivity') }}
    group by 1, 2

),

agents as (

    select * from report
    where unit_type = 'agent'

),

teams as (

    select * from report
    where unit_type = 'team'

),

contacts as (

    select
        cast(date_trunc('week', arrived_date) as date) as week_start_date,
        count(*) as contacts_handled

    from {{ ref('fct_contacts') }}
    where is_answered and agent_id is not null
    group by 1

),

staffing as (

    select
        cast(date_trunc('week', interval_date) as date) as week_start_date,
        sum(staffed_seconds) / 3600.0 as staffed_hours

    from {{ ref('fct_agent_intervals') }}
    group by 1

)

select
    coalesce(agents.week_start_date, teams.week_start_date) as week_start_date,
    agents.contacts_handled as agent_contacts_handled,
    teams.contacts_handled as team_contacts_handled,
    contacts.contacts_handled as fact_contacts_handled,
    agents.staffed_hours as agent_staffed_hours,
    staffing.staffed_hours as fact_staffed_hours

from agents
full outer join teams
    on agents.week_start_date = teams.week_start_date
left join contacts
    on
        coalesce(agents.week_start_date, teams.week_start_date)
        = contacts.week_start_date
left join staffing
    on
        coalesce(agents.week_start_date, teams.week_start_date)
        = staffing.week_start_date
where
    agents.week_start_date is null
    or teams.week_start_date is null
    or agents.contacts_handled != teams.contacts_handled
    or agents.csat_responses != teams.csat_responses
    or agents.contacts_first_contact_resolved
    != teams.contacts_first_contact_resolved
    or abs(agents.staffed_hours - teams.staffed_hours) > 0.001
    or agents.contacts_handled != coalesce(contacts.contacts_handled, 0)
    or abs(agents.staffed_hours - coalesce(staffing.staffed_hours, 0)) > 0.001
