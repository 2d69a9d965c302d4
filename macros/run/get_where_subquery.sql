{# dbt calls this for every generic test to get the relation it tests (this overrides
   dbt's own, keeping its `where` config). In a nightly run (OPSMART_RUN_WINDOW_START
   set, see in_run_window) the tests of the incremental marts, and of the staging
   views they are rebuilt from, check only the rows of the run window: the rows this
   run wrote. The rows before the window were tested by the runs that wrote them, so
   a night's tests cost a night's rows, not the whole history; a full build
   (`opsmart build`, `opsmart run --full-refresh`) tests every row. #}
{% macro get_where_subquery(relation) -%}
    {%- set window_columns = {
        'stg_telephony__contacts': 'arrived_at',
        'stg_wfm__agent_intervals': 'interval_start_at',
        'stg_survey__responses': 'responded_at',
        'fct_contacts': 'arrived_at',
        'fct_queue_intervals': 'interval_start_at',
        'fct_queue_days': 'interval_date',
        'fct_agent_intervals': 'interval_start_at',
        'fct_survey_responses': 'responded_at',
    } -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set identifier = relation.identifier if relation.identifier is defined else '' -%}
    {%- set window_column = window_columns.get(identifier | lower) -%}
    {%- if window_column and env_var('OPSMART_RUN_WINDOW_START', '') -%}
        {%- do conditions.append(in_run_window(window_column)) -%}
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
