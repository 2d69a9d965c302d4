{# Cost next to satisfaction and retention of the same customers, per unit (queue,
   channel, customer segment or owning team) and period (week, month). A contact
   belongs to the period of its arrival; its CSAT answers follow it. The unit's
   customers are the known customers with any contact of the unit in the period:
   their NPS answers given in the period and their churn are the unit's (a customer
   who contacted two queues counts for both). Each period says whether the data
   covers it whole (dim_periods). #}
{# Ordering only, no data: this report and fct_customer_months are the build's two
   largest aggregations over every contact. Run side by side under the one DuckDB
   memory cap (profiles.yml; 2GB then) they ran out of memory in a year's full build
   (2026-12-05, 500 agents). So dbt runs the churn fit after the mart and this report
   after the fit, whose frame lives beside the cap: the three one at a time. A night
   that keeps the fit (docs/nightly.md) leaves this report and the mart free to meet,
   over the night's periods only. #}
-- depends_on: {{ ref('int_churn_wait_effects_fitted') }}
{%- set dimension_columns = {
    'queue': 'queue_id',
    'channel': 'channel',
    'segment': 'segment',
    'team': 'team_id',
} -%}
{%- set unit_keys = {} -%}
{%- set units = [] -%}
{%- for grain in var('cost_vs_satisfaction_period_grains') -%}
{%- if grain not in ('week', 'month') -%}
{{ exceptions.raise_compiler_error(
    "cost_vs_satisfaction_period_grains takes week and month, got " ~ grain
) }}
{%- endif -%}
{%- for dimension in var('cost_vs_satisfaction_dimensions') -%}
{%- if dimension not in dimension_columns -%}
{{ exceptions.raise_compiler_error(
    "cost_vs_satisfaction_dimensions takes queue, channel, segment "
    ~ "and team, got " ~ dimension
) }}
{%- endif -%}
{%- do units.append((dimension, grain)) -%}
{#- A contact's keys for this unit and grain (the unit, its period, the next period's
   start), for contact_units and csat_units. unit_customers builds the same keys from its narrower
   distinct (below). -#}
{%- set keys -%}
'{{ dimension }}' as dimension_type,
        {{ dimension_columns[dimension] }} as dimension_value,
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', arrived_date) as date) as period_start_date,
        cast(
            date_trunc('{{ grain }}', arrived_date) + interval 1 {{ grain }} as date
        ) as next_period_start_date
{%- endset -%}
{%- do unit_keys.update({dimension ~ '/' ~ grain: keys}) -%}
{%- endfor -%}
{%- endfor -%}
{%- set grains = var('cost_vs_satisfaction_period_grains') -%}
{# Incremental by period: `opsmart run` recomputes the weeks and months the run
   window touches, whole, and keeps the earlier ones (macro in_run_periods,
   docs/nightly.md); a full build writes every period. #}
{# A recomputed period replaces its rows whole: the delete key is the period alone,
   as Spark's insert_overwrite replaces the period's partition (Parquet tables have
   no delete, docs/spark.md). With the unit in the key, a unit that lost its last
   contact of the period kept a stale row: a customer's contacts counted as segment
   'unknown' until the next customers snapshot named their segment. #}
{{ config(
    materialized='incremental',
    partition_by=['period_grain', 'period_start_date'] if target.type == 'spark' else none,
    unique_key=['period_grain', 'period_start_date'],
) }}
with

contacts as (

    select
        contact_id,
        customer_id,
        queue_id,
        channel,
        is_answered,
        is_resolved,
        cost_amount,
        arrived_date

    from {{ ref('fct_contacts') }}
    where {{ in_run_periods('arrived_date', grains) }}

),

queues as (

    select
        queue_id,
        team_id

    from {{ ref('dim_queues') }}

),

customers as (

    select
        customer_id,
        segment,
        churned_date

    from {{ ref('dim_customers') }}

),

csat_responses as (

    select
        contact_id,
        is_top2box,
        score_rate

    from {{ ref('fct_survey_responses') }}
    where
        survey_type = 'csat'
        and contact_id is not null
        {# an answer follows its contact, so it is in the contacts' periods #}
        and {{ in_run_periods('responded_date', grains) }}

),

periods as (

    select
        period_grain,
        period_start_date,
        days_covered,
        is_period_complete

    from {{ ref('dim_periods') }}

),

nps_responses as (

    select
        customer_id,
        nps_category,
        responded_date

    from {{ ref('fct_survey_responses') }}
    where
        survey_type = 'nps'
        and customer_id is not null
        and {{ in_run_periods('responded_date', grains) }}

),

{# Every unit column of a contact, joined once before the fan-out below, and its
   customer's CRM record (churn), which the unit's customers read: joined here, to
   the contacts, rather than to the unit's customers, whose eight units and two
   grains make them six times as many rows (docs/performance.md). #}
contacts_with_units as (

    select
        contacts.*,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(queues.team_id, 'unknown') as team_id,
        customers.customer_id is not null as is_customer_in_crm,
        customers.churned_date

    from contacts
    left join queues
        on contacts.queue_id = queues.queue_id
    left join customers
        on contacts.customer_id = customers.customer_id

),

{# One row per contact x unit it belongs to x period grain. #}
contact_units as (

    {% for dimension, grain in units %}
    select
        {{ unit_keys[dimension ~ '/' ~ grain] }},
        is_answered,
        is_resolved,
        cost_amount

    from contacts_with_units
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

contacts_summed as (

    select
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        count(*) filter (where is_answered) as contacts_handled,
        count(*) filter (where is_answered and is_resolved) as contacts_resolved,
        {# Cost ratios count the contacts that carry a cost: a contact on a
           queue-day without payroll (no agent or cost data) has none. #}
        count(cost_amount) as contacts_costed,
        count(cost_amount) filter (where is_resolved) as contacts_resolved_costed,
        sum(cost_amount) as staff_cost_amount

    from contact_units
    group by 1, 2, 3, 4

),

{# The contacts with a CSAT answer, joined before the fan-out: about a tenth of the
   contacts, where joining after it matched every answer against eight units and two
   grains of every contact (the report's costliest step, docs/performance.md). #}
csat_contacts as (

    select
        contacts_with_units.*,
        csat_responses.is_top2box,
        csat_responses.score_rate

    from contacts_with_units
    inner join csat_responses
        on contacts_with_units.contact_id = csat_responses.contact_id

),

{# One row per CSAT answer x unit of its contact x period grain. #}
csat_units as (

    {% for dimension, grain in units %}
    select
        {{ unit_keys[dimension ~ '/' ~ grain] }},
        is_top2box,
        score_rate

    from csat_contacts
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

csat_summed as (

    select
        dimension_type,
        dimension_value,
        period_grain,
        period_start_date,
        count(*) as csat_responses,
        {{ csat_rate() }} as csat_rate,
        {{ csat_rate(method='top2box') }} as csat_top2box_rate,
        {{ csat_rate(method='mean') }} as csat_score_rate

    from csat_units
    group by 1, 2, 3, 4

),

{# The unit's customers: known customers with a contact of the unit in the period.
   One distinct per unit and grain: each branch has its own (dimension_type,
   period_grain), so their union is the distinct of contact_units, but each hash
   table holds an eighth of the rows; the one distinct over all of them did not
   spill and ran out of memory under a 1.5 GB cap. Each distinct keys on what varies
   (the unit's column, the period start, the customer) and the constant and derived
   keys are added after it: narrower hash tables, with which the 2,000-agent month's
   nightly run fits a 1.5 GB cap beside fct_customer_months (docs/performance.md). #}
unit_customers as (

    {% for dimension, grain in units %}
    select
        '{{ dimension }}' as dimension_type,
        dimension_value,
        '{{ grain }}' as period_grain,
        period_start_date,
        cast(period_start_date + interval 1 {{ grain }} as date)
            as next_period_start_date,
        customer_id,
        is_customer_in_crm,
        churned_date

    from (
        {# the CRM columns are the customer's: distinct per customer still #}
        select distinct
            {{ dimension_columns[dimension] }} as dimension_value,
            cast(date_trunc('{{ grain }}', arrived_date) as date) as period_start_date,
            customer_id,
            is_customer_in_crm,
            churned_date

        from contacts_with_units
        where customer_id is not null
    )
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

nps_by_customer_period as (

    {% for grain in var('cost_vs_satisfaction_period_grains') %}
    select
        customer_id,
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', responded_date) as date) as period_start_date,
        count(*) as nps_responses,
        count(*) filter (where nps_category = 'promoter') as nps_promoters,
        count(*) filter (where nps_category = 'passive') as nps_passives,
        count(*) filter (where nps_category = 'detractor') as nps_detractors

    from nps_responses
    group by 1, 2, 3
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

customers_summed as (

    select
        unit_customers.dimension_type,
        unit_customers.dimension_value,
        unit_customers.period_grain,
        unit_customers.period_start_date,
        {# unit_customers is distinct per customer: its rows are the customers #}
        count(*) as customers_served,
        coalesce(sum(nps_by_customer_period.nps_responses), 0) as nps_responses,
        coalesce(sum(nps_by_customer_period.nps_promoters), 0) as nps_promoters,
        coalesce(sum(nps_by_customer_period.nps_passives), 0) as nps_passives,
        coalesce(sum(nps_by_customer_period.nps_detractors), 0) as nps_detractors,
        count(*) filter (where unit_customers.is_customer_in_crm) as customers_in_crm,
        count(*) filter (
            where unit_customers.churned_date >= unit_customers.period_start_date
            and unit_customers.churned_date < unit_customers.next_period_start_date
        ) as customers_churned,
        count(*) filter (
            where unit_customers.is_customer_in_crm
            and (
                unit_customers.churned_date is null
                or unit_customers.churned_date >= unit_customers.next_period_start_date
            )
        ) as customers_retained

    from unit_customers
    left join nps_by_customer_period
        on
            unit_customers.customer_id = nps_by_customer_period.customer_id
            and unit_customers.period_grain = nps_by_customer_period.period_grain
            and unit_customers.period_start_date
            = nps_by_customer_period.period_start_date
    group by 1, 2, 3, 4

),

joined as (

    select
        contacts_summed.dimension_type,
        contacts_summed.dimension_value,
        contacts_summed.period_grain,
        contacts_summed.period_start_date,
        contacts_summed.contacts_handled,
        contacts_summed.contacts_resolved,
        coalesce(customers_summed.customers_served, 0) as customers_served,
        cast(contacts_summed.staff_cost_amount as decimal(18, 4))
            as staff_cost_amount,
        {{ cost_per_unit_amount(
            'contacts_summed.staff_cost_amount', 'contacts_summed.contacts_costed'
        ) }} as cost_per_contact_amount,
        {{ cost_per_unit_amount(
            'contacts_summed.staff_cost_amount',
            'contacts_summed.contacts_resolved_costed'
        ) }} as cost_per_resolved_contact_amount,
        {{ cost_per_unit_amount(
            'contacts_summed.staff_cost_amount', 'customers_summed.customers_served'
        ) }} as cost_to_serve_per_customer_amount,
        coalesce(csat_summed.csat_responses, 0) as csat_responses,
        csat_summed.csat_rate,
        csat_summed.csat_top2box_rate,
        csat_summed.csat_score_rate,
        cast(coalesce(customers_summed.nps_responses, 0) as bigint) as nps_responses,
        cast(coalesce(customers_summed.nps_promoters, 0) as bigint) as nps_promoters,
        cast(coalesce(customers_summed.nps_passives, 0) as bigint) as nps_passives,
        cast(coalesce(customers_summed.nps_detractors, 0) as bigint)
            as nps_detractors,
        coalesce(customers_summed.customers_in_crm, 0) as customers_in_crm,
        coalesce(customers_summed.customers_churned, 0) as customers_churned,
        coalesce(customers_summed.customers_retained, 0) as customers_retained

    from contacts_summed
    left join csat_summed
        on
            contacts_summed.dimension_type = csat_summed.dimension_type
            and contacts_summed.dimension_value = csat_summed.dimension_value
            and contacts_summed.period_grain = csat_summed.period_grain
            and contacts_summed.period_start_date = csat_summed.period_start_date
    left join customers_summed
        on
            contacts_summed.dimension_type = customers_summed.dimension_type
            and contacts_summed.dimension_value = customers_summed.dimension_value
            and contacts_summed.period_grain = customers_summed.period_grain
            and contacts_summed.period_start_date
            = customers_summed.period_start_date

),

scored as (

    select
        *,
        {{ nps() }} as nps,
        {{ nps_standard_error() }} as nps_standard_error,
        {{ safe_divide('customers_churned', 'customers_in_crm') }} as churn_rate,
        {{ safe_divide('customers_retained', 'customers_in_crm') }}
            as retention_rate,
        {{ safe_divide('100.0 * csat_rate', 'cost_per_contact_amount') }}
            as csat_points_per_cost_unit

    from joined

),

final as (

    select
        unit.dimension_type,
        unit.dimension_value,
        unit.period_grain,
        unit.contacts_handled,
        unit.contacts_resolved,
        unit.customers_served,
        unit.staff_cost_amount,
        unit.cost_per_contact_amount,
        unit.cost_per_resolved_contact_amount,
        unit.cost_to_serve_per_customer_amount,
        unit.csat_responses,
        unit.csat_rate,
        unit.csat_top2box_rate,
        unit.csat_score_rate,
        unit.nps_responses,
        unit.nps_promoters,
        unit.nps_passives,
        unit.nps_detractors,
        unit.nps,
        unit.nps_standard_error,
        {{ nps_interval_bound(
            'unit.nps_promoters', 'unit.nps_detractors', 'unit.nps_responses',
            'lower'
        ) }} as nps_ci_lower,
        {{ nps_interval_bound(
            'unit.nps_promoters', 'unit.nps_detractors', 'unit.nps_responses',
            'upper'
        ) }} as nps_ci_upper,
        unit.customers_in_crm,
        unit.customers_churned,
        unit.customers_retained,
        unit.churn_rate,
        unit.retention_rate,
        unit.csat_points_per_cost_unit,
        {# every contact's period is in dim_periods (the same arrived_date) #}
        coalesce(periods.days_covered, 0) as days_covered,
        {{ pareto_efficient(
            candidates='scored',
            row='unit',
            partition_by=['dimension_type', 'period_grain', 'period_start_date'],
            lower_is_better=['cost_per_contact_amount'],
            higher_is_better=['csat_rate']
        ) }} as is_pareto_efficient,
        coalesce(periods.is_period_complete, false) as is_period_complete,
        unit.period_start_date

    from scored as unit
    left join periods
        on
            unit.period_grain = periods.period_grain
            and unit.period_start_date = periods.period_start_date
    where {{ is_run_period('unit.period_start_date', 'unit.period_grain') }}

)

select * from final
