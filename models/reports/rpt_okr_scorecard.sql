{# OKR scorecard: every key result of seeds/okr_key_results.csv x every period of its
   grain that the contact data covers (dim_periods, partial first and last periods
   included and marked). Actuals are ratios of the period's sums over the key
   result's channel scope, through the project's KPI macros (so the same vars
   apply). Contacts belong to the period of their arrival, survey answers to the
   period they were given, agent time to its interval's period; churn is over the
   customers who were customers at some point of the period. What each KPI reads
   and how it is tested (its default channels, sums, actual, sample, change test
   and interval) is in macros/okr/. #}
{%- set z = var('report_confidence_z') -%}
{%- set tolerance = var('okr_at_risk_tolerance_rate') -%}
{%- set min_sample = var('okr_min_sample_size') -%}
{%- set grains = ['week', 'month'] -%}
{# Incremental by period: a period's row depends on its own sums and on the period
   before (the change test), so `opsmart run` reads the inputs from the period before
   the earliest one the run window touches (in_run_periods, periods_before=1),
   recomputes the touched periods whole and keeps the earlier ones (is_run_period,
   docs/nightly.md); a full build writes every period. A touched period replaces
   its rows whole (the delete key is the period, as Spark replaces its partition):
   a key result taken out of the seed leaves no row in it. #}
{{ config(
    materialized='incremental',
    partition_by=['period_grain', 'period_start_date'] if target.type == 'spark' else none,
    unique_key=['period_grain', 'period_start_date'],
) }}
with

key_results as (

    select
        key_result_id,
        objective,
        kpi,
        direction,
        target,
        baseline,
        owner_department,
        period_grain,
        coalesce(
            nullif(trim(channels), ''),
            case
                when kpi in ('{{ okr_realtime_kpis() | join("', '") }}')
                    then '{{ var("realtime_channels") | join("|") }}'
                else 'all'
            end
        ) as channel_scope

    from {{ ref('okr_key_results') }}

),

contacts as (

    select
        channel,
        arrived_date,
        is_offered,
        is_answered,
        is_abandoned,
        is_answered_within_threshold,
        is_abandoned_within_threshold,
        is_short_abandon,
        is_first_contact_resolved,
        wait_seconds,
        handle_time_seconds,
        cost_amount

    from {{ ref('fct_contacts') }}
    where {{ in_run_periods('arrived_date', grains, periods_before=1) }}

),

survey_responses as (

    select
        survey_type,
        channel,
        nps_category,
        is_top2box,
        score_rate,
        responded_date

    from {{ ref('fct_survey_responses') }}
    where
        survey_type in ('csat', 'nps')
        and {{ in_run_periods('responded_date', grains, periods_before=1) }}

),

{# Agent time has no channel: it counts in the scope `all` only. #}
agent_intervals as (

    select
        'all' as channel_scope,
        handling_seconds,
        available_seconds,
        staffed_seconds,
        aux_seconds,
        interval_date

    from {{ ref('fct_agent_intervals') }}
    where {{ in_run_periods('interval_date', grains, periods_before=1) }}

),

customers as (

    select
        signed_up_date,
        churned_date

    from {{ ref('dim_customers') }}

),

periods as (

    select
        period_grain,
        period_start_date,
        period_end_date,
        days_covered,
        is_period_complete

    from {{ ref('dim_periods') }}
    {# the run's periods and the one before each (the change test's previous) #}
    where {{ in_run_periods('period_start_date', grains, periods_before=1) }}

),

{# The distinct channel scopes of the key results: each contact or answer is summed
   once per scope it falls in, and each key result reads its scope's sums. #}
scopes as (

    select distinct channel_scope

    from key_results

),

contacts_in_scope as (

    select
        scopes.channel_scope,
        contacts.*

    from contacts
    inner join scopes
        on {{ in_channel_scope('contacts.channel', 'scopes.channel_scope') }}

),

surveys_in_scope as (

    select
        scopes.channel_scope,
        survey_responses.*

    from survey_responses
    inner join scopes
        on {{ in_channel_scope(
            'survey_responses.channel', 'scopes.channel_scope'
        ) }}

),

contacts_summed as (

    {{ okr_sums_by_period(
        'contacts_in_scope', 'arrived_date', okr_contact_sums(), grains
    ) }}

),

surveys_summed as (

    {{ okr_sums_by_period(
        'surveys_in_scope', 'responded_date', okr_survey_sums(), grains
    ) }}

),

agent_time_summed as (

    {{ okr_sums_by_period(
        'agent_intervals', 'interval_date', okr_agent_time_sums(), grains
    ) }}

),

{# Customers at some point of the period: signed up before it ended and not churned
   before it began; churned = churned_date inside the period. #}
customers_summed as (

    select
        periods.period_grain,
        periods.period_start_date,
        count(*) as customers_active,
        count(*) filter (
            where customers.churned_date >= periods.period_start_date
            and customers.churned_date <= periods.period_end_date
        ) as customers_churned

    from periods
    inner join customers
        on
            customers.signed_up_date <= periods.period_end_date
            and (
                customers.churned_date is null
                or customers.churned_date >= periods.period_start_date
            )
    group by 1, 2

),

{# One row per KPI x channel scope x period: the actual; the number of values it
   averages over (sample_count: contacts, answers or customers; null for occupancy,
   a ratio of times); for means their sample variance; for NPS its promoters and
   detractors.
   These feed the interval, the change test and the minimum sample. Agent time and
   customers have no channel: their KPIs exist for the scope `all` only. One
   select per KPI of macro okr_kpi_value_selects. #}
kpi_values as (

    {% for kpi_value in okr_kpi_value_selects() %}
    select
        {{ kpi_value.channel_scope }} as channel_scope,
        period_grain,
        period_start_date,
        '{{ kpi_value.kpi }}' as kpi,
        {{ kpi_value.actual }} as actual,
        {{ kpi_value.sample_count }} as sample_count,
        {{ kpi_value.sample_variance }} as sample_variance,
        {% if kpi_value.has_nps_counts -%}
        nps_promoters,
        nps_detractors
        {%- else -%}
        null as nps_promoters,
        null as nps_detractors
        {%- endif %}
    from {{ kpi_value.summed }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

key_result_periods as (

    select
        key_results.key_result_id,
        key_results.objective,
        key_results.kpi,
        key_results.direction,
        key_results.owner_department,
        key_results.period_grain,
        key_results.channel_scope,
        key_results.target,
        key_results.baseline,
        case key_results.kpi
            {% for kpi, test in okr_significance_tests().items() -%}
            when '{{ kpi }}' then '{{ test }}'
            {% endfor -%}
            else 'not_tested'
        end as significance_test,
        cast(kpi_values.actual as double) as actual,
        cast(kpi_values.sample_count as bigint) as sample_count,
        cast(kpi_values.sample_variance as double) as sample_variance,
        cast(kpi_values.nps_promoters as bigint) as nps_promoters,
        cast(kpi_values.nps_detractors as bigint) as nps_detractors,
        periods.days_covered,
        periods.is_period_complete,
        periods.period_start_date,
        periods.period_end_date

    from key_results
    inner join periods
        on key_results.period_grain = periods.period_grain
    left join kpi_values
        on
            key_results.kpi = kpi_values.kpi
            and key_results.channel_scope = kpi_values.channel_scope
            and periods.period_grain = kpi_values.period_grain
            and periods.period_start_date = kpi_values.period_start_date

),

lagged as (

    select
        *,
        lag(period_start_date) over previous_period as previous_period_start_date,
        lag(is_period_complete) over previous_period
            as is_previous_period_complete,
        lag(actual) over previous_period as lagged_actual,
        lag(sample_count) over previous_period as lagged_sample_count,
        lag(sample_variance) over previous_period as lagged_sample_variance,
        lag(nps_promoters) over previous_period as lagged_nps_promoters,
        lag(nps_detractors) over previous_period as lagged_nps_detractors

    from key_result_periods
    window previous_period as (
        partition by key_result_id order by period_start_date
    )

),

{# "Change vs previous" compares whole periods only: a partial period (the running
   one, or the one the data starts in) against a whole one mixes a few days, often
   of other weekdays, with a full period. Only the first and the last period can be
   partial, so a whole period's previous period is whole unless it is the first. A
   partial period keeps its actual and status but gets no previous actual, change
   or test; change_null_reason says why. #}
compared as (

    select
        *,
        {% for column in [
            'actual', 'sample_count', 'sample_variance', 'nps_promoters',
            'nps_detractors'
        ] -%}
        case
            when is_period_complete and is_previous_period_complete
                then lagged_{{ column }}
        end as previous_{{ column }},
        {% endfor -%}
        case
            when not is_period_complete then 'partial_period'
            when previous_period_start_date is null then 'first_period'
            when not is_previous_period_complete then 'previous_period_partial'
            when actual is null or lagged_actual is null then 'no_data'
        end as change_null_reason

    from lagged

),

{# A change is tested when the KPI has a test, both periods have an actual and
   both reach the minimum sample (the normal and t approximations need it). #}
testable as (

    select
        *,
        {{ welch_degrees_of_freedom(
            'previous_sample_variance', 'previous_sample_count',
            'sample_variance', 'sample_count'
        ) }} as welch_degrees_of_freedom,
        significance_test != 'not_tested'
        and actual is not null
        and previous_actual is not null
        and coalesce(sample_count >= {{ min_sample }}, false)
        and coalesce(previous_sample_count >= {{ min_sample }}, false)
            as is_change_tested

    from compared

),

tested as (

    select
        *,
        actual - previous_actual as change_from_previous,
        case
            when actual is null or previous_actual is null then null
            when direction = 'higher_is_better' then actual > previous_actual
            else actual < previous_actual
        end as is_improving,
        {# a zero change has statistic 0, also where neither period varies #}
        case
            when not is_change_tested then null
            when actual = previous_actual then 0e0
            else {{ okr_change_statistic() }}
        end as change_statistic,
        {# z for the z tests; for Welch's t the t quantile of the same level #}
        case
            when significance_test = 'welch_t'
                then {{ student_t_quantile('welch_degrees_of_freedom') }}
            else {{ z }}
        end as change_critical_value,
        case
            when actual is null then null
            when direction = 'higher_is_better' then actual >= target
            else actual <= target
        end as is_target_met,
        {# the interval follows the model of the KPI's change test #}
        {{ okr_actual_ci_bound('lower') }} as actual_ci_lower,
        {{ okr_actual_ci_bound('upper') }} as actual_ci_upper

    from testable

),

final as (

    select
        key_result_id,
        objective,
        kpi,
        direction,
        owner_department,
        period_grain,
        channel_scope,
        significance_test,
        target,
        baseline,
        actual,
        actual_ci_lower,
        actual_ci_upper,
        sample_count,
        days_covered,
        {{ nps_standard_error('nps_promoters', 'nps_detractors', 'sample_count') }}
            as nps_standard_error,
        {{ safe_divide('actual - baseline', 'target - baseline') }}
            as progress_rate,
        previous_actual,
        change_from_previous,
        change_statistic,
        is_improving,
        {# null when not tested, or when the periods differ but neither varies
           (no statistic); false for no change, even without a critical value #}
        case
            when change_statistic = 0 then false
            else abs(change_statistic) > change_critical_value
        end as is_change_significant,
        is_target_met,
        is_period_complete,
        case
            when actual is null then 'no_data'
            when sample_count < {{ min_sample }} then 'insufficient_data'
            when is_target_met then 'on_track'
            when is_improving and is_change_significant then 'at_risk'
            when abs(actual - target) <= {{ tolerance }} * abs(target) then 'at_risk'
            else 'off_track'
        end as status,
        change_null_reason,
        period_start_date,
        period_end_date

    from tested
    where {{ is_run_period('period_start_date', 'period_grain') }}

)

select * from final
