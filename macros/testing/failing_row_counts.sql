{# Several column checks in one scan of `relation` (a dbt test per column would cost
   a node and a scan each): a row (column_name, failing_rows) for each column whose
   condition in `failing_when` ({column: condition true on a failing row}) holds on
   some row. The query of tests not_null_columns and accepted_range_columns. #}
{% macro failing_row_counts(relation, failing_when) -%}
    {%- set counts = [] -%}
    {%- for column, condition in failing_when.items() -%}
        {%- do counts.append(
            'count(case when ' ~ condition ~ ' then 1 end) as ' ~ column
        ) -%}
    {%- endfor -%}
    with counts as (
        select
            {{ counts | join(',\n            ') }}
        from {{ relation }}
    )

    select
        column_name,
        failing_rows
    from counts
    unpivot (failing_rows for column_name in ({{ failing_when | join(', ') }}))
    where failing_rows > 0
{%- endmacro %}
