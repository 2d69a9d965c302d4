{#- A bound of the interval of an OKR scorecard row's actual, following the model
    of its significance_test (macro okr_significance_tests): the Wilson interval
    of a proportion, the NPS interval of its promoters and detractors, the t
    interval of a mean. Means are at least 0 and CSAT as a mean score at most 1.
    Reads the row's kpi, actual, sample_count, sample_variance, nps_promoters and
    nps_detractors; null for not_tested. -#}
{% macro okr_actual_ci_bound(bound) -%}
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
    end
{%- endmacro %}
