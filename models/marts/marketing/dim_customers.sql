with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

final as (

    select
        customer_id,
        segment,
        region,
        monthly_revenue_amount,
        churned_at is not null as is_churned,
        cast(signed_up_at as date) as signed_up_date,
        cast(churned_at as date) as churned_date,
        signed_up_at,
        churned_at

    from customers

)

select * from final
