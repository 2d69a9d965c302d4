{# Clock-aligned interval start (10:00, 10:30, ...) in UTC of a UTC timestamp. #}
{% macro interval_start(timestamp, minutes=none) -%}
    time_bucket(
        to_minutes({{ minutes if minutes is not none else var('interval_minutes') }}),
        {{ timestamp }}
    )
{%- endmacro %}
