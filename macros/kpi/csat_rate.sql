{# CSAT under the var csat_method: the share of answers in the top two points of the
   scale (top2box) or the mean score normalised to 0-1 (mean). Pass per-response
   columns; the macro aggregates. See doc csat_rate. 1e0 and 0e0 are doubles on every
   engine (Spark reads 1.0 as a decimal and averages it to a decimal). #}
{% macro csat_rate(is_top2box='is_top2box', score_rate='score_rate', method=none) -%}
    {%- set method = kpi_method('csat_method', method, ['top2box', 'mean']) -%}
    {%- if method == 'top2box' -%}
        avg(case when {{ is_top2box }} then 1e0 when not {{ is_top2box }} then 0e0 end)
    {%- else -%}
        avg({{ score_rate }})
    {%- endif -%}
{%- endmacro %}
