with

queues as (

    select * from {{ ref('queues') }}

),

final as (

    select
        queue_id,
        team_id,
        queue_name,
        channel,
        coalesce(sl_threshold_seconds, {{ var('sl_threshold_seconds') }})
            as sl_threshold_seconds,
        sl_target_rate,
        asa_target_seconds,
        abandonment_target_rate

    from queues

)

select * from final
