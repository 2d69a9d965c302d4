{# A value as an instant, the type raw's timestamps have (DuckDB TIMESTAMPTZ, Spark
   timestamp): a no-op on such a column, which the engine then still compares where
   it is stored; a parse of text (a literal with its offset, or a raw column of a
   warehouse loaded as text before raw was typed, at some cost). #}
{% macro as_instant(value) -%}
    {{ return(adapter.dispatch('as_instant')(value)) }}
{%- endmacro %}

{% macro default__as_instant(value) -%}
    cast({{ value }} as timestamptz)
{%- endmacro %}

{# Spark's timestamp is its instant type (TimestampType, the local-time-zone
   kind); a text's offset is read when cast, whatever the session zone. #}
{% macro spark__as_instant(value) -%}
    cast({{ value }} as timestamp)
{%- endmacro %}
