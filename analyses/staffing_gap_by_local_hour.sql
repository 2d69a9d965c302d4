{# Where staffing should change, by queue, weekday and local hour, over the latest
   complete period: the mean agents staffed against the mean the queue's service
   target requires (Erlang A) in that hour, and how often the hour was short. The
   gap is the project's (fct_queue_intervals.staffing_gap_agents: whole agents
   staffed minus required), averaged: a negative `mean_gap_agents` is agents to add
   in that hour, a positive one agents who could move elsewhere. Hours are the queue's local clock (its time zone), so a
   schedule can be read straight off the rows. Intervals whose staffing is estimated
   (no agent data) are left out: their staffing is unknown.

   The period: var analysis_period_grain, `month` (default) or `week`. #}
{% set grain = var('analysis_period_grain', 'month') %}

with

latest_period as (

    select
        period_start_date,
        period_end_date

    from {{ ref('dim_periods') }}
    where period_grain = '{{ grain }}' and is_period_complete
    order by period_start_date desc
    limit 1

),

queue_intervals as (

    select * from {{ ref('fct_queue_intervals') }}

),

measured as (

    select
        queue_intervals.queue_id,
        queue_intervals.channel,
        latest_period.period_start_date,
        {# ISO weekday, 1 = Monday, and the hour on the queue's wall clock #}
        isodow(queue_intervals.interval_start_local_at) as local_weekday,
        hour(queue_intervals.interval_start_local_at) as local_hour,
        queue_intervals.contacts_offered,
        queue_intervals.staffed_agents,
        queue_intervals.required_agents_erlang_a,
        queue_intervals.staffing_gap_agents

    from queue_intervals
    inner join latest_period
        on
            queue_intervals.interval_date
            between latest_period.period_start_date and latest_period.period_end_date
    where
        not queue_intervals.is_staffing_estimated
        and queue_intervals.required_agents_erlang_a is not null

),

final as (

    select
        queue_id,
        channel,
        period_start_date,
        local_weekday,
        local_hour,
        count(*) as intervals,
        sum(contacts_offered) as contacts_offered,
        avg(staffed_agents) as mean_staffed_agents,
        avg(required_agents_erlang_a) as mean_required_agents,
        avg(staffing_gap_agents) as mean_gap_agents,
        {{ safe_divide(
            'count(*) filter (where staffing_gap_agents < 0)', 'count(*)'
        ) }} as intervals_short_rate

    from measured
    group by 1, 2, 3, 4, 5

)

select * from final
order by mean_gap_agents, queue_id, local_weekday, local_hour
