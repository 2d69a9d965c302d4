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
