with

source as (

    {# A snapshot source: a later row for the same queue is a newer version of it
       (opsmart's load step keeps every version, in load order). #}
    select * from (
        select
            *,
            row_number() over (
                partition by queue_id
                order by _load_id desc, _source_file desc, _source_row desc
            ) as version_rank
        from {{ source('telephony', 'queues') }}
    ) as versions
    where version_rank = 1

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
