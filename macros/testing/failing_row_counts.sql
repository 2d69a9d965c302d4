{# Several checks of one relation in one scan (a dbt test per check would cost a node
   and a scan each): a row (failing_when, failing_rows) for each condition of
   `failing_when` (a list of SQL conditions, each true on a failing row) that holds
   on some row, so a test fails on exactly those checks, and says which. The query of
   test row_checks. #}
{% macro failing_row_counts(relation, failing_when) -%}
    {%- set counts = [] -%}
    {%- set names = [] -%}
    {%- for condition in failing_when -%}
        {%- do counts.append(
            'count(case when ' ~ condition ~ ' then 1 end) as check_' ~ loop.index
        ) -%}
        {%- do names.append(
            "when 'check_" ~ loop.index ~ "' then " ~ text_literal(condition)
        ) -%}
    {%- endfor -%}
    with counts as (
        select
            {{ counts | join(',\n            ') }}
        from {{ relation }}
    )

    select
        case check_name
            {{ names | join('\n            ') }}
        end as failing_when,
        failing_rows
    from counts
    unpivot (
        failing_rows for check_name in (check_{{ range(1, counts | length + 1) | join(', check_') }})
    )
    where failing_rows > 0
{%- endmacro %}
