{# The staffing plan in its public types, every column cast: with no queue
   forecast yet the Python model's empty frame has no types. The rows
   rpt_staffing_plan publishes and rpt_staffing_plan_daily sums, so a day adds up
   exactly to its intervals; a view because two reports read it. Agent counts are
   whole numbers, cast to integers; money to decimals. A column per upper bound of
   the forecast (_upper_80, _upper_95; the contract names them). #}

with

plan as (

    select * from {{ ref('int_staffing_plan_computed') }}

),

final as (

    select
        cast(queue_id as string) as queue_id,
        cast(staffing_model as string) as staffing_model,
        cast(plan_null_reason as string) as plan_null_reason,
        cast(horizon_week as integer) as horizon_week,
        cast(contacts_offered_forecast as double) as contacts_offered_forecast,
        cast(contacts_offered_upper_80 as bigint) as contacts_offered_upper_80,
        cast(contacts_offered_upper_95 as bigint) as contacts_offered_upper_95,
        cast(aht_seconds_forecast as double) as aht_seconds_forecast,
        cast(patience_seconds as double) as patience_seconds,
        cast(sl_threshold_seconds as integer) as sl_threshold_seconds,
        cast(sl_target_rate as double) as sl_target_rate,
        cast(shrinkage_rate as double) as shrinkage_rate,
        cast(agent_cost_per_hour_amount as decimal(18, 4))
            as agent_cost_per_hour_amount,
        cast(required_agents as integer) as required_agents,
        cast(required_agents_upper_80 as integer) as required_agents_upper_80,
        cast(required_agents_upper_95 as integer) as required_agents_upper_95,
        cast(optimal_agents as integer) as optimal_agents,
        cast(optimal_agents_upper_80 as integer) as optimal_agents_upper_80,
        cast(optimal_agents_upper_95 as integer) as optimal_agents_upper_95,
        cast(scheduled_agents as integer) as scheduled_agents,
        cast(scheduled_agents_upper_80 as integer) as scheduled_agents_upper_80,
        cast(scheduled_agents_upper_95 as integer) as scheduled_agents_upper_95,
        cast(scheduled_optimal_agents as integer) as scheduled_optimal_agents,
        cast(scheduled_optimal_agents_upper_80 as integer) as scheduled_optimal_agents_upper_80,
        cast(scheduled_optimal_agents_upper_95 as integer) as scheduled_optimal_agents_upper_95,
        cast(staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
        cast(staff_cost_upper_80_amount as decimal(18, 4))
            as staff_cost_upper_80_amount,
        cast(staff_cost_upper_95_amount as decimal(18, 4))
            as staff_cost_upper_95_amount,
        cast(optimal_staff_cost_amount as decimal(18, 4))
            as optimal_staff_cost_amount,
        cast(optimal_staff_cost_upper_80_amount as decimal(18, 4))
            as optimal_staff_cost_upper_80_amount,
        cast(optimal_staff_cost_upper_95_amount as decimal(18, 4))
            as optimal_staff_cost_upper_95_amount,
        cast(is_aht_fallback as boolean) as is_aht_fallback,
        cast(is_erlang_c_fallback as boolean) as is_erlang_c_fallback,
        cast(interval_date as date) as interval_date,
        cast(interval_start_local_at as timestamp) as interval_start_local_at,
        cast(interval_start_at as timestamp) as interval_start_at

    from plan

)

select * from final
