{# Seconds (with fractions) from one timestamp to a later one. #}
{% macro seconds_between(start_at, end_at) -%}
    (epoch({{ end_at }}) - epoch({{ start_at }}))
{%- endmacro %}
