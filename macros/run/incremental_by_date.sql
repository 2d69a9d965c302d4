{# The config of an incremental mart, one home for what each of them sets alike: a
   nightly run (`opsmart run`, docs/nightly.md) replaces only the rows from the run
   window's first day on (the model ends with `where {{ in_run_window(date_column) }}`,
   or recomputes whole periods with is_run_period), a full build writes every row.
   dbt_project.yml's +incremental_strategy says how: on DuckDB delete+insert of the
   `unique_key` rows; Spark's Parquet tables have no delete, so there the table is
   partitioned by `date_column` and insert_overwrite replaces the window's partitions
   whole (docs/spark.md). DuckDB gets no partition_by (it would only warn). #}
{% macro incremental_by_date(date_column, unique_key) -%}
    {{ config(
        materialized='incremental',
        partition_by=[date_column] if target.type == 'spark' else none,
        unique_key=unique_key,
    ) }}
{%- endmacro %}
