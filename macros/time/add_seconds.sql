{# A timestamp plus a number of seconds (fractions kept to the microsecond). #}
{% macro add_seconds(timestamp, seconds) -%}
    ({{ timestamp }} + to_microseconds(cast(round(({{ seconds }}) * 1000000) as bigint)))
{%- endmacro %}
