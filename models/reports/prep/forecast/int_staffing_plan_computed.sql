{# Spark's int_staffing_plan_computed: opsmart.forecast.staffing_plan through the
   Arrow table function opsmart_staffing_plan (python/opsmart/spark/udtfs.py),
   which reads the settings from the column forecast_settings (the model's config
   plan_settings, as the .py model reads it). An interval without an AHT forecast
   takes its queue's AHT of the day, so the plan needs every row at once: WITH
   SINGLE PARTITION. On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

with

plan_inputs as (

    select
        *,
        '{{ tojson(config.get("plan_settings")) }}' as forecast_settings

    from {{ ref('int_staffing_plan_inputs_joined') }}

)

select * from opsmart_staffing_plan(table(plan_inputs) with single partition)
