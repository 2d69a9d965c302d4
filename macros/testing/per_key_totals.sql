{# The query of one side of a reconciliation test, the CTE that totals_disagree then
   compares with the other: `relation` totalled by `key`, so that the sides of a test
   sum the same columns by construction. An amount without values sums to 0, not null,
   so that a difference from the other side is still seen; with `rows`, the number of
   rows too, under that name. #}
{% macro per_key_totals(relation, key, counts=[], amounts=[], rows=none) -%}
    {%- set columns = [key] -%}
    {%- if rows -%}
        {%- do columns.append('count(*) as ' ~ rows) -%}
    {%- endif -%}
    {%- for column in counts -%}
        {%- do columns.append('sum(' ~ column ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {%- for column in amounts -%}
        {%- do columns.append('coalesce(sum(' ~ column ~ '), 0) as ' ~ column) -%}
    {%- endfor -%}
    select
        {{ columns | join(',\n        ') }}
    from {{ relation }}
    group by 1
{%- endmacro %}
