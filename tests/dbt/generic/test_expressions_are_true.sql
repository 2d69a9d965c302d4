{# Rows where any of the boolean SQL `expressions` is false, all checked in one scan
   of the model (a test per expression cost a dbt node and a scan each: on the
   year's history, each test of a staging view parsed its text again). Each failing
   row comes with `false_expressions`, the expressions it breaks. Nulls are not
   failures, as in expression_is_true: use not_null for that. Model-level:
   arguments: {expressions: ["a <= b", ...]}. #}
{% test expressions_are_true(model, expressions) %}

{%- set broken = [] -%}
{%- set named = [] -%}
{%- for expression in expressions -%}
    {%- do broken.append('not (' ~ expression ~ ')') -%}
    {%- do named.append(
        'case when not (' ~ expression ~ ') then ' ~ text_literal(expression) ~ ' end'
    ) -%}
{%- endfor %}

select
    *,
    concat_ws('; ', {{ named | join(', ') }}) as false_expressions
from {{ model }}
where {{ broken | join(' or ') }}

{% endtest %}
