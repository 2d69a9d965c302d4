{# Landing timestamps carry an offset (or are UTC); the warehouse stores naive UTC. #}
{% macro to_utc(column) -%}
    {{ return(adapter.dispatch('to_utc')(column)) }}
{%- endmacro %}

{% macro default__to_utc(column) -%}
    timezone('UTC', cast({{ column }} as timestamptz))
{%- endmacro %}

{# Spark reads the offset when it casts; the session time zone is UTC (opsmart's
   Spark session sets it), so the timestamp shows and compares as UTC. #}
{% macro spark__to_utc(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}
