{# One row per queue of the catalog, so a queue without a forecast is listed with
   its reason, never left out: no interval at all (no_history), or the reason
   int_queue_forecast_backtests_computed gives (too little history to forecast,
   or to score). #}
with

dim_queues as (

    select
        queue_id,
        channel

    from {{ ref('dim_queues') }}

),

backtests as (

    select * from {{ ref('int_queue_forecast_backtests_computed') }}

),

final as (

    select
        dim_queues.queue_id,
        dim_queues.channel,
        '{{ var("forecast_method") }}' as forecast_method,
        {# Cast: with no queue of any history the Python model's empty frame has no
           types. #}
        case
            when backtests.queue_id is null then 'no_history'
            else cast(backtests.forecast_null_reason as string)
        end as forecast_null_reason,
        cast(coalesce(backtests.history_weeks, 0) as integer) as history_weeks,
        cast(coalesce(backtests.origins, 0) as integer) as backtest_origins,
        cast(backtests.intervals as bigint) as intervals_scored,
        cast(backtests.contacts_offered as bigint) as contacts_offered,
        cast(backtests.wape as double) as wape,
        cast(backtests.mase as double) as mase,
        cast(backtests.coverage_rate_50 as double) as coverage_rate_50,
        cast(backtests.coverage_rate_80 as double) as coverage_rate_80,
        cast(backtests.coverage_rate_95 as double) as coverage_rate_95,
        coalesce(backtests.is_forecast, false) as is_forecast

    from dim_queues
    left join backtests
        on dim_queues.queue_id = backtests.queue_id

)

select * from final
