{# An interval of `minutes` minutes. #}
{% macro minutes_interval(minutes) -%}
    {{ return(adapter.dispatch('minutes_interval')(minutes)) }}
{%- endmacro %}

{% macro default__minutes_interval(minutes) -%}
    to_minutes({{ minutes }})
{%- endmacro %}

{% macro spark__minutes_interval(minutes) -%}
    make_dt_interval(0, 0, {{ minutes }})
{%- endmacro %}
