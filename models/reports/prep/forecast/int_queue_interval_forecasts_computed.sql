{# Spark's int_queue_interval_forecasts_computed:
   opsmart.forecast.forecast_queues through the Arrow table function
   opsmart_interval_forecasts (python/opsmart/spark/udtfs.py), given the settings and
   the seed forecast_special_days as the .py model is (macro
   forecast_table_function). On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

{{ forecast_table_function('opsmart_interval_forecasts') }}
