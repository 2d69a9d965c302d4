{# The nightly run window's first day (YYYY-MM-DD), or '' in a full build: the
   environment variable OPSMART_RUN_WINDOW_START that `opsmart run` sets.

   Read only when dbt executes, never while it parses. dbt records every env_var a
   file calls during parsing and re-parses those files whenever the value changes:
   read at parse time, the window (new every night) made each nightly run re-parse
   the thirty-odd models and YAML files that use it. Parsing renders the SQL only to
   find refs and configs, which the window does not change. #}
{% macro run_window_start() -%}
    {%- if execute -%}
        {%- do return(env_var('OPSMART_RUN_WINDOW_START', '')) -%}
    {%- else -%}
        {%- do return('') -%}
    {%- endif -%}
{%- endmacro %}
