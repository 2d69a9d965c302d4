{# Welch's t statistic of the change between two means (mean_2 - mean_1), each with
   its own sample variance: (m_2 - m_1) / sqrt(s_1^2 / n_1 + s_2^2 / n_2). No
   assumption that the two periods share a variance (Welch 1947). Null when a
   variance is null (fewer than 2 values) or both are 0. #}
{% macro welch_t(mean_1, variance_1, count_1, mean_2, variance_2, count_2) -%}
    {{ safe_divide(
        '(' ~ mean_2 ~ ') - (' ~ mean_1 ~ ')',
        'sqrt((' ~ safe_divide(variance_1, count_1) ~ ') + ('
        ~ safe_divide(variance_2, count_2) ~ '))'
    ) }}
{%- endmacro %}
