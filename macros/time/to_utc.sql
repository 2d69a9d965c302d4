{# Raw holds instants (TIMESTAMPTZ; the load read each delivered text's offset, or
   UTC without one); the warehouse stores naive UTC. The cast is a no-op on an
   instant and parses text the same way (the session zone is UTC). #}
{% macro to_utc(column) -%}
    {{ return(adapter.dispatch('to_utc')(column)) }}
{%- endmacro %}

{% macro default__to_utc(column) -%}
    timezone('UTC', cast({{ column }} as timestamptz))
{%- endmacro %}

{# Spark's timestamp is an instant (raw's timestamps arrive as one, a no-op cast;
   a text's offset is read when cast); the session time zone is UTC (opsmart's
   Spark session sets it), so the timestamp shows and compares as UTC. #}
{% macro spark__to_utc(column) -%}
    cast({{ column }} as timestamp)
{%- endmacro %}
