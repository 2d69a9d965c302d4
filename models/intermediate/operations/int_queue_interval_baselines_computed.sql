{# Spark's int_queue_interval_baselines_computed (dbt runs Python models only on
   Databricks): the same package function, opsmart.queueing.interval_baselines,
   called through the Arrow table function opsmart_interval_baselines, registered by
   `opsmart spark build` (docs/spark.md). On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

{{ row_wise_table_function('int_queue_intervals_joined', 'opsmart_interval_baselines') }}
