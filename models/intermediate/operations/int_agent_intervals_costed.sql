{# Each agent interval with the loaded cost rate of the agent's team in force on that
   day (costs apply from effective_from until the team's next row), re-bucketed to the
   pipeline's interval length. #}
with

agent_intervals as (

    select * from {{ ref('stg_wfm__agent_intervals') }}
    where {{ in_run_window('interval_start_at') }}

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

costed as (

    select
        agent_intervals.agent_id,
        agent_intervals.team_id,
        agent_intervals.queue_id,
        costs.currency,
        agent_intervals.interval_minutes as source_interval_minutes,
        agent_intervals.staffed_seconds,
        agent_intervals.available_seconds,
        agent_intervals.handling_seconds,
        agent_intervals.aux_seconds,
        costs.loaded_cost_per_agent_hour_amount,
        cast(
            agent_intervals.staffed_seconds / 3600.0
            * costs.loaded_cost_per_agent_hour_amount as decimal(18, 4)
        ) as staff_cost_amount,
        {{ interval_start('agent_intervals.interval_start_at') }}
            as interval_start_at,
        agent_intervals.interval_start_at as source_interval_start_at

    from agent_intervals
    left join costs
        on
            agent_intervals.team_id = costs.team_id
            and cast(agent_intervals.interval_start_at as date)
            >= costs.effective_from_date
            and (
                costs.effective_to_date is null
                or cast(agent_intervals.interval_start_at as date)
                < costs.effective_to_date
            )

)

select * from costed
