{#- The change test of each KPI, by what its actual is an average of: shares of
    counted trials (two-proportion z), means of per-contact values (Welch t), NPS
    answers scored +1 / 0 / -1 (pooled trinomial z). Cost per contact spreads
    payroll over contacts and occupancy is a ratio of two times: neither is a mean
    of independent per-contact values, so neither has a variance to test with. The
    interval of the actual follows the same model. Other KPIs: not_tested. -#}
{% macro okr_significance_tests() -%}
    {{ return({
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
    }) }}
{%- endmacro %}
