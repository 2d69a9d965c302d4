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
        {# through text: raw holds a DOUBLE, and DuckDB casts a double to a decimal
           by rounding its binary value (1.005 is 1.00499999..., so 1.00), while the
           delivered text '1.005' rounds to 1.01. A double's text is the shortest
           that reads back as the same double: the delivered digits, so the amount
           is the one the delivered text gives (on Spark too) #}
        cast(cast(monthly_revenue as string) as decimal(18, 2))
            as monthly_revenue_amount,

        ----------  timestamps
        {{ to_utc('signed_up_at') }} as signed_up_at,
        {{ to_utc('churned_at') }} as churned_at

    from source

)

select * from renamed
