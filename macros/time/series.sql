{# One row per value from `start` to `stop` (both included) in steps of `step` (an
   interval such as `interval 1 day`): a set-returning expression for a select list. #}
{% macro series(start, stop, step) -%}
    {{ return(adapter.dispatch('series')(start, stop, step)) }}
{%- endmacro %}

{% macro default__series(start, stop, step) -%}
    unnest(generate_series({{ start }}, {{ stop }}, {{ step }}))
{%- endmacro %}

{% macro spark__series(start, stop, step) -%}
    explode(sequence({{ start }}, {{ stop }}, {{ step }}))
{%- endmacro %}
