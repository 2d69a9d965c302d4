{# Which queues missed their service-level target in the latest complete period, and
   why. One row per queue with a service-level target: the period's service level
   against the target and against the previous whole period, and what moved with it:
   contacts offered, AHT (the workload per contact), staffed against required
   agent-hours (Erlang A, meeting the queue's target) and the share of intervals short
   of agents. `likely_cause` names the first of those that explains a miss; the
   columns beside it let a reader check it. Worst miss first.

   The period: var analysis_period_grain, `month` (default) or `week`; whole periods
   only (dim_periods.is_period_complete), the queue's local days. #}
{% set grain = var('analysis_period_grain', 'month') %}

with

periods as (

    select
        period_start_date,
        period_end_date,
        row_number() over (order by period_start_date desc) as periods_back

    from {{ ref('dim_periods') }}
    where period_grain = '{{ grain }}' and is_period_complete

),

queue_intervals as (

    select * from {{ ref('fct_queue_intervals') }}

),

queues as (

    select * from {{ ref('dim_queues') }}

),

summed as (

    select
        queue_intervals.queue_id,
        periods.periods_back,
        periods.period_start_date,
        {{ queue_interval_kpi_sums('queue_intervals') }},
        {# measured staffing only: estimated intervals have no staffed agents #}
        sum(queue_intervals.staffed_agents * queue_intervals.interval_minutes) / 60
            as staffed_agent_hours,
        sum(queue_intervals.required_agents_erlang_a * queue_intervals.interval_minutes)
        filter (where queue_intervals.staffed_agents is not null) / 60
            as required_agent_hours,
        count(*) filter (where queue_intervals.staffing_gap_agents < 0)
            as intervals_short,
        count(*) filter (where queue_intervals.contacts_offered > 0)
            as intervals_with_contacts

    from queue_intervals
    inner join periods
        on
            queue_intervals.interval_date
            between periods.period_start_date and periods.period_end_date
    where periods.periods_back <= 2
    group by 1, 2, 3

),

kpis as (

    select
        queue_id,
        periods_back,
        period_start_date,
        contacts_offered,
        {{ service_level_rate() }} as service_level_rate,
        {{ safe_divide('handle_time_seconds', 'contacts_with_handle_time') }}
            as aht_seconds,
        staffed_agent_hours,
        required_agent_hours,
        intervals_short,
        intervals_with_contacts

    from summed

),

compared as (

    select
        latest.queue_id,
        queues.channel,
        latest.period_start_date,
        queues.sl_threshold_seconds,
        queues.sl_target_rate,
        latest.service_level_rate,
        latest.service_level_rate - queues.sl_target_rate
            as service_level_vs_target_rate,
        previous.service_level_rate as previous_service_level_rate,
        latest.contacts_offered,
        {{ safe_divide(
            'latest.contacts_offered - previous.contacts_offered',
            'previous.contacts_offered'
        ) }} as contacts_offered_change_rate,
        latest.aht_seconds,
        {{ safe_divide(
            'latest.aht_seconds - previous.aht_seconds', 'previous.aht_seconds'
        ) }} as aht_change_rate,
        latest.staffed_agent_hours,
        latest.required_agent_hours,
        latest.staffed_agent_hours - latest.required_agent_hours
            as staffing_gap_agent_hours,
        {{ safe_divide('latest.intervals_short', 'latest.intervals_with_contacts') }}
            as intervals_short_rate

    from kpis as latest
    inner join queues
        on latest.queue_id = queues.queue_id
    left join kpis as previous
        on
            latest.queue_id = previous.queue_id
            and previous.periods_back = 2
    where latest.periods_back = 1 and queues.sl_target_rate is not null

),

final as (

    select
        *,
        {# The first that applies; 10 % is a change a floor manager would notice. #}
        case
            when service_level_vs_target_rate >= 0 then 'met'
            when staffing_gap_agent_hours < 0 then 'short_of_agents'
            when contacts_offered_change_rate > 0.10 then 'more_contacts'
            when aht_change_rate > 0.10 then 'longer_handling'
            when intervals_short_rate > 0 then 'short_in_some_intervals'
            else 'not_explained_by_staffing'
        end as likely_cause

    from compared

)

select * from final
order by service_level_vs_target_rate nulls last, queue_id
