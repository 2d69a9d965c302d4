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

   `text_column`, when given, is the timestamp's text as delivered (the staging views'
   `*_text` columns), checked first by in_run_window_text so that the rows far
   before the window are dropped without parsing their text (issue 19). #}
{% macro in_run_window(column, margin_days=0, is_utc_instant=false, text_column=none) -%}
    {%- set window_start = run_window_start() -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {%- set days = margin_days + (1 if is_utc_instant else 0) -%}
        {%- set text_filter = (
            in_run_window_text(text_column, window_start, days) | trim
            if text_column else ''
        ) -%}
        {{ text_filter ~ ' and ' if text_filter }}{{ column }} >= cast('{{ window_start }}' as timestamp)
        - {{ days_interval(days) }}
    {%- endif -%}
{%- endmacro %}

{# A pre-filter on a timestamp's delivered text: true for every row whose UTC instant
   is on or after `days` days before `window_start` (and for some earlier ones),
   compared as text, which DuckDB evaluates without parsing and prunes with its
   min/max index of each row group.

   Sound because every timestamp in raw passed the load's invalid_timestamp rule
   (python/opsmart/ingest/rules.py): it matches `\s*\d{4}-\d{2}-\d{2}...`, so it
   starts with its local date (after white space, which sorts before every digit:
   such a text is kept and left to the exact filter), and its offset is within
   +-14:00 (offset_out_of_range; no offset is UTC): a UTC instant on or after
   midnight of day D has a local date on or after D - 1 (even at 24:00 of the day
   before), so the text is kept from day D - 1 on. The caller's exact filter on the
   parsed column still decides, so the rows kept are the same as without this. #}
{% macro in_run_window_text(text_column, window_start, days) -%}
    {{ return(adapter.dispatch('in_run_window_text')(text_column, window_start, days)) }}
{%- endmacro %}

{% macro default__in_run_window_text(text_column, window_start, days) -%}
    {%- set first_text = (
        modules.datetime.date.fromisoformat(window_start)
        - modules.datetime.timedelta(days=days + 1)
    ).isoformat() -%}
    ({{ text_column }} >= '{{ first_text }}' or {{ text_column }} < '0')
{%- endmacro %}

{# None on Spark, whose SQL stays as it was: the pre-filter is neither measured nor
   tested there. #}
{% macro spark__in_run_window_text(text_column, window_start, days) -%}
{%- endmacro %}
