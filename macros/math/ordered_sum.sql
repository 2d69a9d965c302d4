{# sum(expression) adding the rows in `order_by` order. Floating-point addition is not
   associative: on DuckDB the fixed order makes an incremental run give the same bits
   as a full build, whatever order the rows are stored or scanned in. Spark has no
   ordered aggregate; there it is a plain sum, equal up to rounding (docs/spark.md). #}
{% macro ordered_sum(expression, order_by) -%}
    {{ return(adapter.dispatch('ordered_sum')(expression, order_by)) }}
{%- endmacro %}

{% macro default__ordered_sum(expression, order_by) -%}
    sum({{ expression }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_sum(expression, order_by) -%}
    sum({{ expression }})
{%- endmacro %}
