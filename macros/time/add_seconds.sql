{# A timestamp plus a number of seconds (fractions kept to the microsecond). #}
{% macro add_seconds(timestamp, seconds) -%}
    {{ return(adapter.dispatch('add_seconds')(timestamp, seconds)) }}
{%- endmacro %}

{% macro default__add_seconds(timestamp, seconds) -%}
    ({{ timestamp }} + to_microseconds(cast(round(({{ seconds }}) * 1000000) as bigint)))
{%- endmacro %}

{% macro spark__add_seconds(timestamp, seconds) -%}
    timestamp_micros(
        unix_micros({{ timestamp }}) + cast(round(({{ seconds }}) * 1000000) as bigint)
    )
{%- endmacro %}
