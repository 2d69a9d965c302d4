{# One row per customer and calendar month in which they were a customer, inside the
   months the contact data covers: from the later of sign-up and the first data month
   to the earlier of churn and the last data month. Months are local: a customer's
   sign-up and churn are dated in the center's zone (var reporting_timezone), each
   contact in its queue's zone, as in fct_contacts.

   In a nightly run (macro run_window_start) only the months from the run's first
   month on, the ones fct_customer_months rewrites and this model's tests then read:
   not every customer over the whole history each night (issue 19). #}
with

customers as (

    select
        customer_id,
        segment,
        region,
        monthly_revenue_amount,
        signed_up_at,
        churned_at,
        {{ local_date('churned_at', center_timezone()) }} as churned_date

    from {{ ref('stg_crm__customers') }}

),

queues as (

    select
        queue_id,
        timezone

    from {{ ref('int_queues_resolved') }}

),

{# The data span is the first and last local date over every contact: only the
   contacts within about a day of the first and last instant can hold either (macro
   near_instant_edges), so only those are dated, from the raw instant as the staging
   view converts it (to_utc): the same dates, without converting the whole history
   each night. #}
edge_contacts as (

    {{ near_instant_edges(
        ref('stg_telephony__contacts'), 'arrived_at_instant',
        ['arrived_at_instant', 'queue_id']
    ) }}

),

contact_dates as (

    select
        {{ local_date(
            to_utc('contacts.arrived_at_instant'), queue_timezone('queues.timezone')
        ) }} as arrived_date

    from edge_contacts as contacts
    left join queues
        on contacts.queue_id = queues.queue_id

),

data_months as (

    select
        date_trunc('month', min(arrived_date)) as first_month_at,
        date_trunc('month', max(arrived_date)) as last_month_at

    from contact_dates

),

bounded as (

    select
        customers.customer_id,
        greatest(
            date_trunc(
                'month', {{ local_date('customers.signed_up_at', center_timezone()) }}
            ),
            data_months.first_month_at
            {%- if run_window_start() %},
            {{ run_period_start("'month'") }}
            {%- endif %}
        ) as from_month_at,
        least(
            coalesce(
                date_trunc('month', customers.churned_date), data_months.last_month_at
            ),
            data_months.last_month_at
        ) as to_month_at

    from customers
    cross join data_months

),

expanded as (

    select
        customer_id,
        {{ series('from_month_at', 'to_month_at', 'interval 1 month') }}
            as month_start_at

    from bounded
    where from_month_at <= to_month_at

),

final as (

    select
        customers.*,
        cast(expanded.month_start_at as date) as month_start_date

    from customers
    inner join expanded
        on customers.customer_id = expanded.customer_id

)

select * from final
