{# Incremental by month: `opsmart run` recomputes the months the run window touches,
   whole, and keeps the earlier ones (macros in_run_periods, is_run_period,
   docs/nightly.md); a full build writes every month. A touched month replaces its
   rows whole (the delete key is the month, as Spark replaces its partition): a
   customer no longer a customer in it (a churn reported backdated) leaves no row. #}
{{ incremental_by_date('month_start_date', unique_key='month_start_date') }}

with

customer_months as (

    {# In a nightly run the ephemeral input already starts at the run's first month;
       the filter states which months this model writes. #}
    select * from {{ ref('int_customers_expanded_to_months') }}
    where {{ is_run_period('month_start_date', "'month'") }}

),

contacts as (

    select
        customer_id,
        cast(date_trunc('month', arrived_date) as date) as month_start_date,
        count(*) as contacts,
        count(*) filter (where is_offered) as contacts_offered,
        count(*) filter (where is_answered and not is_resolved) as contacts_unresolved,
        avg(wait_seconds) filter (where is_offered) as avg_wait_seconds,
        sum(cost_amount) as cost_to_serve_amount

    from {{ ref('fct_contacts') }}
    where customer_id is not null and {{ in_run_periods('arrived_date', ['month']) }}
    group by 1, 2

),

surveys as (

    select
        customer_id,
        cast(date_trunc('month', responded_date) as date) as month_start_date,
        count(*) filter (where survey_type = 'csat') as csat_responses,
        {{ csat_rate() }} filter (where survey_type = 'csat') as csat_rate,
        count(*) filter (where survey_type = 'nps') as nps_responses,
        count(*) filter (where nps_category = 'promoter') as nps_promoters,
        count(*) filter (where nps_category = 'passive') as nps_passives,
        count(*) filter (where nps_category = 'detractor') as nps_detractors,
        max_by(score, responded_at) filter (where survey_type = 'nps')
            as last_nps_score

    from {{ ref('fct_survey_responses') }}
    where customer_id is not null and {{ in_run_periods('responded_date', ['month']) }}
    group by 1, 2

),

final as (

    select
        customer_months.customer_id,
        customer_months.segment,
        customer_months.region,
        {{ nps_category('surveys.last_nps_score') }} as nps_category,
        customer_months.monthly_revenue_amount,
        coalesce(contacts.contacts, 0) as contacts,
        coalesce(contacts.contacts_offered, 0) as contacts_offered,
        coalesce(contacts.contacts_unresolved, 0) as contacts_unresolved,
        contacts.avg_wait_seconds,
        cast(
            case
                when contacts.contacts is null then 0
                else contacts.cost_to_serve_amount
            end as decimal(18, 4)
        ) as cost_to_serve_amount,
        coalesce(surveys.csat_responses, 0) as csat_responses,
        surveys.csat_rate,
        coalesce(surveys.nps_responses, 0) as nps_responses,
        coalesce(surveys.nps_promoters, 0) as nps_promoters,
        coalesce(surveys.nps_passives, 0) as nps_passives,
        coalesce(surveys.nps_detractors, 0) as nps_detractors,
        customer_months.churned_date is not null
        and cast(date_trunc('month', customer_months.churned_date) as date)
        = customer_months.month_start_date as is_churned,
        customer_months.churned_date is null
        or cast(date_trunc('month', customer_months.churned_date) as date)
        > customer_months.month_start_date as is_retained,
        customer_months.month_start_date

    from customer_months
    left join contacts
        on
            customer_months.customer_id = contacts.customer_id
            and customer_months.month_start_date = contacts.month_start_date
    left join surveys
        on
            customer_months.customer_id = surveys.customer_id
            and customer_months.month_start_date = surveys.month_start_date

)

select * from final
