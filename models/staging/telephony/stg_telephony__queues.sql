with

source as (

    {# A snapshot source: each queue's latest version. #}
    {{ latest_versions(source('telephony', 'queues'), ['queue_id']) }}

),

renamed as (

    select
        ----------  ids
        cast(queue_id as string) as queue_id,
        cast(team_id as string) as team_id,

        ----------  strings
        cast(queue_name as string) as queue_name,
        lower(cast(channel as string)) as channel,
        nullif(trim(cast(timezone as string)), '') as timezone,
        _source_file as source_file,

        ----------  numerics
        cast(cast(sl_threshold_seconds as double) as integer) as sl_threshold_seconds,
        cast(sl_target_rate as double) as sl_target_rate,
        cast(cast(asa_target_seconds as double) as integer) as asa_target_seconds,
        cast(abandonment_target_rate as double) as abandonment_target_rate

    from source

)

select * from renamed
