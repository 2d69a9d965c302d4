{# Re-grain conservation: every contact is counted in exactly one queue interval, so
   the interval counts add up to the contact counts, per queue and outcome. #}
with

contacts as (

    select
        queue_id,
        count(*) filter (where is_offered) as contacts_offered,
        count(*) filter (where is_answered) as contacts_answered,
        count(*) filter (where is_abandoned) as contacts_abandoned,
        count(*) filter (where outcome = 'contained') as contacts_contained

    from {{ ref('fct_contacts') }}
    group by 1

),

queue_intervals as (

    select
        queue_id,
        sum(contacts_offered) as contacts_offered,
        sum(contacts_answered) as contacts_answered,
        sum(contacts_abandoned) as contacts_abandoned,
        sum(contacts_contained) as contacts_contained

    from {{ ref('fct_queue_intervals') }}
    group by 1

)

select
    coalesce(contacts.queue_id, queue_intervals.queue_id) as queue_id,
    contacts.contacts_offered as contacts_offered_in_contacts,
    queue_intervals.contacts_offered as contacts_offered_in_intervals

from contacts
full outer join queue_intervals
    on contacts.queue_id = queue_intervals.queue_id
where
    coalesce(contacts.contacts_offered, 0)
    != coalesce(queue_intervals.contacts_offered, 0)
    or coalesce(contacts.contacts_answered, 0)
    != coalesce(queue_intervals.contacts_answered, 0)
    or coalesce(contacts.contacts_abandoned, 0)
    != coalesce(queue_intervals.contacts_abandoned, 0)
    or coalesce(contacts.contacts_contained, 0)
    != coalesce(queue_intervals.contacts_contained, 0)
