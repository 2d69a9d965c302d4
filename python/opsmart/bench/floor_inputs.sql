-- The floor of the pipeline benchmark, part 1 of 2: the landing files typed and
-- joined, up to queue_intervals_joined (run by opsmart/bench/floor.py). Part 2,
-- floor_marts.sql, computes fct_queue_intervals, fct_queue_days and
-- rpt_cost_vs_satisfaction. The definitions are the marts' at the default vars of
-- dbt_project.yml.
--
-- Placeholders (string.Template: a dollar sign and the name in braces), filled by
-- floor.py:
--   contacts, agent_intervals, survey_responses, customers, costs
--       a table function reading the source's landing files (read_csv / read_parquet)
--   queues      a read_csv of the project's seeds/queues.csv
--   interval_minutes, sl_threshold_seconds, short_abandon_seconds   the vars
--
-- Between the two parts floor.py fetches queue_intervals_joined as Arrow, appends
-- the Erlang C / Erlang A baselines with opsmart.queueing.interval_baselines (as the
-- dbt Python model does) and registers the result as queue_interval_baselines,
-- which part 2 reads.


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
