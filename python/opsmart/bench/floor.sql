-- The floor of the pipeline benchmark: fct_queue_intervals, fct_queue_days and
-- rpt_cost_vs_satisfaction straight from the landing files, in one DuckDB script
-- (run by opsmart/bench/floor.py). The definitions are the marts' at the default
-- vars of dbt_project.yml.
--
-- Placeholders (string.Template: a dollar sign and the name in braces), filled by
-- floor.py:
--   contacts, agent_intervals, survey_responses, customers, costs
--       a table function reading the source's landing files (read_csv / read_parquet)
--   queues      a read_csv of the project's seeds/queues.csv
--   interval_minutes, sl_threshold_seconds, short_abandon_seconds   the vars
--
-- Part 1 ends with the table queue_intervals_joined. At the marker line floor.py
-- fetches it as Arrow, appends the Erlang C / Erlang A baselines with
-- opsmart.queueing.interval_baselines (as the dbt Python model does) and registers
-- the result as queue_interval_baselines, which part 2 reads.


-- ---------------------------------------------------------------- part 1: inputs

create temp table queues as
select
    cast(queue_id as varchar) as queue_id,
    cast(channel as varchar) as channel,
    cast(team_id as varchar) as team_id,
    coalesce(cast(sl_threshold_seconds as integer), ${sl_threshold_seconds})
        as sl_threshold_seconds,
    cast(sl_target_rate as double) as sl_target_rate
from ${queues};

-- One row per contact: typed, UTC, durations derived where null, the KPI flags.
create temp table contacts as
with

typed as (

    select
        cast(contact_id as varchar) as contact_id,
        cast(customer_id as varchar) as customer_id,
        cast(queue_id as varchar) as queue_id,
        cast(agent_id as varchar) as agent_id,
        lower(cast(channel as varchar)) as channel,
        lower(cast(outcome as varchar)) as outcome,
        coalesce(cast(ivr_seconds as double), 0) as ivr_seconds,
        cast(wait_seconds as double) as wait_seconds_reported,
        cast(talk_seconds as double) as talk_seconds_reported,
        coalesce(cast(hold_seconds as double), 0) as hold_seconds,
        coalesce(cast(acw_seconds as double), 0) as acw_seconds,
        timezone('UTC', cast(arrived_at as timestamptz)) as arrived_at,
        timezone('UTC', cast(answered_at as timestamptz)) as answered_at,
        timezone('UTC', cast(ended_at as timestamptz)) as ended_at

    from ${contacts}

),

durations as (

    select
        *,
        coalesce(
            wait_seconds_reported,
            case outcome
                when 'handled'
                    then epoch(answered_at) - epoch(arrived_at) - ivr_seconds
                when 'contained' then 0
                else epoch(ended_at) - epoch(arrived_at) - ivr_seconds
            end
        ) as wait_seconds,
        coalesce(
            talk_seconds_reported,
            case
                when outcome = 'handled'
                    then epoch(ended_at) - epoch(answered_at) - hold_seconds
                else 0
            end
        ) as talk_seconds

    from typed

),

queued as (

    select
        durations.*,
        queues.sl_threshold_seconds,
        durations.arrived_at + to_microseconds(
            cast(round(durations.ivr_seconds * 1000000) as bigint)
        ) as queued_at

    from durations
    left join queues
        on durations.queue_id = queues.queue_id

)

select
    contact_id,
    customer_id,
    queue_id,
    agent_id,
    channel,
    outcome,
    wait_seconds,
    talk_seconds + hold_seconds + acw_seconds as handle_time_seconds,
    outcome in ('handled', 'abandoned', 'flowout') as is_offered,
    outcome = 'handled' as is_answered,
    outcome = 'abandoned' as is_abandoned,
    outcome = 'handled'
    and wait_seconds <= sl_threshold_seconds as is_answered_within_threshold,
    outcome = 'abandoned'
    and wait_seconds <= ${short_abandon_seconds} as is_short_abandon,
    cast(arrived_at as date) as arrived_date,
    time_bucket(to_minutes(${interval_minutes}), arrived_at) as interval_start_at,
    queued_at,
    queued_at + to_microseconds(cast(round(wait_seconds * 1000000) as bigint))
        as left_queue_at

from queued;

-- Agent intervals re-bucketed to the interval length, with the loaded cost of the
-- team's rate in force that (UTC) day.
create temp table agent_intervals as
with

