{# The daily roll-up adds up to its intervals: contacts and staff cost per queue. #}
with

days as (

    select
        queue_id,
        sum(contacts_offered) as contacts_offered,
        sum(contacts_answered_within_threshold) as contacts_within,
        coalesce(sum(staff_cost_amount), 0) as staff_cost_amount

    from {{ ref('fct_queue_days') }}
    group by 1

),

queue_intervals as (

    select
        queue_id,
        sum(contacts_offered) as contacts_offered,
        sum(contacts_answered_within_threshold) as contacts_within,
        coalesce(sum(staff_cost_amount), 0) as staff_cost_amount

    from {{ ref('fct_queue_intervals') }}
    group by 1

)

select days.*

from days
full outer join queue_intervals
    on days.queue_id = queue_intervals.queue_id
where
    days.queue_id is null
    or queue_intervals.queue_id is null
    or days.contacts_offered != queue_intervals.contacts_offered
    or days.contacts_within != queue_intervals.contacts_within
    or abs(days.staff_cost_amount - queue_intervals.staff_cost_amount) > 0.01
