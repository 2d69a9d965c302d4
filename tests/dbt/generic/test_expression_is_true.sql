{# Rows where a boolean SQL expression is false (nulls are not failures: use
   not_null for that). Model-level: arguments: {expression: "a <= b"}. #}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not ({{ column_name ~ ' ' if column_name else '' }}{{ expression }})

{% endtest %}
