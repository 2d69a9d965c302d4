{# Spark's int_queue_interval_staffing_optimized: opsmart.effects.interval_staffing
   through the Arrow table function opsmart_interval_staffing (docs/spark.md). On
   DuckDB the .py model runs, incremental: it computes only the priced rows its
   table does not hold as they are, which gives the same table as this one, rebuilt
   whole every run (a table, from the YAML). #}
{{ config(enabled=target.type == 'spark') }}

{{ row_wise_table_function('int_queue_intervals_priced', 'opsmart_interval_staffing') }}
