with

source as (

    select * from {{ source('telephony', 'contacts') }}

),

typed as (

    select
        ----------  ids
        cast(contact_id as string) as contact_id,
        cast(customer_id as string) as customer_id,
        cast(queue_id as string) as queue_id,
        cast(agent_id as string) as agent_id,

        ----------  strings
        lower(cast(channel as string)) as channel,
        cast(contact_reason as string) as contact_reason,
        lower(cast(outcome as string)) as outcome,
        _source_file as source_file,

        ----------  numerics
        cast(ivr_seconds as double) as ivr_seconds_reported,
        cast(wait_seconds as double) as wait_seconds_reported,
        cast(talk_seconds as double) as talk_seconds_reported,
        cast(hold_seconds as double) as hold_seconds_reported,
        cast(acw_seconds as double) as acw_seconds_reported,

        ----------  booleans
        {# raw holds BOOLEAN: the load typed ' true' as its rule reads it (trimmed) #}
        cast(is_transferred as boolean) as is_transferred,
        cast(is_resolved as boolean) as is_resolved,

        ----------  timestamps
        {# as raw holds it (TIMESTAMPTZ; as_instant is a no-op on it): the run
           window's pre-filter (macro in_run_window) and the data span's edges
           (macro near_instant_edges) compare it where it is stored #}
        {{ as_instant('arrived_at') }} as arrived_at_instant,
        {{ to_utc('arrived_at') }} as arrived_at,
        {{ to_utc('answered_at') }} as answered_at,
        {{ to_utc('ended_at') }} as ended_at

    from source

),

renamed as (

    {# Absent durations are derived from the timestamps (docs/data_contract.md), so a
       per-call export with only timestamps gives the same KPIs as a full one. #}
    select
        contact_id,
        customer_id,
        queue_id,
        agent_id,
        channel,
        contact_reason,
        outcome,
        source_file,
        coalesce(ivr_seconds_reported, 0) as ivr_seconds,
        coalesce(
            wait_seconds_reported,
            case outcome
                when 'handled'
                    then
                        {{ seconds_between('arrived_at', 'answered_at') }}
                        - coalesce(ivr_seconds_reported, 0)
                when 'contained' then 0
                else
                    {{ seconds_between('arrived_at', 'ended_at') }}
                    - coalesce(ivr_seconds_reported, 0)
            end
        ) as wait_seconds,
        coalesce(
            talk_seconds_reported,
            case
                when outcome = 'handled'
                    then
                        {{ seconds_between('answered_at', 'ended_at') }}
                        - coalesce(hold_seconds_reported, 0)
                else 0
            end
        ) as talk_seconds,
        coalesce(hold_seconds_reported, 0) as hold_seconds,
        coalesce(acw_seconds_reported, 0) as acw_seconds,
        coalesce(is_transferred, false) as is_transferred,
        is_resolved,
        arrived_at_instant,
        arrived_at,
        answered_at,
        ended_at

    from typed

)

select * from renamed
