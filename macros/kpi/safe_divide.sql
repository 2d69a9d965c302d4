{# Every KPI ratio goes through here: a zero or null denominator gives null, never 0. #}
{% macro safe_divide(numerator, denominator) -%}
    ({{ numerator }}) / nullif({{ denominator }}, 0)
{%- endmacro %}
