{# Spark's int_churn_wait_effects_fitted: opsmart.effects.churn_wait_effects through
   the Arrow table function opsmart_churn_wait_effects (python/opsmart/spark/
   udtfs.py). The fit needs every customer window at once: WITH SINGLE PARTITION.
   On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

with

windows as (

    select * from {{ ref('int_customer_windows_aggregated') }}

)

select * from opsmart_churn_wait_effects(table(windows) with single partition)
