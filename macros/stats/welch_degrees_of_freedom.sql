{# Welch-Satterthwaite degrees of freedom of welch_t:
   (v_1 + v_2)^2 / (v_1^2 / (n_1 - 1) + v_2^2 / (n_2 - 1)), v_i = s_i^2 / n_i.
   Between min(n_1, n_2) - 1 and n_1 + n_2 - 2. Null when a variance is null or both
   are 0. #}
{% macro welch_degrees_of_freedom(variance_1, count_1, variance_2, count_2) -%}
    {%- set share_1 = '(' ~ safe_divide(variance_1, count_1) ~ ')' -%}
    {%- set share_2 = '(' ~ safe_divide(variance_2, count_2) ~ ')' -%}
    {{ safe_divide(
        'power(' ~ share_1 ~ ' + ' ~ share_2 ~ ', 2)',
        '(' ~ safe_divide('power(' ~ share_1 ~ ', 2)', count_1 ~ ' - 1') ~ ') + ('
        ~ safe_divide('power(' ~ share_2 ~ ', 2)', count_2 ~ ' - 1') ~ ')'
    ) }}
{%- endmacro %}
