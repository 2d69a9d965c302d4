{# An interval of `days` days (a column or a number) to add to or subtract from a
   timestamp. #}
{% macro days_interval(days) -%}
    {{ return(adapter.dispatch('days_interval')(days)) }}
{%- endmacro %}

{% macro default__days_interval(days) -%}
    to_days({{ days }})
{%- endmacro %}

{% macro spark__days_interval(days) -%}
    make_dt_interval({{ days }})
{%- endmacro %}

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
