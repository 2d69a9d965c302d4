{# z statistic of the change between two proportions (rate_2 - rate_1), each the
   share of its own count of trials, with the pooled standard error
   sqrt(p (1 - p) (1/n_1 + 1/n_2)), p = (rate_1 n_1 + rate_2 n_2) / (n_1 + n_2).
   Null when either side is missing or the pooled standard error is 0 (both rates 0
   or both 1: no change to test). #}
{% macro two_proportion_z(rate_1, count_1, rate_2, count_2) -%}
    {%- set pooled = '(' ~ rate_1 ~ ' * ' ~ count_1 ~ ' + ' ~ rate_2 ~ ' * ' ~ count_2
        ~ ') / nullif(' ~ count_1 ~ ' + ' ~ count_2 ~ ', 0)' -%}
    {{ safe_divide(
        rate_2 ~ ' - ' ~ rate_1,
        'sqrt(greatest(0.0, ' ~ pooled ~ ' * (1 - ' ~ pooled ~ ')'
        ~ ' * (1.0 / nullif(' ~ count_1 ~ ', 0) + 1.0 / nullif(' ~ count_2 ~ ', 0))))'
    ) }}
{%- endmacro %}
