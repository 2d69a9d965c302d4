{# The staffing plan per queue x local date: agent-hours (agents x interval
   length, summed) and staff cost of rpt_staffing_plan's intervals
   (int_staffing_plan_typed), in the same
   types, so a day adds up to its intervals (opsmart.forecast.daily_staffing_plan
   is the reference). A sum is null when any of its intervals is: a partial day
   would read as a whole one. A day's sum of upper bounds staffs every interval
   for its own upper quantile: more than the day's quantile. #}
{%- set hours = var('interval_minutes') ~ ' / 60' -%}

with

plan as (

    select * from {{ ref('int_staffing_plan_typed') }}

),

final as (

    select
        queue_id,
        cast(count(*) as integer) as intervals,
        {# / 60, not 60.0, which makes the quotient a decimal on Spark #}
        count(*) * {{ hours }} as hours,
        sum(contacts_offered_forecast) as contacts_offered_forecast,
        case
            when count(required_agents) = count(*)
                then sum(required_agents * {{ hours }})
        end as required_agent_hours,
        case
            when count(required_agents_upper_80) = count(*)
                then sum(required_agents_upper_80 * {{ hours }})
        end as required_agent_hours_upper_80,
        case
            when count(required_agents_upper_95) = count(*)
                then sum(required_agents_upper_95 * {{ hours }})
        end as required_agent_hours_upper_95,
        case
            when count(scheduled_agents) = count(*)
                then sum(scheduled_agents * {{ hours }})
        end as scheduled_agent_hours,
        case
            when count(scheduled_agents_upper_80) = count(*)
                then sum(scheduled_agents_upper_80 * {{ hours }})
        end as scheduled_agent_hours_upper_80,
        case
            when count(scheduled_agents_upper_95) = count(*)
                then sum(scheduled_agents_upper_95 * {{ hours }})
        end as scheduled_agent_hours_upper_95,
        case
            when count(scheduled_optimal_agents) = count(*)
                then sum(scheduled_optimal_agents * {{ hours }})
        end as scheduled_optimal_agent_hours,
        case
            when count(scheduled_optimal_agents_upper_80) = count(*)
                then sum(scheduled_optimal_agents_upper_80 * {{ hours }})
        end as scheduled_optimal_agent_hours_upper_80,
        case
            when count(scheduled_optimal_agents_upper_95) = count(*)
                then sum(scheduled_optimal_agents_upper_95 * {{ hours }})
        end as scheduled_optimal_agent_hours_upper_95,
        case
            when count(staff_cost_amount) = count(*)
                then cast(sum(staff_cost_amount) as decimal(18, 4))
        end as staff_cost_amount,
        case
            when count(staff_cost_upper_80_amount) = count(*)
                then cast(sum(staff_cost_upper_80_amount) as decimal(18, 4))
        end as staff_cost_upper_80_amount,
        case
            when count(staff_cost_upper_95_amount) = count(*)
                then cast(sum(staff_cost_upper_95_amount) as decimal(18, 4))
        end as staff_cost_upper_95_amount,
        case
            when count(optimal_staff_cost_amount) = count(*)
                then cast(sum(optimal_staff_cost_amount) as decimal(18, 4))
        end as optimal_staff_cost_amount,
        case
            when count(optimal_staff_cost_upper_80_amount) = count(*)
                then cast(sum(optimal_staff_cost_upper_80_amount) as decimal(18, 4))
        end as optimal_staff_cost_upper_80_amount,
        case
            when count(optimal_staff_cost_upper_95_amount) = count(*)
                then cast(sum(optimal_staff_cost_upper_95_amount) as decimal(18, 4))
        end as optimal_staff_cost_upper_95_amount,
        bool_or(is_erlang_c_fallback) as is_erlang_c_fallback,
        interval_date

    from plan
    group by queue_id, interval_date

)

select * from final
