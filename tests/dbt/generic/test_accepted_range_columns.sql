{# Values outside [min_value, max_value] (either bound optional; nulls pass) in any
   of the columns, counted in one scan of the model (macro failing_row_counts); the
   failures are the values out of range. Model-level: arguments: {columns: [a, b],
   min_value: 0}. #}
{% test accepted_range_columns(model, columns, min_value=none, max_value=none) %}

{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set failing_when = {} -%}
{%- for column in columns -%}
    {%- set bounds = [] -%}
    {%- if min_value is not none -%}
        {%- do bounds.append(column ~ ' < ' ~ min_value) -%}
    {%- endif -%}
    {%- if max_value is not none -%}
        {%- do bounds.append(column ~ ' > ' ~ max_value) -%}
    {%- endif -%}
    {%- do failing_when.update({column: bounds | join(' or ') or 'false'}) -%}
{%- endfor %}
{{ failing_row_counts(model, failing_when) }}

{% endtest %}
