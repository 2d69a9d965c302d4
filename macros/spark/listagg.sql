{# dbt-spark's listagg drops the order (a warning: "order_by_clause is not supported");
   Spark 4 has listagg ... within group (order by ...), so the list comes out sorted
   as on DuckDB. #}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg with limit_num is not supported on Spark") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}
