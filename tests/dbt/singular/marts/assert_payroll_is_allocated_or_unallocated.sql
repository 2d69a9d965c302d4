{# One cost: per queue and day, every unit of payroll (fct_agent_intervals, the
   lowest grain) is allocated to the day's handled contacts or is the day's
   unallocated line, to the cent (exactly, at 4 decimals), and the contacts' costs
   add up to what fct_queue_days says was allocated. #}
with

payroll as (

    select
        queue_id,
        interval_date,
        sum(staff_cost_amount) as staff_cost_amount

    from {{ ref('fct_agent_intervals') }}
    group by 1, 2

),

contact_costs as (

    select
        queue_id,
        interval_date,
        sum(cost_amount) as cost_amount

    from {{ ref('fct_contacts') }}
    group by 1, 2

),

queue_days as (

    select
        queue_id,
        interval_date,
        staff_cost_amount,
        allocated_staff_cost_amount,
        unallocated_staff_cost_amount

    from {{ ref('fct_queue_days') }}

),

compared as (

    select
        coalesce(
            queue_days.queue_id, payroll.queue_id, contact_costs.queue_id
        ) as queue_id,
        coalesce(
            queue_days.interval_date,
            payroll.interval_date,
            contact_costs.interval_date
        ) as interval_date,
        coalesce(payroll.staff_cost_amount, 0) as payroll_amount,
        coalesce(queue_days.staff_cost_amount, 0) as staff_cost_amount,
        coalesce(queue_days.allocated_staff_cost_amount, 0)
            as allocated_staff_cost_amount,
        coalesce(queue_days.unallocated_staff_cost_amount, 0)
            as unallocated_staff_cost_amount,
        coalesce(contact_costs.cost_amount, 0) as contact_cost_amount

    from queue_days
    full outer join payroll
        on
            queue_days.queue_id = payroll.queue_id
            and queue_days.interval_date = payroll.interval_date
    full outer join contact_costs
        on
            coalesce(queue_days.queue_id, payroll.queue_id)
            = contact_costs.queue_id
            and coalesce(queue_days.interval_date, payroll.interval_date)
            = contact_costs.interval_date

)

select *
from compared
where
    payroll_amount != staff_cost_amount
    or payroll_amount
    != allocated_staff_cost_amount + unallocated_staff_cost_amount
    or contact_cost_amount != allocated_staff_cost_amount
