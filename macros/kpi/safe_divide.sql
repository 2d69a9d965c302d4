{# Every KPI ratio goes through here: a zero or null denominator gives null, never 0.
   The quotient is a double on every engine (Spark would keep decimal / decimal a
   decimal; DuckDB divides decimals as doubles anyway). #}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / nullif({{ denominator }}, 0)
{%- endmacro %}
