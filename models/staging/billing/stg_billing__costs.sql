with

source as (

    {# A snapshot source: a later row for the same key is a newer version of it
       (opsmart's load step keeps every version, in load order). #}
    select * from (
        select
            *,
            row_number() over (
                partition by team_id, effective_from
                order by _load_id desc, _source_file desc, _source_row desc
            ) as version_rank
        from {{ source('billing', 'costs') }}
    ) as versions
    where version_rank = 1

),

renamed as (

    select
        ----------  ids
        cast(team_id as string) as team_id,

        ----------  strings
        upper(trim(cast(currency as string))) as currency,
        _source_file as source_file,

        ----------  numerics
        cast(loaded_cost_per_agent_hour as decimal(18, 4))
            as loaded_cost_per_agent_hour_amount,

        ----------  dates
        cast(effective_from as date) as effective_from_date

    from source

)

select * from renamed
