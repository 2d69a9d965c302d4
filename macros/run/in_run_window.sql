{# The incremental marts recompute only the run window, whose first day `opsmart run`
   passes in OPSMART_RUN_WINDOW_START (an environment variable, not a dbt var: a
   changed var makes dbt re-parse the whole project, which costs more than the run);
   without it the predicate is `true` and everything is rebuilt. #}
{% macro in_run_window(column, margin_days=0) -%}
    {%- set window_start = env_var('OPSMART_RUN_WINDOW_START', '') -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {{ column }} >= cast('{{ window_start }}' as timestamp)
        - {{ days_interval(margin_days) }}
    {%- endif -%}
{%- endmacro %}
