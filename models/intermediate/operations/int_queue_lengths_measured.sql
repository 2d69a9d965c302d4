{# Queue length per queue x interval, measured from the waits themselves (whatever the
   interval attribution): the time-average number waiting is the waiting time that
   falls inside the interval divided by its length (Little's law over the interval);
   the maximum is the highest number waiting at any instant of the interval. The
   intervals are those of the queue's local clock (macro interval_start); stepping by
   the interval from one of them reaches the next, DST changes included, because every
   offset of a zone is a whole number of quarter-hours. #}
with

waits as (

    select
        queue_id,
        timezone,
        queued_at,
        left_queue_at

    from {{ ref('int_contacts_classified') }}
    where is_offered and wait_seconds > 0

),

waits_split_to_intervals as (

    select
        queue_id,
        queued_at,
        left_queue_at,
        {{ series(
            interval_start('queued_at', 'timezone'),
            interval_start('left_queue_at', 'timezone'),
            minutes_interval(var('interval_minutes'))
        ) }} as interval_start_at

    from waits

),

waits_in_intervals as (

    select
        queue_id,
        interval_start_at,
        queued_at < interval_start_at
        and left_queue_at > interval_start_at as is_waiting_at_start,
        {{ seconds_between(
            'greatest(queued_at, interval_start_at)',
            'least(left_queue_at, interval_start_at + '
            ~ minutes_interval(var('interval_minutes')) ~ ')'
        ) }} as waiting_seconds

    from waits_split_to_intervals

),

{# A sweep over arrivals (+1) and departures (-1) gives the number waiting after each
   event; departures sort first at equal instants so a hand-over is not a peak. #}
events as (

    select
        queue_id,
        timezone,
        queued_at as event_at,
        1 as change
    from waits
    union all
    select
        queue_id,
        timezone,
        left_queue_at as event_at,
        -1 as change
    from waits

),

levels as (

    select
        queue_id,
        {{ interval_start('event_at', 'timezone') }} as interval_start_at,
        sum(change) over (
            partition by queue_id
            order by event_at, change
            rows between unbounded preceding and current row
        ) as waiting_after_event

    from events

),

peaks_at_events as (

    select
        queue_id,
        interval_start_at,
        max(waiting_after_event) as max_queue_length

    from levels
    group by 1, 2

),

waits_summed as (

    select
        queue_id,
        interval_start_at,
        sum(waiting_seconds) as waiting_seconds,
        count(*) filter (where is_waiting_at_start) as waiting_at_start

    from waits_in_intervals
    where waiting_seconds > 0
    group by 1, 2

),

final as (

    select
        waits_summed.queue_id,
        waits_summed.interval_start_at,
        waits_summed.waiting_seconds,
        greatest(
            waits_summed.waiting_at_start,
            coalesce(peaks_at_events.max_queue_length, 0)
        ) as max_queue_length

    from waits_summed
    left join peaks_at_events
        on
            waits_summed.queue_id = peaks_at_events.queue_id
            and waits_summed.interval_start_at = peaks_at_events.interval_start_at

)

select * from final
