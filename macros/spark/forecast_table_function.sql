{# The Spark twin of a forecast Python model (int_queue_interval_forecasts_computed,
   int_queue_forecast_backtests_computed): `function`, an Arrow table function of
   python/opsmart/spark/udtfs.py, over every row of int_forecast_histories_joined at
   once (WITH SINGLE PARTITION: a queue's forecast needs all its intervals). Each
   row carries the calling model's config forecast_settings (as the .py model
   reads it) in the column forecast_settings, and the seed forecast_special_days as
   one JSON array of its rows in the column forecast_special_days. #}
{% macro forecast_table_function(function) %}
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

select * from {{ function }}(table(histories) with single partition)
{% endmacro %}
