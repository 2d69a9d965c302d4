{# The Spark twin of a row-wise Python model: the rows of `model` with the columns
   that `function` (an Arrow table function of python/opsmart/spark/udtfs.py, which
   returns the keys and its own columns) computes for them, joined back by `keys`. #}
{% macro row_wise_table_function(model, function, keys=['queue_id', 'interval_start_at']) %}
with

input_rows as (

    select * from {{ ref(model) }}

),

computed as (

    select * from {{ function }}(table(input_rows))

)

select *
from input_rows
inner join computed using ({{ keys | join(', ') }})
{% endmacro %}
