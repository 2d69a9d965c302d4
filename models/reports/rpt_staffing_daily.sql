{# A day's money figures are sums of its intervals': the ranges too (each bound
   summed), a conservative range for the day since one price holds for every
   interval. Payroll (staff_cost_amount) sits beside them on the same intervals.
   The intervals are rpt_staffing's rows (int_queue_interval_staffing_typed), so a
   day adds up exactly to its intervals in rpt_staffing. #}
with

staffing as (

    select * from {{ ref('int_queue_interval_staffing_typed') }}

),

final as (

    select
        queue_id,
        channel,
        cast(count(*) as integer) as intervals,
        cast(count(money_at_stake_amount) as integer) as intervals_priced,
        cast(sum(contacts_offered) as integer) as contacts_offered,
        {# Agent-hours: agents x interval length, summed (null when none known); / 60,
           not 60.0, which makes the quotient a decimal on Spark. #}
        sum(actual_agents * {{ var('interval_minutes') }} / 60)
            as actual_agent_hours,
        sum(required_agents_erlang_a * {{ var('interval_minutes') }} / 60)
            as required_agent_hours_erlang_a,
        sum(optimal_agents * {{ var('interval_minutes') }} / 60)
            as optimal_agent_hours,
        cast(sum(staff_cost_amount) as decimal(18, 4)) as staff_cost_amount,
        cast(sum(cost_at_actual_amount) as decimal(18, 4)) as cost_at_actual_amount,
        cast(sum(cost_at_actual_lower_amount) as decimal(18, 4))
            as cost_at_actual_lower_amount,
        cast(sum(cost_at_actual_upper_amount) as decimal(18, 4))
            as cost_at_actual_upper_amount,
        cast(sum(cost_at_optimal_amount) as decimal(18, 4)) as cost_at_optimal_amount,
        cast(sum(cost_at_optimal_lower_amount) as decimal(18, 4))
            as cost_at_optimal_lower_amount,
        cast(sum(cost_at_optimal_upper_amount) as decimal(18, 4))
            as cost_at_optimal_upper_amount,
        cast(sum(money_at_stake_amount) as decimal(18, 4)) as money_at_stake_amount,
        cast(sum(money_at_stake_lower_amount) as decimal(18, 4))
            as money_at_stake_lower_amount,
        cast(sum(money_at_stake_upper_amount) as decimal(18, 4))
            as money_at_stake_upper_amount,
        cast(sum(staff_cost_at_actual_amount) as decimal(18, 4))
            as staff_cost_at_actual_amount,
        cast(sum(staff_cost_at_optimal_amount) as decimal(18, 4))
            as staff_cost_at_optimal_amount,
        interval_date

    from staffing
    group by queue_id, channel, interval_date

)

select * from final
