{# Spark's int_queue_forecast_backtests_computed:
   opsmart.forecast.backtest_queues through the Arrow table function
   opsmart_forecast_backtests (python/opsmart/spark/udtfs.py), given the settings and
   the seed forecast_special_days as the .py model is (macro
   forecast_table_function). On DuckDB the .py model runs. #}
{{ config(enabled=target.type == 'spark') }}

{{ forecast_table_function('opsmart_forecast_backtests') }}
