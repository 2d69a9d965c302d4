{# A primary key: the column's values that are null or occur more than once, in one
   scan (each was a unique and a not_null test, two scans of the model). Fails with
   one row per such value. #}
{% test primary_key(model, column_name) %}

select
    {{ column_name }},
    count(*) as occurrences
from {{ model }}
group by {{ column_name }}
having count(*) > 1 or {{ column_name }} is null

{% endtest %}
