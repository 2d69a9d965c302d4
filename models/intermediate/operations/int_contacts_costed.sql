{# One cost: every queue-day's payroll is allocated to the contacts the queue handled
   that day, in proportion to their handle time (in equal shares when none of them
   has any), so a contact costs the same whichever interval it fell in: one answered
   at night, outside every staffed interval, pays its queue-day's rate too, and staff
   time in an interval without handled contacts is paid for by the day's contacts.
   The queue-day of a contact is the local date of its interval (var
   interval_attribution) in the queue's zone, as in fct_queue_days. Payroll of a queue-day without any handled contact stays
   unallocated (fct_queue_days.unallocated_staff_cost_amount).

   To the cent: each contact gets the difference of the day's cost allocated up to it
   and up to the one before (in contact_id order), both rounded to 4 decimals, so the
   rounded costs of a queue-day add up to its payroll exactly, not merely to within
   rounding per contact. #}
with

contacts as (

    select
        contact_id,
        queue_id,
        interval_date,
        coalesce(handle_time_seconds, 0) as handle_time_seconds

    from {{ ref('int_contacts_classified') }}
    where is_answered

),

payroll as (

    select
        queue_id,
        interval_date,
        sum(staff_cost_amount) as staff_cost_amount

    from {{ ref('int_agent_intervals_costed') }}
    group by 1, 2

),

contacts_weighed as (

    select
        contacts.contact_id,
        contacts.queue_id,
        contacts.interval_date,
        payroll.staff_cost_amount as day_staff_cost_amount,
        {# Equal shares only where the whole queue-day has no handle time (every
           call answered and dropped at once): there is nothing else to go by. #}
        case
            when sum(contacts.handle_time_seconds) over queue_day > 0
                then contacts.handle_time_seconds
            else 1.0
        end as weight

    from contacts
    left join payroll
        on
            contacts.queue_id = payroll.queue_id
            and contacts.interval_date = payroll.interval_date
    window queue_day as (
        partition by contacts.queue_id, contacts.interval_date
    )

),

weights_to_date as (

    select
        contact_id,
        queue_id,
        interval_date,
        day_staff_cost_amount,
        sum(weight) over (
            partition by queue_id, interval_date
            order by contact_id
            rows between unbounded preceding and current row
        ) as weight_to_date

    from contacts_weighed

),

costs_to_date as (

    select
        contact_id,
        queue_id,
        interval_date,
        {# Over the last running total rather than a second sum: the same bits in
           any scan order, and exactly the whole payroll at the day's last contact. #}
        cast(
            day_staff_cost_amount
            * {{ safe_divide(
                'weight_to_date',
                'max(weight_to_date) over (partition by queue_id, interval_date)'
            ) }} as decimal(18, 4)
        ) as cost_to_date_amount

    from weights_to_date

),

allocated as (

    select
        contact_id,
        cast(
            cost_to_date_amount - coalesce(
                lag(cost_to_date_amount) over (
                    partition by queue_id, interval_date order by contact_id
                ),
                0
            ) as decimal(18, 4)
        ) as cost_amount

    from costs_to_date

)

select * from allocated
