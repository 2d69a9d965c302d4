{# The interval forecasts in their public types, every column cast: with no queue
   forecast yet (under 3 weeks of data) the Python model's empty frame has no types.
   The count bounds are whole numbers, cast to integers; one column pair per level
   of var forecast_levels (the contract names them, so other levels fail the build
   loudly). #}
with

forecasts as (

    select * from {{ ref('int_queue_interval_forecasts_computed') }}

),

final as (

    select
        cast(queue_id as string) as queue_id,
        cast(forecast_method as string) as forecast_method,
        cast(horizon_week as integer) as horizon_week,
        cast(contacts_offered_forecast as double) as contacts_offered_forecast,
        cast(contacts_offered_lower_50 as bigint) as contacts_offered_lower_50,
        cast(contacts_offered_upper_50 as bigint) as contacts_offered_upper_50,
        cast(contacts_offered_lower_80 as bigint) as contacts_offered_lower_80,
        cast(contacts_offered_upper_80 as bigint) as contacts_offered_upper_80,
        cast(contacts_offered_lower_95 as bigint) as contacts_offered_lower_95,
        cast(contacts_offered_upper_95 as bigint) as contacts_offered_upper_95,
        cast(contacts_answered_forecast as double) as contacts_answered_forecast,
        cast(aht_seconds_forecast as double) as aht_seconds_forecast,
        cast(aht_seconds_lower_50 as double) as aht_seconds_lower_50,
        cast(aht_seconds_upper_50 as double) as aht_seconds_upper_50,
        cast(aht_seconds_lower_80 as double) as aht_seconds_lower_80,
        cast(aht_seconds_upper_80 as double) as aht_seconds_upper_80,
        cast(aht_seconds_lower_95 as double) as aht_seconds_lower_95,
        cast(aht_seconds_upper_95 as double) as aht_seconds_upper_95,
        cast(special_day_kind as string) as special_day_kind,
        cast(interval_date as date) as interval_date,
        cast(interval_start_local_at as timestamp) as interval_start_local_at,
        cast(interval_start_at as timestamp) as interval_start_at

    from forecasts

)

select * from final
