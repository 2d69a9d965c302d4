{# The incremental marts recompute only the run window, whose first day `opsmart run`
   passes in OPSMART_RUN_WINDOW_START (an environment variable, not a dbt var: a
   changed var makes dbt re-parse the whole project, which costs more than the run);
   without it the predicate is `true` and everything is rebuilt.

   The window's first day is a local date: it starts at local midnight in each queue's
   zone (the center's, var reporting_timezone, for rows of a customer). The marts
   filter on their local date columns (interval_date, arrived_date, responded_date),
   exactly. Their inputs are filtered on UTC instants (`is_utc_instant`), cheaply and
   a day wider: a local midnight lies within a day of the UTC midnight of the same
   date (offsets are within +-14:00), so every instant of the window's local days is
   read; the extra rows are dropped by the marts' own filter. #}
{% macro in_run_window(column, margin_days=0, is_utc_instant=false) -%}
    {%- set window_start = run_window_start() -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {{ column }} >= cast('{{ window_start }}' as timestamp)
        - {{ days_interval(margin_days + (1 if is_utc_instant else 0)) }}
    {%- endif -%}
{%- endmacro %}
