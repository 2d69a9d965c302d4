{# A model's row checks, all in one scan of it and one dbt node: a value fails when it
   is null in a `not_null` column, outside one of `ranges` (either bound optional),
   not one of its column's `accepted_values`, or when its row makes one of
   `expressions` false. Nulls pass every check but not_null, as in dbt's own tests.
   The failures are a row (failing_when, failing_rows) per check that fails, its SQL
   condition and its failing rows (macro failing_row_counts), and the test's count is
   their sum. A dbt test per check, or per kind of check, cost a node each: 20-37 ms
   of dbt's Python per node on every build and night (docs/performance.md, part 20).
   Checks of another severity go in a second row_checks test with its config.
   Model-level: arguments:
     not_null: [a, b]
     ranges: [{columns: [rate], min_value: 0, max_value: 1}]
     accepted_values: {channel: [voice, chat]}
     expressions: ["a <= b"] #}
{% test row_checks(model, not_null=[], ranges=[], accepted_values={}, expressions=[]) %}

{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}
{%- set failing_when = [] -%}
{%- for column in not_null -%}
    {%- do failing_when.append(column ~ ' is null') -%}
{%- endfor -%}
{%- for range in ranges -%}
    {%- set unknown = range.keys() | reject('in', ['columns', 'min_value', 'max_value'])
        | list -%}
    {%- if unknown or not range.get('columns')
        or (range.get('min_value') is none and range.get('max_value') is none) -%}
        {%- do exceptions.raise_compiler_error(
            'row_checks: a range needs columns and a min_value or a max_value, not '
            ~ range
        ) -%}
    {%- endif -%}
    {%- for column in range['columns'] -%}
        {%- set bounds = [] -%}
        {%- if range.get('min_value') is not none -%}
            {%- do bounds.append(column ~ ' < ' ~ range['min_value']) -%}
        {%- endif -%}
        {%- if range.get('max_value') is not none -%}
            {%- do bounds.append(column ~ ' > ' ~ range['max_value']) -%}
        {%- endif -%}
        {%- do failing_when.append(bounds | join(' or ')) -%}
    {%- endfor -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set literals = [] -%}
    {%- for value in values -%}
        {%- do literals.append(text_literal(value)) -%}
    {%- endfor -%}
    {%- do failing_when.append(column ~ ' not in (' ~ literals | join(', ') ~ ')') -%}
{%- endfor -%}
{%- for expression in expressions -%}
    {%- do failing_when.append('not (' ~ expression ~ ')') -%}
{%- endfor -%}
{%- if not failing_when -%}
    {%- do exceptions.raise_compiler_error('row_checks on ' ~ model ~ ' has no check') -%}
{%- endif %}
{{ failing_row_counts(model, failing_when) }}

{% endtest %}
