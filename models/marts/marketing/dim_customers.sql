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
        {# a customer's dates are local to the center (var reporting_timezone) #}
        {{ local_date('signed_up_at', center_timezone()) }} as signed_up_date,
        {{ local_date('churned_at', center_timezone()) }} as churned_date,
        signed_up_at,
        churned_at

    from customers

)

select * from final
