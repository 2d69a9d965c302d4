with

source as (

    select * from {{ source('wfm', 'agent_intervals') }}

),

renamed as (

    select
        ----------  ids
        cast(agent_id as string) as agent_id,
        cast(team_id as string) as team_id,
        cast(queue_id as string) as queue_id,

        ----------  strings
        _source_file as source_file,

        ----------  numerics
        cast(cast(interval_minutes as double) as integer) as interval_minutes,
        cast(staffed_seconds as double) as staffed_seconds,
        cast(available_seconds as double) as available_seconds,
        cast(handling_seconds as double) as handling_seconds,
        cast(aux_seconds as double) as aux_seconds,

        ----------  timestamps
        {# as raw holds it (TIMESTAMPTZ; as_instant is a no-op on it): the run
           window's pre-filter (macro in_run_window) compares it where it is
           stored #}
        {{ as_instant('interval_start') }} as interval_start_instant,
        {{ to_utc('interval_start') }} as interval_start_at

    from source

)

select * from renamed
