{# One row per customer x churn window at risk: the design rows of the wait -> churn
   fit. Windows are var churn_window_days long, laid from the hour of the first
   contact in the data, and kept only when the data reaches (within a day) their
   end. A customer is at risk in a window when signed up before its end and not
   churned before its start. #}
with

contacts as (

    select
        customer_id,
        channel,
        arrived_at,
        wait_seconds,
        is_offered,
        is_resolved

    from {{ ref('fct_contacts') }}

),

customers as (

    select
        customer_id,
        segment,
        monthly_revenue_amount,
        signed_up_at,
        churned_at

    from {{ ref('dim_customers') }}

),

data_span as (

    select
        date_trunc('hour', min(arrived_at)) as first_at,
        max(arrived_at) as last_at

    from contacts

),

window_indexes as (

    select
        first_at,
        last_at,
        {{ series(
            '0',
            'cast(floor('
            ~ seconds_between('first_at', 'last_at')
            ~ ' / (' ~ var('churn_window_days') ~ ' * 86400.0)) as bigint)',
            '1'
        ) }} as window_index

    from data_span
    where first_at is not null

),

windows as (

    select
        window_index,
        {{ add_seconds('first_at', 'window_index * ' ~ var('churn_window_days') ~ ' * 86400.0') }}
            as window_start_at,
        {{ add_seconds('first_at', '(window_index + 1) * ' ~ var('churn_window_days') ~ ' * 86400.0') }}
            as window_end_at,
        last_at

    from window_indexes

),

complete_windows as (

    select
        window_index,
        window_start_at,
        window_end_at

    from windows
    where window_end_at <= {{ add_seconds('last_at', '86400.0') }}

),

window_contacts as (

    select
        contacts.customer_id,
        complete_windows.window_index,
        count(*) as contacts_offered,
        count(*) filter (
            where contacts.channel in ('{{ var("realtime_channels") | join("', '") }}')
        ) as realtime_contacts_offered,
        sum(contacts.wait_seconds) filter (
            where contacts.channel in ('{{ var("realtime_channels") | join("', '") }}')
        ) as realtime_wait_seconds,
        count(*) filter (where contacts.is_resolved is not true)
            as contacts_unresolved

    from contacts
    inner join complete_windows
        on
            contacts.arrived_at >= complete_windows.window_start_at
            and contacts.arrived_at < complete_windows.window_end_at
    where contacts.is_offered and contacts.customer_id is not null
    group by 1, 2

),

at_risk as (

    select
        customers.customer_id,
        customers.segment,
        customers.monthly_revenue_amount,
        complete_windows.window_index,
        complete_windows.window_start_at,
        complete_windows.window_end_at,
        coalesce(
            customers.churned_at >= complete_windows.window_start_at
            and customers.churned_at < complete_windows.window_end_at,
            false
        ) as is_churned

    from customers
    inner join complete_windows
        on
            coalesce(customers.signed_up_at, complete_windows.window_start_at)
            < complete_windows.window_end_at
            and (
                customers.churned_at is null
                or customers.churned_at >= complete_windows.window_start_at
            )

),

final as (

    select
        at_risk.customer_id,
        at_risk.window_index,
        at_risk.segment,
        at_risk.monthly_revenue_amount,
        coalesce(window_contacts.contacts_offered, 0) as contacts_offered,
        coalesce(window_contacts.realtime_contacts_offered, 0)
            as realtime_contacts_offered,
        coalesce(window_contacts.contacts_unresolved, 0) as contacts_unresolved,
        {# The generator's regressor: 0 when the customer had no real-time contact
           in the window (a design value, not a KPI). #}
        coalesce(
            {{ safe_divide(
                'window_contacts.realtime_wait_seconds',
                'window_contacts.realtime_contacts_offered'
            ) }},
            0
        ) / 60.0 as mean_wait_minutes,
        {# Customer value = monthly margin x expected lifetime in months, the
           lifetime being 1 / the churn rate per window, in windows. In doubles:
           Spark would keep decimals and round the churn rate to 5 places. #}
        cast(at_risk.monthly_revenue_amount as double) * {{ var('margin_rate') }}
        * {{ var('churn_window_days') }} / 30
        / nullif(avg(case when at_risk.is_churned then 1e0 else 0e0 end) over (), 0)
            as customer_value_amount,
        at_risk.is_churned,
        at_risk.window_start_at,
        at_risk.window_end_at

    from at_risk
    left join window_contacts
        on
            at_risk.customer_id = window_contacts.customer_id
            and at_risk.window_index = window_contacts.window_index

)

select * from final
