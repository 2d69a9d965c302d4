with

queues as (

    select * from {{ ref('int_queues_resolved') }}

),

final as (

    select
        queue_id,
        team_id,
        queue_name,
        channel,
        timezone,
        coalesce(sl_threshold_seconds, {{ var('sl_threshold_seconds') }})
            as sl_threshold_seconds,
        sl_target_rate,
        asa_target_seconds,
        abandonment_target_rate

    from queues

)

select * from final
