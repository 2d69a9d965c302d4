{#- The KPIs' selects of the OKR scorecard's kpi_values differ only in these: the
    summed CTE each reads, its channel scope (the column, or the literal 'all'),
    the SQL of its actual, sample count and sample variance (the KPI macros,
    rendered here), and whether it carries NPS counts. One list and one loop keep
    the ten selects from drifting apart. Cost per contact is the reports' number,
    rounded as they round it; CSAT has a variance only as a mean score
    (csat_method: mean), top-2-box is a proportion. -#}
{% macro okr_kpi_value_selects() -%}
    {{ return([
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
            'actual': occupancy_rate(),
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
    ]) }}
{%- endmacro %}
