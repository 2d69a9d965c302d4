{# One row per customer and calendar month (UTC) in which they were a customer, inside
   the months the contact data covers: from the later of sign-up and the first data
   month to the earlier of churn and the last data month. #}
with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

data_months as (

    select
        date_trunc('month', min(arrived_at)) as first_month_at,
        date_trunc('month', max(arrived_at)) as last_month_at

    from {{ ref('stg_telephony__contacts') }}

),

bounded as (

    select
        customers.customer_id,
        customers.segment,
        customers.region,
        customers.monthly_revenue_amount,
        customers.signed_up_at,
        customers.churned_at,
        greatest(
            date_trunc('month', customers.signed_up_at), data_months.first_month_at
        ) as from_month_at,
        least(
            coalesce(
                date_trunc('month', customers.churned_at), data_months.last_month_at
            ),
            data_months.last_month_at
        ) as to_month_at

    from customers
    cross join data_months

),

expanded as (

    select
        bounded.*,
        {{ series('from_month_at', 'to_month_at', 'interval 1 month') }}
            as month_start_at

    from bounded
    where from_month_at <= to_month_at

)

select
    customer_id,
    segment,
    region,
    monthly_revenue_amount,
    signed_up_at,
    churned_at,
    cast(month_start_at as date) as month_start_date

from expanded
