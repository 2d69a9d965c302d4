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
   read; the extra rows are dropped by the marts' own filter.

   `instant_column`, when given, is the same instant as `column` but as raw holds it
   (the staging views' `*_instant` columns, TIMESTAMPTZ): `column` is computed from it
   (to_utc), so a filter on `column` alone makes the engine compute it for every row
   of the history before comparing. The same bound on the raw column is the same set
   of rows (`column` is its UTC wall clock, and the bound is a UTC midnight), and the
   engine pushes it into the scan of raw, whose row groups it skips by their min/max
   (raw is loaded day by day): the history before the window is not read (issue 19).
   The bound is a literal with its offset, the day computed here: DuckDB subtracts
   days from a TIMESTAMPTZ on the session zone's calendar, an hour off across a DST
   change in any session zone but UTC. The exact filter on `column` stays, and
   decides. #}
{% macro in_run_window(column, margin_days=0, is_utc_instant=false, instant_column=none) -%}
    {%- set window_start = run_window_start() -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {%- set days = margin_days + (1 if is_utc_instant else 0) -%}
        {%- set first_day = (
            modules.datetime.date.fromisoformat(window_start)
            - modules.datetime.timedelta(days=days)
        ).isoformat() -%}
        {%- set instant_filter = (
            instant_column ~ ' >= ' ~ as_instant("'" ~ first_day ~ "T00:00:00Z'")
            if instant_column else ''
        ) -%}
        {{ instant_filter ~ ' and ' if instant_filter }}{{ column }} >= cast('{{ window_start }}' as timestamp)
        - {{ days_interval(days) }}
    {%- endif -%}
{%- endmacro %}
