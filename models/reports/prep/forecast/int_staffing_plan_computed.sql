{# Spark's int_staffing_plan_computed: opsmart.forecast.staffing_plan through the
   Arrow table function opsmart_staffing_plan (python/opsmart/spark/udtfs.py),
   which reads the settings from the column forecast_settings (the model's config
   plan_settings, as the .py model reads it). Each row is planned on its own, so
   the batches need no single partition. On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

with

plan_inputs as (

    select
        *,
        '{{ tojson(config.get("plan_settings")) }}' as forecast_settings

    from {{ ref('int_staffing_plan_inputs_joined') }}

)

select * from opsmart_staffing_plan(table(plan_inputs))
