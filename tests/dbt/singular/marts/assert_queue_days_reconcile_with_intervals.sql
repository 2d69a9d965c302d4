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
where {{ totals_disagree(
    'days', 'queue_intervals', 'queue_id',
    counts=['contacts_offered', 'contacts_within'],
    amounts=['staff_cost_amount'],
) }}
