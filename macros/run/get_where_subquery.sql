{# dbt calls this for every generic test to get the relation it tests (this overrides
   dbt's own, keeping its `where` config). In a nightly run (OPSMART_RUN_WINDOW_START
   set, see in_run_window) the tests of the incremental marts, and of the staging
   views they are rebuilt from, check only the rows of the run window: the rows this
   run wrote. The rows before the window were tested by the runs that wrote them, so
   a night's tests cost a night's rows, not the whole history; a full build
   (`opsmart build`, `opsmart run --full-refresh`) tests every row. Which column
   places a model's rows in the window is the model's own
   `config: meta: run_window_column` in its YAML (macro run_window_column); a model
   incremental by period (fct_customer_months) also sets `run_window_period_grain`
   (the grain as SQL: `"'month'"`), and its tests read the periods the run rewrote
   whole (macro is_run_period); a staging view's `run_window_instant_column` (the
   same instant as raw holds it) lets the filter skip older rows unconverted. #}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if run_window_start() -%}
        {%- set window_column = run_window_column(relation) -%}
        {%- set period_grain = run_window_column(relation, 'run_window_period_grain') -%}
        {%- if window_column and period_grain -%}
            {#- a model incremental by period: the whole periods the run rewrote -#}
            {%- do conditions.append(is_run_period(window_column, period_grain)) -%}
        {%- elif window_column -%}
            {%- do conditions.append(in_run_window(
                window_column,
                instant_column=run_window_column(relation, 'run_window_instant_column'),
            )) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return(
            '(select * from ' ~ relation ~ ' where '
            ~ conditions | join(' and ') ~ ') dbt_subquery'
        ) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
