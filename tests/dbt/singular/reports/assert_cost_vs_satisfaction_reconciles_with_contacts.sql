{# Every contact is in exactly one unit of each dimension_type and period grain, so
   per dimension_type x period the units add up to the facts: handled contacts and
   staff cost to fct_contacts (exactly: sums of 4-decimal costs), CSAT answers to
   fct_survey_responses.

   The report is incremental by period: a nightly run checks the periods it
   recomputed (macros is_run_period, in_run_periods), the earlier ones were checked by
   the runs that wrote them; a full build checks every period. #}
with

report as (

    select
        dimension_type,
        period_grain,
        period_start_date,
        sum(contacts_handled) as contacts_handled,
        coalesce(sum(staff_cost_amount), 0) as staff_cost_amount,
        sum(csat_responses) as csat_responses

    from {{ ref('rpt_cost_vs_satisfaction') }}
    where {{ is_run_period('period_start_date', 'period_grain') }}
    group by 1, 2, 3

),

csat_responses as (

    select
        contact_id,
        count(*) as csat_responses

    from {{ ref('fct_survey_responses') }}
    where survey_type = 'csat' and contact_id is not null
    group by 1

),

contacts as (

    {# each contact's CSAT answers counted once, before the per-grain sums (a
       count per contact and grain took most of this test's time on a year) #}
    select
        fct_contacts.is_answered,
        fct_contacts.cost_amount,
        fct_contacts.arrived_date,
        coalesce(csat_responses.csat_responses, 0) as csat_responses

    from {{ ref('fct_contacts') }} as fct_contacts
    left join csat_responses
        on fct_contacts.contact_id = csat_responses.contact_id
    where {{ in_run_periods('arrived_date', var('cost_vs_satisfaction_period_grains')) }}

),

facts as (

    {% for grain in var('cost_vs_satisfaction_period_grains') %}
    select
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', arrived_date) as date) as period_start_date,
        count(*) filter (where is_answered) as contacts_handled,
        coalesce(sum(cost_amount), 0) as staff_cost_amount,
        sum(csat_responses) as csat_responses

    from contacts
    group by 1, 2
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    report.*,
    facts.contacts_handled as fact_contacts_handled,
    facts.staff_cost_amount as fact_staff_cost_amount,
    facts.csat_responses as fact_csat_responses

from report
full outer join facts
    on
        report.period_grain = facts.period_grain
        and report.period_start_date = facts.period_start_date
where
    {# the contacts read reach back to the earliest grain's period: keep only the
       periods recomputed at each grain #}
    {{ is_run_period(
        'coalesce(report.period_start_date, facts.period_start_date)',
        'coalesce(report.period_grain, facts.period_grain)'
    ) }}
    and (
        report.dimension_type is null
        or facts.period_grain is null
        or report.contacts_handled != facts.contacts_handled
        or report.staff_cost_amount != facts.staff_cost_amount
        or report.csat_responses != facts.csat_responses
    )
