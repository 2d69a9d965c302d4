{# OKR scorecard: every key result of seeds/okr_key_results.csv x every period of its
   grain that the contact data covers (dim_periods, partial first and last periods
   included and marked). Actuals are ratios of the period's sums over the key
   result's channel scope, through the project's KPI macros (so the same vars
   apply). Contacts belong to the period of their arrival, survey answers to the
   period they were given, agent time to its interval's period; churn is over the
   customers who were customers at some point of the period. #}
{%- set z = var('report_confidence_z') -%}
{%- set tolerance = var('okr_at_risk_tolerance_rate') -%}
{%- set min_sample = var('okr_min_sample_size') -%}
{%- set grains = ['week', 'month'] -%}
{#- The change test of each KPI, by what its actual is an average of: shares of
    counted trials (two-proportion z), means of per-contact values (Welch t), NPS
    answers scored +1 / 0 / -1 (pooled trinomial z). Cost per contact spreads
    payroll over contacts and occupancy is a ratio of two times: neither is a mean
    of independent per-contact values, so neither has a variance to test with. The
    interval of the actual follows the same model. Other KPIs: not_tested. -#}
{%- set significance_tests = {
    'service_level_rate': 'two_proportion_z',
    'abandonment_rate': 'two_proportion_z',
    'fcr_rate': 'two_proportion_z',
    'csat_rate':
        'two_proportion_z' if var('csat_method') == 'top2box' else 'welch_t',
    'churn_rate': 'two_proportion_z',
    'nps': 'nps_pooled_z',
    'asa_seconds': 'welch_t',
    'aht_seconds': 'welch_t',
    'cost_per_contact_amount': 'not_tested',
    'occupancy_rate': 'not_tested',
} -%}
{#- The channels a key result covers when its seed row names none: service level,
    ASA and abandonment are about answering live, with a threshold in seconds, so
    they cover the real-time channels (an e-mail answered within a day is always
    "within T" and would lift them); the other KPIs cover every channel. NPS
    (relationship answers), churn (customers) and occupancy (agent time) have no
    channel and are center-wide only (a test on the seed says so). -#}
{%- set realtime_kpis = ['service_level_rate', 'asa_seconds', 'abandonment_rate'] -%}
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
                when kpi in ('{{ realtime_kpis | join("', '") }}')
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
    where survey_type in ('csat', 'nps')

),

agent_intervals as (

    select
        handling_seconds,
        available_seconds,
        interval_date

    from {{ ref('fct_agent_intervals') }}

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

    {% for grain in grains %}
    select
        channel_scope,
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', arrived_date) as date) as period_start_date,
        count(*) filter (where is_offered) as contacts_offered,
        count(*) filter (where is_answered) as contacts_answered,
        count(*) filter (where is_abandoned) as contacts_abandoned,
        count(*) filter (
            where is_answered_within_threshold
        ) as contacts_answered_within_threshold,
        count(*) filter (
            where is_abandoned_within_threshold
        ) as contacts_abandoned_within_threshold,
        count(*) filter (where is_short_abandon) as contacts_short_abandoned,
        count(*) filter (
            where is_answered and wait_seconds > 0
        ) as contacts_answered_after_waiting,
        count(*) filter (
            where is_first_contact_resolved is not null
        ) as contacts_fcr_known,
        count(*) filter (
            where is_first_contact_resolved
        ) as contacts_first_contact_resolved,
        sum(wait_seconds) filter (where is_answered) as answered_wait_seconds,
        sum(handle_time_seconds) filter (where is_answered) as handle_time_seconds,
        {# sums of squares: with the sums and counts, the variances of ASA and AHT #}
        sum(power(wait_seconds, 2)) filter (
            where is_answered
        ) as answered_wait_sum_of_squares,
        sum(power(handle_time_seconds, 2)) filter (
            where is_answered
        ) as handle_time_sum_of_squares,
        sum(cost_amount) as cost_amount,
        count(cost_amount) as contacts_costed

    from contacts_in_scope
    group by 1, 2, 3
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

surveys_summed as (

    {% for grain in grains %}
    select
        channel_scope,
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', responded_date) as date) as period_start_date,
        count(*) filter (where survey_type = 'csat') as csat_responses,
        {{ csat_rate() }} filter (where survey_type = 'csat') as csat_rate,
        {# the variance of CSAT under csat_method: mean #}
        sum(score_rate) filter (where survey_type = 'csat') as csat_score_sum,
        sum(power(score_rate, 2)) filter (
            where survey_type = 'csat'
        ) as csat_score_sum_of_squares,
        count(*) filter (where survey_type = 'nps') as nps_responses,
        count(*) filter (where nps_category = 'promoter') as nps_promoters,
        count(*) filter (where nps_category = 'detractor') as nps_detractors

    from surveys_in_scope
    group by 1, 2, 3
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

agent_time_summed as (

    {% for grain in grains %}
    select
        '{{ grain }}' as period_grain,
        cast(date_trunc('{{ grain }}', interval_date) as date) as period_start_date,
        sum(handling_seconds) as handling_seconds,
        sum(available_seconds) as available_seconds

    from agent_intervals
    group by 1, 2
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

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
   customers have no channel: their KPIs exist for the scope `all` only. #}
{#- The KPIs' selects differ only in these: the summed CTE each reads, its channel
    scope (the column, or the literal 'all'), the SQL of its actual, sample count
    and sample variance (the KPI macros, rendered here), and whether it carries NPS
    counts. One list and one loop keep the ten selects from drifting apart. Cost
    per contact is the reports' number, rounded as they round it; CSAT has a
    variance only as a mean score (csat_method: mean), top-2-box is a proportion. -#}
{%- set kpi_value_selects = [
    {
        'kpi': 'service_level_rate',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': service_level_rate(),
        'sample_count': service_level_sample_count(),
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'abandonment_rate',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': abandonment_rate(),
        'sample_count': abandonment_sample_count(),
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'asa_seconds',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': asa_seconds(),
        'sample_count': asa_sample_count(),
        'sample_variance': sample_variance(
            'answered_wait_seconds',
            'answered_wait_sum_of_squares',
            asa_sample_count()
        ),
        'has_nps_counts': false,
    },
    {
        'kpi': 'aht_seconds',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': aht_seconds(),
        'sample_count': 'contacts_answered',
        'sample_variance': sample_variance(
            'handle_time_seconds', 'handle_time_sum_of_squares', 'contacts_answered'
        ),
        'has_nps_counts': false,
    },
    {
        'kpi': 'cost_per_contact_amount',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': 'cast('
            ~ cost_per_unit_amount('cost_amount', 'contacts_costed')
            ~ ' as double)',
        'sample_count': 'contacts_answered',
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'fcr_rate',
        'summed': 'contacts_summed',
        'channel_scope': 'channel_scope',
        'actual': safe_divide(
            'contacts_first_contact_resolved', 'contacts_fcr_known'
        ),
        'sample_count': 'contacts_fcr_known',
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'csat_rate',
        'summed': 'surveys_summed',
        'channel_scope': 'channel_scope',
        'actual': 'csat_rate',
        'sample_count': 'csat_responses',
        'sample_variance': sample_variance(
            'csat_score_sum', 'csat_score_sum_of_squares', 'csat_responses'
        ) if var('csat_method') == 'mean' else 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'nps',
        'summed': 'surveys_summed',
        'channel_scope': 'channel_scope',
        'actual': nps(),
        'sample_count': 'nps_responses',
        'sample_variance': 'null',
        'has_nps_counts': true,
    },
    {
        'kpi': 'occupancy_rate',
        'summed': 'agent_time_summed',
        'channel_scope': "'all'",
        'actual': safe_divide(
            'handling_seconds', 'handling_seconds + available_seconds'
        ),
        'sample_count': 'null',
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
    {
        'kpi': 'churn_rate',
        'summed': 'customers_summed',
        'channel_scope': "'all'",
        'actual': safe_divide('customers_churned', 'customers_active'),
        'sample_count': 'customers_active',
        'sample_variance': 'null',
        'has_nps_counts': false,
    },
] %}
kpi_values as (

    {% for kpi_value in kpi_value_selects %}
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
            {% for kpi, test in significance_tests.items() -%}
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
            when significance_test = 'two_proportion_z'
                then {{ two_proportion_z(
                    'previous_actual', 'previous_sample_count',
                    'actual', 'sample_count'
                ) }}
            when significance_test = 'nps_pooled_z'
                then {{ nps_change_z(
                    'previous_nps_promoters', 'previous_nps_detractors',
                    'previous_sample_count',
                    'nps_promoters', 'nps_detractors', 'sample_count'
                ) }}
            when significance_test = 'welch_t'
                then {{ welch_t(
                    'previous_actual', 'previous_sample_variance',
                    'previous_sample_count',
                    'actual', 'sample_variance', 'sample_count'
                ) }}
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
        {# the interval follows the model of the KPI's change test; means are
           at least 0 and CSAT as a mean score at most 1 #}
        {% for bound in ['lower', 'upper'] -%}
        case
            when significance_test = 'two_proportion_z'
                then {{ wilson_interval_bound('actual', 'sample_count', bound) }}
            when significance_test = 'nps_pooled_z'
                then {{ nps_interval_bound(
                    'nps_promoters', 'nps_detractors', 'sample_count', bound
                ) }}
            when significance_test = 'welch_t' and kpi = 'csat_rate'
                then {{ mean_interval_bound(
                    'actual', 'sample_variance', 'sample_count', bound,
                    lowest='0.0', highest='1.0'
                ) }}
            when significance_test = 'welch_t'
                then {{ mean_interval_bound(
                    'actual', 'sample_variance', 'sample_count', bound,
                    lowest='0.0'
                ) }}
        end as actual_ci_{{ bound }}{% if not loop.last %},{% endif %}
        {% endfor %}

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

)

select * from final
