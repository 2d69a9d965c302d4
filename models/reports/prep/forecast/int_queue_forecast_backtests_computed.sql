{# Spark's int_queue_forecast_backtests_computed: opsmart.forecast.backtest_queues
   through the Arrow table function opsmart_forecast_backtests (python/opsmart/
   spark/udtfs.py), which reads the settings from the column forecast_settings
   (the folder's config, as the .py model reads it). The backtest needs every
   interval of a queue at once: WITH SINGLE PARTITION. On DuckDB the .py model
   runs. #}
{{ config(enabled=target.type == 'spark') }}

with

histories as (

    select
        *,
        '{{ tojson(config.get("forecast_settings")) }}' as forecast_settings

    from {{ ref('int_forecast_histories_joined') }}

)

select * from opsmart_forecast_backtests(table(histories) with single partition)
