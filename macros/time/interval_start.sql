{# Clock-aligned interval start (10:00, 10:30, ...) in UTC of a UTC timestamp. #}
{% macro interval_start(timestamp, minutes=none) -%}
    {{ return(adapter.dispatch('interval_start')(
        timestamp, minutes if minutes is not none else var('interval_minutes')
    )) }}
{%- endmacro %}

{% macro default__interval_start(timestamp, minutes) -%}
    time_bucket(to_minutes({{ minutes }}), {{ timestamp }})
{%- endmacro %}

{# Whole seconds since the epoch, rounded down to the interval: the same buckets as
   DuckDB's time_bucket, whose origin is a midnight. #}
{% macro spark__interval_start(timestamp, minutes) -%}
    timestamp_seconds(
        unix_seconds({{ timestamp }}) - pmod(unix_seconds({{ timestamp }}), {{ minutes }} * 60)
    )
{%- endmacro %}
