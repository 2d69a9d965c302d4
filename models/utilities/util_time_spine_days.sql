{# MetricFlow's time spine (docs/semantic_layer.md): one row per calendar day.
   MetricFlow joins to it for metric_time, cumulative metrics and offsets; the range
   covers every date the marts can hold with room on both sides, and costs ~18k rows. #}
with

days as (

    select cast(day_at as date) as date_day
    from (
        select
            {{ series("date '2000-01-01'", "date '2049-12-31'", 'interval 1 day') }}
                as day_at
    ) as series

)

select * from days
