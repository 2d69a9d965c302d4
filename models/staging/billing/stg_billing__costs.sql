with

source as (

    select * from {{ source('billing', 'costs') }}

),

renamed as (

    select
        ----------  ids
        cast(team_id as varchar) as team_id,

        ----------  strings
        upper(cast(currency as varchar)) as currency,
        filename as source_file,

        ----------  numerics
        cast(loaded_cost_per_agent_hour as decimal(18, 4))
            as loaded_cost_per_agent_hour_amount,

        ----------  dates
        cast(effective_from as date) as effective_from_date

    from source

)

select * from renamed
