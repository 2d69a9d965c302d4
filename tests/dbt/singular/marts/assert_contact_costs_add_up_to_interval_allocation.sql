{# Each interval's allocated cost (and so its cost per contact) is exactly the sum of
   its handled contacts' costs in fct_contacts: one number at every grain. #}
with

contact_costs as (

    select
        queue_id,
        interval_start_at,
        sum(cost_amount) as cost_amount

    from {{ ref('fct_contacts') }}
    where is_answered
    group by 1, 2

),

queue_intervals as (

    select
        queue_id,
        interval_start_at,
        allocated_staff_cost_amount

    from {{ ref('fct_queue_intervals') }}

)

select
    coalesce(queue_intervals.queue_id, contact_costs.queue_id) as queue_id,
    coalesce(
        queue_intervals.interval_start_at, contact_costs.interval_start_at
    ) as interval_start_at,
    queue_intervals.allocated_staff_cost_amount,
    contact_costs.cost_amount

from queue_intervals
full outer join contact_costs
    on
        queue_intervals.queue_id = contact_costs.queue_id
        and queue_intervals.interval_start_at = contact_costs.interval_start_at
where
    coalesce(queue_intervals.allocated_staff_cost_amount, 0)
    != coalesce(contact_costs.cost_amount, 0)
