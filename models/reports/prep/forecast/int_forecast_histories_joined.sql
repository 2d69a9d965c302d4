{# The forecast's history: every queue interval of fct_queue_intervals with the
   queue's zone. The mart, not int_queue_intervals_joined: a nightly run rebuilds
   the intermediate interval models for its window only, and the forecast reads
   the whole history. Handle seconds = AHT x answered (the mart keeps the ratio;
   0 where nothing was answered). #}
with

fct_queue_intervals as (

    select
        queue_id,
        interval_start_at,
        contacts_offered,
        contacts_answered,
        aht_seconds

    from {{ ref('fct_queue_intervals') }}

),

dim_queues as (

    select
        queue_id,
        timezone

    from {{ ref('dim_queues') }}

),

joined as (

    select
        fct_queue_intervals.queue_id,
        fct_queue_intervals.interval_start_at,
        fct_queue_intervals.contacts_offered,
        fct_queue_intervals.contacts_answered,
        coalesce(
            fct_queue_intervals.aht_seconds * fct_queue_intervals.contacts_answered,
            0
        ) as handle_time_seconds,
        dim_queues.timezone

    from fct_queue_intervals
    inner join dim_queues
        on fct_queue_intervals.queue_id = dim_queues.queue_id

)

select * from joined