intervals as (

    select
        cast(team_id as varchar) as team_id,
        cast(queue_id as varchar) as queue_id,
        cast(staffed_seconds as double) as staffed_seconds,
        cast(available_seconds as double) as available_seconds,
        cast(handling_seconds as double) as handling_seconds,
        cast(aux_seconds as double) as aux_seconds,
        timezone('UTC', cast(interval_start as timestamptz)) as source_start_at

    from ${agent_intervals}

),

costs as (

    select
        cast(team_id as varchar) as team_id,
        cast(loaded_cost_per_agent_hour as decimal(18, 4)) as cost_per_hour_amount,
        cast(effective_from as date) as effective_from_date,
        lead(cast(effective_from as date)) over (
            partition by cast(team_id as varchar)
            order by cast(effective_from as date)
        ) as effective_to_date

    from ${costs}

)

select
    intervals.queue_id,
    time_bucket(to_minutes(${interval_minutes}), intervals.source_start_at)
        as interval_start_at,
    intervals.staffed_seconds,
    intervals.available_seconds,
    intervals.handling_seconds,
    intervals.aux_seconds,
    cast(
        intervals.staffed_seconds / 3600.0 * costs.cost_per_hour_amount
        as decimal(18, 4)
    ) as staff_cost_amount

from intervals
left join costs
    on
        intervals.team_id = costs.team_id
        and cast(intervals.source_start_at as date) >= costs.effective_from_date
        and (
            costs.effective_to_date is null
            or cast(intervals.source_start_at as date) < costs.effective_to_date
        );

