{#- The statistic of an OKR scorecard row's change from previous_actual to actual,
    by its significance_test (macro okr_significance_tests): two-proportion z,
    pooled trinomial z of NPS, or Welch's t. Reads the row's actual, sample_count,
    sample_variance, nps_promoters, nps_detractors and their previous_ columns;
    null for not_tested. -#}
{% macro okr_change_statistic() -%}
    case
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
    end
{%- endmacro %}
