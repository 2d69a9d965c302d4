with

source as (

    {# A snapshot source: a later row for the same key is a newer version of it
       (opsmart's load step keeps every version, in load order). #}
    select * from (
        select
            *,
            row_number() over (
                partition by customer_id
                order by _load_id desc, _source_file desc, _source_row desc
            ) as version_rank
        from {{ source('crm', 'customers') }}
    ) as versions
    where version_rank = 1

),

renamed as (

    select
        ----------  ids
        cast(customer_id as string) as customer_id,

        ----------  strings
        cast(segment as string) as segment,
        cast(region as string) as region,
        _source_file as source_file,

        ----------  numerics
        cast(monthly_revenue as decimal(18, 2)) as monthly_revenue_amount,

        ----------  timestamps
        {{ to_utc('signed_up_at') }} as signed_up_at,
        {{ to_utc('churned_at') }} as churned_at

    from source

)

select * from renamed
