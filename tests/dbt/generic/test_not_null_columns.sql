{# Nulls in any of the columns, each column's nulls counted in one scan of the model
   (macro failing_row_counts); the failures are the null values. Model-level:
   arguments: {columns: [a, b]}. #}
{% test not_null_columns(model, columns) %}

{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set failing_when = {} -%}
{%- for column in columns -%}
    {%- do failing_when.update({column: column ~ ' is null'}) -%}
{%- endfor %}
{{ failing_row_counts(model, failing_when) }}

{% endtest %}
