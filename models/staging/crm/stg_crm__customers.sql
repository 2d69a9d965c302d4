with

source as (

    select * from {{ source('crm', 'customers') }}

),

renamed as (

    select
        ----------  ids
        cast(customer_id as varchar) as customer_id,

        ----------  strings
        cast(segment as varchar) as segment,
        cast(region as varchar) as region,
        filename as source_file,

        ----------  numerics
        cast(monthly_revenue as decimal(18, 2)) as monthly_revenue_amount,

        ----------  timestamps
        {{ to_utc('signed_up_at') }} as signed_up_at,
        {{ to_utc('churned_at') }} as churned_at

    from source

)

select * from renamed
