{# Each agent interval with the loaded cost rate of the agent's team in force on its
   local day (costs apply from effective_from, a local date, from that local midnight
   until the team's next row), re-bucketed to the pipeline's interval length on the
   local clock of the queue's zone. #}
with

agent_intervals as (

    select * from {{ ref('stg_wfm__agent_intervals') }}
    where {{ in_run_window(
        'interval_start_at', is_utc_instant=true,
        instant_column='interval_start_instant'
    ) }}

),

queues as (

    select
        queue_id,
        timezone

    from {{ ref('int_queues_resolved') }}

),

costs as (

    select
        team_id,
        currency,
        loaded_cost_per_agent_hour_amount,
        effective_from_date,
        lead(effective_from_date) over (
            partition by team_id order by effective_from_date
        ) as effective_to_date

    from {{ ref('stg_billing__costs') }}

),

localized as (

    select
        agent_intervals.*,
        {{ queue_timezone('queues.timezone') }} as timezone

    from agent_intervals
    left join queues
        on agent_intervals.queue_id = queues.queue_id

),

dated as (

    select
        *,
        {# buckets start at local midnights: an interval's date is its start's #}
        {{ local_date('interval_start_at', 'timezone') }} as interval_date

    from localized

),

costed as (

    select
        dated.agent_id,
        dated.team_id,
        dated.queue_id,
        dated.timezone,
        costs.currency,
        dated.interval_minutes as source_interval_minutes,
        dated.staffed_seconds,
        dated.available_seconds,
        dated.handling_seconds,
        dated.aux_seconds,
        costs.loaded_cost_per_agent_hour_amount,
        cast(
            dated.staffed_seconds / 3600.0
            * costs.loaded_cost_per_agent_hour_amount as decimal(18, 4)
        ) as staff_cost_amount,
        {{ interval_start('dated.interval_start_at', 'dated.timezone') }}
            as interval_start_at,
        dated.interval_date,
        dated.interval_start_at as source_interval_start_at

    from dated
    left join costs
        on
            dated.team_id = costs.team_id
            and dated.interval_date >= costs.effective_from_date
            and (
                costs.effective_to_date is null
                or dated.interval_date < costs.effective_to_date
            )

)

select * from costed
