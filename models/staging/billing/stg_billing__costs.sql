with

source as (

    {# A snapshot source: each team and start date's latest version. #}
    {{ latest_versions(source('billing', 'costs'), ['team_id', 'effective_from']) }}

),

renamed as (

    select
        ----------  ids
        cast(team_id as string) as team_id,

        ----------  strings
        upper(trim(cast(currency as string))) as currency,
        _source_file as source_file,

        ----------  numerics
        {# through text, as in stg_crm__customers: a DOUBLE cast to a decimal
           rounds its binary value, not the delivered amount #}
        cast(cast(loaded_cost_per_agent_hour as string) as decimal(18, 4))
            as loaded_cost_per_agent_hour_amount,

        ----------  dates
        cast(effective_from as date) as effective_from_date

    from source

)

select * from renamed
