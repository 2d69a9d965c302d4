{# The center's zone, var reporting_timezone (an IANA name), as a SQL string: the zone
   of a customer's events (survey answers, sign-up, churn) and of every queue whose
   catalog row names none. #}
{% macro center_timezone() -%}
    '{{ var("reporting_timezone") }}'
{%- endmacro %}

{# The zone of a queue: its catalog's `timezone` column, else the center's. #}
{% macro queue_timezone(column) -%}
    coalesce({{ column }}, {{ center_timezone() }})
{%- endmacro %}
