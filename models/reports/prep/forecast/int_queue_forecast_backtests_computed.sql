{# Spark's int_queue_forecast_backtests_computed: opsmart.forecast.backtest_queues
   through the Arrow table function opsmart_forecast_backtests (python/opsmart/
   spark/udtfs.py), which reads the settings from the column forecast_settings
   (the folder's config, as the .py model reads it) and the seed
   forecast_special_days from the column forecast_special_days (its rows as a
   JSON array, the same on every row). The backtest needs every
   interval of a queue at once: WITH SINGLE PARTITION. On DuckDB the .py model
   runs. #}
{{ config(enabled=target.type == 'spark') }}

with

special_days as (

    select
        to_json(
            collect_list(
                struct(
                    queue_id,
                    cast(local_date as string) as local_date,
                    day_kind,
                    like_weekday
                )
            )
        ) as forecast_special_days

    from {{ ref('forecast_special_days') }}

),

histories as (

    select
        histories_joined.*,
        '{{ tojson(config.get("forecast_settings")) }}' as forecast_settings,
        special_days.forecast_special_days

    from {{ ref('int_forecast_histories_joined') }} as histories_joined
    cross join special_days

)

select * from opsmart_forecast_backtests(table(histories) with single partition)
