{# The fit saw every customer window at risk, and each churned window is a
   customer of dim_customers who churned in it. #}
with

fit as (

    select
        max(customer_windows) as customer_windows,
        max(churned_customer_windows) as churned_customer_windows

    from {{ ref('rpt_wait_churn_effects') }}

),

windows as (

    select
        count(*) as customer_windows,
        count(*) filter (where is_churned) as churned_customer_windows,
        count(distinct customer_id) filter (where is_churned) as churned_customers

    from {{ ref('int_customer_windows_aggregated') }}

),

customers as (

    select count(*) as churned_customers

    from {{ ref('dim_customers') }}
    where churned_at is not null

)

{# One-row totals side by side: a failing row shows both sides of the mismatch. #}
select *  -- noqa: RF02

from fit
cross join windows
cross join customers
where
    coalesce(fit.customer_windows, 0) != windows.customer_windows
    or coalesce(fit.churned_customer_windows, 0)
    != windows.churned_customer_windows
    or windows.churned_customers != windows.churned_customer_windows
    or windows.churned_customers > customers.churned_customers
