with

source as (

    {# A snapshot source: each customer's latest version. #}
    {{ latest_versions(source('crm', 'customers'), ['customer_id']) }}

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
