{# Quality next to productivity per agent and per team, by ISO week (Monday, local).
   A team is the agent's team in dim_agents ('unknown' without workforce data), so a
   team's row is the sum of its agents' rows. Contacts belong to the week of their
   arrival, staffed time to the week of its interval; CSAT answers follow their
   contact. Each week says whether the data covers it whole (dim_periods). #}
{# Incremental by week: `opsmart run` recomputes the weeks the run window touches,
   whole, and keeps the earlier ones (macros in_run_periods, is_run_period,
   docs/nightly.md); a full build writes every week. A kept week keeps the teams it
   was built with (docs/nightly.md, "Kept periods"). The delete key is the week
   alone, so a recomputed week is replaced whole: a team an agent has left since
   the week was last written leaves no row behind (Spark: the week's partition). #}
{{ incremental_by_date('week_start_date', unique_key='week_start_date') }}
{%- set unit_columns = {'agent': 'agent_id', 'team': 'team_id'} -%}
{# The grain of the summed contacts, answers and staffing, and of the rows. #}
{%- set unit_week_keys = ['unit_type', 'unit_id', 'week_start_date'] -%}
with

agents as (

    select
        agent_id,
        coalesce(team_id, 'unknown') as team_id

    from {{ ref('dim_agents') }}

),

contacts as (

    select
        fct_contacts.contact_id,
        fct_contacts.agent_id,
        coalesce(agents.team_id, 'unknown') as team_id,
        fct_contacts.handle_time_seconds,
        fct_contacts.is_transferred,
        fct_contacts.is_first_contact_resolved,
        cast(date_trunc('week', fct_contacts.arrived_date) as date)
            as week_start_date

    from {{ ref('fct_contacts') }} as fct_contacts
    left join agents
        on fct_contacts.agent_id = agents.agent_id
    where
        fct_contacts.is_answered
        and fct_contacts.agent_id is not null
        and {{ in_run_periods('fct_contacts.arrived_date', ['week']) }}

),

weeks as (

    select
        period_start_date as week_start_date,
        days_covered,
        is_period_complete

    from {{ ref('dim_periods') }}
    where period_grain = 'week'

),

csat_responses as (

    select
        contact_id,
        is_top2box,
        score_rate

    from {{ ref('fct_survey_responses') }}
    where survey_type = 'csat' and contact_id is not null

),

agent_intervals as (

    select
        fct_agent_intervals.agent_id,
        coalesce(agents.team_id, 'unknown') as team_id,
        fct_agent_intervals.staffed_seconds,
        fct_agent_intervals.handling_seconds,
        fct_agent_intervals.available_seconds,
        fct_agent_intervals.aux_seconds,
        cast(date_trunc('week', fct_agent_intervals.interval_date) as date)
            as week_start_date

    from {{ ref('fct_agent_intervals') }} as fct_agent_intervals
    left join agents
        on fct_agent_intervals.agent_id = agents.agent_id
    where {{ in_run_periods('fct_agent_intervals.interval_date', ['week']) }}

),

contacts_summed as (

    {% for unit_type, column in unit_columns.items() %}
    select
        '{{ unit_type }}' as unit_type,
        {{ column }} as unit_id,
        max(team_id) as team_id,
        week_start_date,
        count(*) as contacts_handled,
        count(*) filter (where is_transferred) as contacts_transferred,
        {{ contact_counts(['fcr_known', 'first_contact_resolved']) }},
        sum(handle_time_seconds) as handle_time_seconds

    from contacts
    group by 1, 2, 4
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

csat_summed as (

    {% for unit_type, column in unit_columns.items() %}
    select
        '{{ unit_type }}' as unit_type,
        contacts.{{ column }} as unit_id,
        contacts.week_start_date,
        count(*) as csat_responses,
        {{ csat_rate() }} as csat_rate

    from contacts
    inner join csat_responses
        on contacts.contact_id = csat_responses.contact_id
    group by 1, 2, 3
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

staffing_summed as (

    {% for unit_type, column in unit_columns.items() %}
    select
        '{{ unit_type }}' as unit_type,
        {{ column }} as unit_id,
        max(team_id) as team_id,
        week_start_date,
        sum(staffed_seconds) / 3600.0 as staffed_hours,
        sum(staffed_seconds) as staffed_seconds,
        sum(handling_seconds) as handling_seconds,
        sum(available_seconds) as available_seconds,
        sum(aux_seconds) as aux_seconds

    from agent_intervals
    group by 1, 2, 4
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

joined as (

    select
        coalesce(contacts_summed.unit_type, staffing_summed.unit_type)
            as unit_type,
        coalesce(contacts_summed.unit_id, staffing_summed.unit_id) as unit_id,
        coalesce(contacts_summed.team_id, staffing_summed.team_id) as team_id,
        coalesce(contacts_summed.week_start_date, staffing_summed.week_start_date)
            as week_start_date,
        coalesce(contacts_summed.contacts_handled, 0) as contacts_handled,
        coalesce(contacts_summed.contacts_transferred, 0) as contacts_transferred,
        coalesce(contacts_summed.contacts_fcr_known, 0) as contacts_fcr_known,
        coalesce(contacts_summed.contacts_first_contact_resolved, 0)
            as contacts_first_contact_resolved,
        contacts_summed.handle_time_seconds,
        staffing_summed.staffed_hours,
        staffing_summed.staffed_seconds,
        staffing_summed.handling_seconds,
        staffing_summed.available_seconds,
        staffing_summed.aux_seconds

    from contacts_summed
    full outer join staffing_summed
        on {{ columns_equal('contacts_summed', 'staffing_summed', unit_week_keys) }}

),

scored as (

    select
        joined.unit_type,
        joined.unit_id,
        joined.team_id,
        joined.contacts_handled,
        joined.staffed_hours,
        {{ safe_divide('joined.contacts_handled', 'joined.staffed_hours') }}
            as contacts_per_staffed_hour,
        joined.contacts_fcr_known,
        joined.contacts_first_contact_resolved,
        {{ safe_divide(
            'joined.contacts_first_contact_resolved', 'joined.contacts_fcr_known'
        ) }} as fcr_rate,
        coalesce(csat_summed.csat_responses, 0) as csat_responses,
        csat_summed.csat_rate,
        joined.contacts_transferred,
        {{ safe_divide('joined.contacts_transferred', 'joined.contacts_handled') }}
            as transfer_rate,
        {{ aht_seconds('joined.handle_time_seconds', 'joined.contacts_handled') }}
            as aht_seconds,
        {{ occupancy_rate(
            'joined.handling_seconds',
            'joined.available_seconds',
            'joined.staffed_seconds',
            'joined.aux_seconds'
        ) }} as occupancy_rate,
        joined.week_start_date

    from joined
    left join csat_summed
        on {{ columns_equal('joined', 'csat_summed', unit_week_keys) }}

),

final as (

    select
        unit.unit_type,
        unit.unit_id,
        unit.team_id,
        unit.contacts_handled,
        unit.staffed_hours,
        unit.contacts_per_staffed_hour,
        unit.contacts_fcr_known,
        unit.contacts_first_contact_resolved,
        unit.fcr_rate,
        unit.csat_responses,
        unit.csat_rate,
        unit.contacts_transferred,
        unit.transfer_rate,
        unit.aht_seconds,
        unit.occupancy_rate,
        {# staffed time outside the contacts' span (none in a sound export)
           has no covered day #}
        coalesce(weeks.days_covered, 0) as days_covered,
        {{ pareto_efficient(
            candidates='scored',
            row='unit',
            partition_by=['unit_type', 'week_start_date'],
            higher_is_better=['contacts_per_staffed_hour', 'csat_rate']
        ) }} as is_pareto_efficient,
        coalesce(weeks.is_period_complete, false) as is_period_complete,
        unit.week_start_date

    from scored as unit
    left join weeks
        on unit.week_start_date = weeks.week_start_date
    where {{ is_run_period('unit.week_start_date', "'week'") }}

)

select * from final
