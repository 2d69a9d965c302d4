{# Full absorption costing: in every interval with handled contacts and a known staff
   cost, the contacts' costs add up to the interval's staff cost (to the cent per
   contact, for rounding). #}
with

contact_costs as (

    select
        queue_id,
        interval_start_at,
        count(*) as contacts_handled,
        sum(cost_amount) as cost_amount

    from {{ ref('fct_contacts') }}
    where is_answered and cost_amount is not null
    group by 1, 2

),

queue_intervals as (

    select
        queue_id,
        interval_start_at,
        staff_cost_amount

    from {{ ref('fct_queue_intervals') }}
    where staff_cost_amount is not null and contacts_answered > 0

)

select
    queue_intervals.queue_id,
    queue_intervals.interval_start_at,
    queue_intervals.staff_cost_amount,
    contact_costs.cost_amount

from queue_intervals
left join contact_costs
    on
        queue_intervals.queue_id = contact_costs.queue_id
        and queue_intervals.interval_start_at = contact_costs.interval_start_at
where
    abs(
        queue_intervals.staff_cost_amount - coalesce(contact_costs.cost_amount, 0)
    ) > 0.01 * coalesce(contact_costs.contacts_handled, 1)