-- Queue length per queue x interval from the waits: time waiting inside the
-- interval (Little's law) and the peak number waiting (departures first at ties).
create temp table queue_lengths as
with

waits as (

    select
        queue_id,
        queued_at,
        left_queue_at

    from contacts
    where is_offered and wait_seconds > 0

),

waits_split_to_intervals as (

    select
        queue_id,
        queued_at,
        left_queue_at,
        unnest(generate_series(
            time_bucket(to_minutes(${interval_minutes}), queued_at),
            time_bucket(to_minutes(${interval_minutes}), left_queue_at),
            to_minutes(${interval_minutes})
        )) as interval_start_at

    from waits

),

waits_in_intervals as (

    select
        queue_id,
        interval_start_at,
        queued_at < interval_start_at
        and left_queue_at > interval_start_at as is_waiting_at_start,
        epoch(least(
            left_queue_at, interval_start_at + to_minutes(${interval_minutes})
        ))
        - epoch(greatest(queued_at, interval_start_at)) as waiting_seconds

    from waits_split_to_intervals

),

waits_summed as (

    select
        queue_id,
        interval_start_at,
        sum(waiting_seconds) as waiting_seconds,
        count(*) filter (where is_waiting_at_start) as waiting_at_start

    from waits_in_intervals
    where waiting_seconds > 0
    group by 1, 2

),

events as (

    select queue_id, queued_at as event_at, 1 as change from waits
    union all
    select queue_id, left_queue_at as event_at, -1 as change from waits

),

peaks as (

    select
        queue_id,
        time_bucket(to_minutes(${interval_minutes}), event_at) as interval_start_at,
        max(waiting_after_event) as max_queue_length

    from (
        select
            queue_id,
            event_at,
            sum(change) over (
                partition by queue_id
                order by event_at, change
                rows between unbounded preceding and current row
            ) as waiting_after_event

        from events
    )
    group by 1, 2

)

select
    waits_summed.queue_id,
    waits_summed.interval_start_at,
    waits_summed.waiting_seconds,
    greatest(
        waits_summed.waiting_at_start, coalesce(peaks.max_queue_length, 0)
    ) as max_queue_length

from waits_summed
left join peaks
    on
        waits_summed.queue_id = peaks.queue_id
        and waits_summed.interval_start_at = peaks.interval_start_at;

-- One cost: each queue-day's payroll over the day's handled contacts by handle time
-- (equal shares where they have none), each contact the day's cost allocated up to
-- it minus up to the one before (contact_id order), both rounded to 4 decimals.
create temp table contact_costs as
with

handled as (

    select
        contact_id,
        queue_id,
        cast(interval_start_at as date) as interval_date,
        coalesce(handle_time_seconds, 0) as handle_time_seconds

    from contacts
    where is_answered

),

payroll as (

    select
        queue_id,
        cast(interval_start_at as date) as interval_date,
        sum(staff_cost_amount) as staff_cost_amount

    from agent_intervals
    group by 1, 2

),

weighed as (

    select
        handled.contact_id,
        handled.queue_id,
        handled.interval_date,
        payroll.staff_cost_amount,
        case
            when sum(handled.handle_time_seconds) over queue_day > 0
                then handled.handle_time_seconds
            else 1.0
        end as weight

    from handled
    left join payroll
        on
            handled.queue_id = payroll.queue_id
            and handled.interval_date = payroll.interval_date
    window queue_day as (partition by handled.queue_id, handled.interval_date)

),

running as (

    select
        contact_id,
        queue_id,
        interval_date,
        staff_cost_amount,
        sum(weight) over (
            partition by queue_id, interval_date order by contact_id
            rows between unbounded preceding and current row
        ) as weight_to_date

    from weighed

),

to_date as (

    select
        contact_id,
        queue_id,
        interval_date,
        cast(
            staff_cost_amount
            * cast(weight_to_date as double)
            / max(weight_to_date) over (partition by queue_id, interval_date)
            as decimal(18, 4)
        ) as cost_to_date_amount

    from running

)

select
    contact_id,
    cast(
        cost_to_date_amount - coalesce(
            lag(cost_to_date_amount) over (
                partition by queue_id, interval_date order by contact_id
            ),
            0
        ) as decimal(18, 4)
    ) as cost_amount

from to_date;

-- Queue x interval: contacts, agent states and queue lengths side by side, with
-- the baselines' inputs (workload AHT, staffed agents, patience per queue day).
create temp table queue_intervals_joined as
with

contact_intervals as (

    select
        queue_id,
        interval_start_at,
        count(*) filter (where is_offered) as contacts_offered,
        count(*) filter (where is_answered) as contacts_answered,
        count(*) filter (where is_abandoned) as contacts_abandoned,
        count(*) filter (where is_answered_within_threshold)
            as contacts_answered_within_threshold,
        count(*) filter (where is_short_abandon) as contacts_short_abandoned,
        count(distinct agent_id) filter (where is_answered) as agents_handling,
        coalesce(sum(wait_seconds) filter (where is_answered), 0)
            as answered_wait_seconds,
        coalesce(sum(wait_seconds) filter (where is_offered), 0)
            as offered_wait_seconds,
        coalesce(sum(handle_time_seconds) filter (where is_answered), 0)
            as handle_time_seconds,
        sum(contact_costs.cost_amount) as allocated_staff_cost_amount

    from contacts
    left join contact_costs using (contact_id)
    group by 1, 2

),

agent_queue_intervals as (

    select
        queue_id,
        interval_start_at,
        sum(staffed_seconds) as staffed_seconds,
        sum(available_seconds) as available_seconds,
        sum(handling_seconds) as handling_seconds,
        sum(staff_cost_amount) as staff_cost_amount

    from agent_intervals
    group by 1, 2

),

interval_keys as (

    select queue_id, interval_start_at from contact_intervals
    union
    select queue_id, interval_start_at from agent_queue_intervals
    union
    select queue_id, interval_start_at from queue_lengths

)

select
    interval_keys.queue_id,
    queues.channel,
    interval_keys.interval_start_at,
    ${interval_minutes} * 60 as interval_seconds,
    coalesce(contact_intervals.contacts_offered, 0) as contacts_offered,
    coalesce(contact_intervals.contacts_answered, 0) as contacts_answered,
    coalesce(contact_intervals.contacts_abandoned, 0) as contacts_abandoned,
    coalesce(contact_intervals.contacts_answered_within_threshold, 0)
        as contacts_answered_within_threshold,
    coalesce(contact_intervals.answered_wait_seconds, 0) as answered_wait_seconds,
    coalesce(contact_intervals.handle_time_seconds, 0) as handle_time_seconds,
    contact_intervals.handle_time_seconds
    / nullif(contact_intervals.contacts_answered, 0) as aht_seconds,
    coalesce(
        contact_intervals.handle_time_seconds
        / nullif(contact_intervals.contacts_answered, 0),
        sum(contact_intervals.handle_time_seconds) over queue_day
        / nullif(sum(contact_intervals.contacts_answered) over queue_day, 0)
    ) as workload_aht_seconds,
    coalesce(queue_lengths.waiting_seconds, 0) as waiting_seconds,
    coalesce(queue_lengths.max_queue_length, 0) as max_queue_length,
    coalesce(queues.sl_threshold_seconds, ${sl_threshold_seconds})
        as sl_threshold_seconds,
    queues.sl_target_rate,
    agent_queue_intervals.staffed_seconds,
    agent_queue_intervals.available_seconds,
    agent_queue_intervals.handling_seconds,
    agent_queue_intervals.staff_cost_amount,
    contact_intervals.allocated_staff_cost_amount,
    coalesce(
        agent_queue_intervals.staffed_seconds / (${interval_minutes} * 60),
        contact_intervals.agents_handling
    ) as staffed_agents,
    agent_queue_intervals.staffed_seconds is null as is_staffing_estimated,
    sum(coalesce(contact_intervals.offered_wait_seconds, 0)) over queue_day
    / nullif(
        sum(coalesce(contact_intervals.contacts_abandoned, 0)) over queue_day, 0
    ) as patience_seconds

from interval_keys
left join contact_intervals
    on
        interval_keys.queue_id = contact_intervals.queue_id
        and interval_keys.interval_start_at = contact_intervals.interval_start_at
left join agent_queue_intervals
    on
        interval_keys.queue_id = agent_queue_intervals.queue_id
        and interval_keys.interval_start_at = agent_queue_intervals.interval_start_at
left join queue_lengths
    on
        interval_keys.queue_id = queue_lengths.queue_id
        and interval_keys.interval_start_at = queue_lengths.interval_start_at
left join queues
    on interval_keys.queue_id = queues.queue_id
window queue_day as (
    partition by interval_keys.queue_id, cast(interval_keys.interval_start_at as date)
)
order by interval_keys.queue_id, interval_keys.interval_start_at;

-- @baselines
-- ---------------------------------------------------------------- part 2: marts
-- floor.py has registered queue_interval_baselines: queue_intervals_joined with
-- the Erlang baselines appended.

create temp table fct_queue_intervals as
select
    queue_id,
    interval_start_at,
    channel,
    contacts_offered,
    contacts_answered,
    contacts_abandoned,
    contacts_answered_within_threshold,
    contacts_answered_within_threshold
    / nullif(contacts_answered + contacts_abandoned, 0) as service_level_rate,
    contacts_abandoned / nullif(contacts_offered, 0) as abandonment_rate,
    answered_wait_seconds / nullif(contacts_answered, 0) as asa_seconds,
    aht_seconds,
    waiting_seconds / interval_seconds as avg_queue_length,
    cast(max_queue_length as integer) as max_queue_length,
    case when not is_staffing_estimated then staffed_agents end as staffed_agents,
    staffed_agents as baseline_staffed_agents,
    handling_seconds / nullif(handling_seconds + available_seconds, 0)
        as occupancy_rate,
    handling_seconds / nullif(staffed_seconds, 0) as utilization_rate,
    cast(staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
    cast(allocated_staff_cost_amount as decimal(18, 4))
        as allocated_staff_cost_amount,
    cast(
        allocated_staff_cost_amount / nullif(contacts_answered, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    allocated_staff_cost_amount / nullif(handle_time_seconds, 0)
        as cost_per_handle_second_amount,
    patience_seconds,
    traffic_erlangs,
    erlang_c_service_level_rate,
    erlang_c_asa_seconds,
    erlang_a_service_level_rate,
    erlang_a_abandonment_rate,
    cast(required_agents_erlang_c as integer) as required_agents_erlang_c,
    cast(required_agents_erlang_a as integer) as required_agents_erlang_a,
    cast(staffing_gap_agents as integer) as staffing_gap_agents,
    is_staffing_estimated

from queue_interval_baselines
order by queue_id, interval_start_at;

-- Daily roll-up: the same ratios applied to the day's sums.
create temp table fct_queue_days as
with

summed as (

    select
        queue_id,
        cast(interval_start_at as date) as interval_date,
        max(channel) as channel,
        sum(contacts_offered) as contacts_offered,
        sum(contacts_answered) as contacts_answered,
        sum(contacts_abandoned) as contacts_abandoned,
        sum(contacts_answered_within_threshold)
            as contacts_answered_within_threshold,
        sum(answered_wait_seconds) as answered_wait_seconds,
        sum(handle_time_seconds) as handle_time_seconds,
        sum(staffed_seconds) as staffed_seconds,
        sum(available_seconds) as available_seconds,
        sum(handling_seconds) as handling_seconds,
        cast(sum(staff_cost_amount) as decimal(18, 4)) as staff_cost_amount,
        cast(sum(allocated_staff_cost_amount) as decimal(18, 4))
            as allocated_staff_cost_amount,
        sum(required_agents_erlang_a * interval_seconds) / 3600.0
            as required_agent_hours_erlang_a,
        sum(erlang_a_service_level_rate * contacts_offered)
            as erlang_a_answered_within_threshold,
        bool_or(is_staffing_estimated) as has_estimated_staffing

    from queue_interval_baselines
    group by 1, 2

)

select
    queue_id,
    interval_date,
    channel,
    cast(contacts_offered as bigint) as contacts_offered,
    cast(contacts_answered as bigint) as contacts_answered,
    cast(contacts_abandoned as bigint) as contacts_abandoned,
    contacts_answered_within_threshold
    / nullif(contacts_answered + contacts_abandoned, 0) as service_level_rate,
    contacts_abandoned / nullif(contacts_offered, 0) as abandonment_rate,
    answered_wait_seconds / nullif(contacts_answered, 0) as asa_seconds,
    handle_time_seconds / nullif(contacts_answered, 0) as aht_seconds,
    handling_seconds / nullif(handling_seconds + available_seconds, 0)
        as occupancy_rate,
    handling_seconds / nullif(staffed_seconds, 0) as utilization_rate,
    -- logged-in hours only: estimated staffing is not staffed time
    staffed_seconds / 3600.0 as staffed_agent_hours,
    required_agent_hours_erlang_a,
    erlang_a_answered_within_threshold / nullif(contacts_offered, 0)
        as erlang_a_service_level_rate,
    staff_cost_amount,
    case
        when staff_cost_amount is not null
            then coalesce(allocated_staff_cost_amount, 0)
    end as allocated_staff_cost_amount,
    staff_cost_amount - coalesce(allocated_staff_cost_amount, 0)
        as unallocated_staff_cost_amount,
    cast(
        allocated_staff_cost_amount / nullif(contacts_answered, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    has_estimated_staffing

from summed
order by queue_id, interval_date;

-- Cost vs satisfaction per unit (queue, channel, segment, team) x period (week,
-- month). A handled contact costs its share of its queue-day's payroll
-- (contact_costs); the unit's customers bring their NPS answers and churn.
create temp table rpt_cost_vs_satisfaction as
with

customers as (

    select
        cast(customer_id as varchar) as customer_id,
        cast(segment as varchar) as segment,
        cast(timezone('UTC', cast(churned_at as timestamptz)) as date)
            as churned_date

    from ${customers}

),

responses as (

    select
        cast(contact_id as varchar) as contact_id,
        cast(customer_id as varchar) as customer_id,
        lower(cast(survey_type as varchar)) as survey_type,
        cast(score as double) as score,
        cast(scale_max as double) as scale_max,
        cast(timezone('UTC', cast(responded_at as timestamptz)) as date)
            as responded_date

    from ${survey_responses}

),

contacts_costed as (

    select
        contacts.contact_id,
        contacts.customer_id,
        contacts.queue_id,
        contacts.channel,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(queues.team_id, 'unknown') as team_id,
        contacts.is_answered,
        cast(date_trunc('week', contacts.arrived_date) as date) as week_start_date,
        cast(date_trunc('month', contacts.arrived_date) as date) as month_start_date,
        contact_costs.cost_amount

    from contacts
    left join contact_costs
        on contacts.contact_id = contact_costs.contact_id
    left join queues
        on contacts.queue_id = queues.queue_id
    left join customers
        on contacts.customer_id = customers.customer_id

),

-- One row per contact x unit it belongs to x period grain.
contact_units as (

    select
        dimensions.dimension_type,
        case dimensions.dimension_type
            when 'queue' then contacts_costed.queue_id
            when 'channel' then contacts_costed.channel
            when 'segment' then contacts_costed.segment
            when 'team' then contacts_costed.team_id
        end as dimension_value,
        grains.period_grain,
        case grains.period_grain
            when 'week' then contacts_costed.week_start_date
            else contacts_costed.month_start_date
        end as period_start_date,
        case grains.period_grain
            when 'week' then contacts_costed.week_start_date + 7
            else cast(contacts_costed.month_start_date + interval 1 month as date)
        end as next_period_start_date,
        contacts_costed.contact_id,
        contacts_costed.customer_id,
        contacts_costed.is_answered,
        contacts_costed.cost_amount

    from contacts_costed
    cross join (
        values ('queue'), ('channel'), ('segment'), ('team')
    ) as dimensions (dimension_type)
    cross join (values ('week'), ('month')) as grains (period_grain)

),

contacts_summed as (

    select
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        count(*) filter (where is_answered) as contacts_handled,
        count(cost_amount) as contacts_costed,
        sum(cost_amount) as staff_cost_amount

    from contact_units
    group by 1, 2, 3, 4

),

csat_summed as (

    select
        contact_units.dimension_type,
        contact_units.dimension_value,
        contact_units.period_grain,
        contact_units.period_start_date,
        count(*) as csat_responses,
        avg(cast(responses.score >= responses.scale_max - 1 as double))
            as csat_rate

    from contact_units
    inner join responses
        on contact_units.contact_id = responses.contact_id
    where responses.survey_type = 'csat'
    group by 1, 2, 3, 4

),

nps_by_customer_period as (

    select
        responses.customer_id,
        grains.period_grain,
        case grains.period_grain
            when 'week' then cast(date_trunc('week', responses.responded_date) as date)
            else cast(date_trunc('month', responses.responded_date) as date)
        end as period_start_date,
        count(*) as nps_responses,
        count(*) filter (where responses.score >= 9) as nps_promoters,
        count(*) filter (where responses.score >= 0 and responses.score < 7)
            as nps_detractors

    from responses
    cross join (values ('week'), ('month')) as grains (period_grain)
    where responses.survey_type = 'nps' and responses.customer_id is not null
    group by 1, 2, 3

),

-- The unit's customers: the known customers with a contact of the unit in the
-- period, one row each (so customers_served is a count of rows).
unit_customers as (

    select distinct
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        next_period_start_date,
        customer_id

    from contact_units
    where customer_id is not null

),

customers_summed as (

    select
        unit_customers.dimension_type,
        unit_customers.dimension_value,
        unit_customers.period_grain,
        unit_customers.period_start_date,
        count(*) as customers_served,
        coalesce(sum(nps_by_customer_period.nps_responses), 0) as nps_responses,
        coalesce(sum(nps_by_customer_period.nps_promoters), 0) as nps_promoters,
        coalesce(sum(nps_by_customer_period.nps_detractors), 0) as nps_detractors,
        count(customers.customer_id) as customers_in_crm,
        count(customers.customer_id) filter (
            where customers.churned_date >= unit_customers.period_start_date
            and customers.churned_date < unit_customers.next_period_start_date
        ) as customers_churned

    from unit_customers
    left join customers
        on unit_customers.customer_id = customers.customer_id
    left join nps_by_customer_period
        on
            unit_customers.customer_id = nps_by_customer_period.customer_id
            and unit_customers.period_grain = nps_by_customer_period.period_grain
            and unit_customers.period_start_date
            = nps_by_customer_period.period_start_date
    group by 1, 2, 3, 4

)

select
    contacts_summed.dimension_type,
    contacts_summed.dimension_value,
    contacts_summed.period_grain,
    contacts_summed.period_start_date,
    contacts_summed.contacts_handled,
    coalesce(customers_summed.customers_served, 0) as customers_served,
    cast(contacts_summed.staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
    cast(
        contacts_summed.staff_cost_amount
        / nullif(contacts_summed.contacts_costed, 0)
        as decimal(18, 4)
    ) as cost_per_contact_amount,
    coalesce(csat_summed.csat_responses, 0) as csat_responses,
    csat_summed.csat_rate,
    cast(coalesce(customers_summed.nps_responses, 0) as bigint) as nps_responses,
    100.0 * (customers_summed.nps_promoters - customers_summed.nps_detractors)
    / nullif(customers_summed.nps_responses, 0) as nps,
    coalesce(customers_summed.customers_in_crm, 0) as customers_in_crm,
    coalesce(customers_summed.customers_churned, 0) as customers_churned,
    customers_summed.customers_churned
    / nullif(customers_summed.customers_in_crm, 0) as churn_rate

from contacts_summed
left join csat_summed
    on
        contacts_summed.dimension_type = csat_summed.dimension_type
        and contacts_summed.dimension_value = csat_summed.dimension_value
        and contacts_summed.period_grain = csat_summed.period_grain
        and contacts_summed.period_start_date = csat_summed.period_start_date
left join customers_summed
    on
        contacts_summed.dimension_type = customers_summed.dimension_type
        and contacts_summed.dimension_value = customers_summed.dimension_value
        and contacts_summed.period_grain = customers_summed.period_grain
        and contacts_summed.period_start_date = customers_summed.period_start_date
order by 1, 2, 3, 4;
