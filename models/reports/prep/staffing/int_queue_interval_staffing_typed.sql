{# One row per queue x interval of int_queue_interval_staffing_optimized in the
   public types: agents as integers, money rounded to decimals. rpt_staffing
   publishes these rows and rpt_staffing_daily sums them, so a day is exactly the sum
   of its published intervals. A view because two reports read it. Every money
   figure is a central value with the range the prices' intervals give it (lower /
   upper): opsmart.effects.interval_staffing. #}
with

staffing as (

    select * from {{ ref('int_queue_interval_staffing_optimized') }}

),

final as (

    select
        queue_id,
        channel,
        contacts_offered,
        aht_seconds,
        patience_seconds,
        staffed_agents,
        cast(actual_agents as integer) as actual_agents,
        cast(required_agents_erlang_a as integer) as required_agents_erlang_a,
        cast(optimal_agents as integer) as optimal_agents,
        cast(actual_agents - optimal_agents as integer) as optimal_gap_agents,
        cast(staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
        cast(agent_cost_per_hour_amount as decimal(18, 4))
            as agent_cost_per_hour_amount,
        {{ amount_with_range('waiting_cost_per_second', scale=6) }},
        {{ amount_with_range('abandon_cost', scale=4) }},
        is_value_priced,
        is_patience_fallback,
        {{ amount_with_range('cost_at_actual', scale=4) }},
        {{ amount_with_range('cost_at_optimal', scale=4) }},
        {{ amount_with_range('money_at_stake', scale=4) }},
        cast(staff_cost_at_actual_amount as decimal(18, 4))
            as staff_cost_at_actual_amount,
        cast(staff_cost_at_optimal_amount as decimal(18, 4))
            as staff_cost_at_optimal_amount,
        interval_date,
        interval_start_local_at,
        interval_start_at

    from staffing

)

select * from final
