{# Landing timestamps carry an offset (or are UTC); the warehouse stores naive UTC. #}
{% macro to_utc(column) -%}
    timezone('UTC', cast({{ column }} as timestamptz))
{%- endmacro %}
