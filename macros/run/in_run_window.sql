{# The incremental marts recompute only the run window (var run_window_start, set by
   `opsmart run`); without it the predicate is `true` and everything is rebuilt. #}
{% macro in_run_window(column, margin_days=0) -%}
    {%- set window_start = var('run_window_start', none) -%}
    {%- if window_start is none -%}
        true
    {%- else -%}
        {{ column }} >= cast('{{ window_start }}' as timestamp)
        - to_days({{ margin_days }})
    {%- endif -%}
{%- endmacro %}
