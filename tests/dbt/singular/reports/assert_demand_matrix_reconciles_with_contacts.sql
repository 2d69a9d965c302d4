{# Contacts, contained and answered contacts per reason in rpt_demand_matrix equal
   fct_contacts: no reason lost or double counted (null reasons are unknown). #}
with

contacts as (

    select
        coalesce(contact_reason, 'unknown') as contact_reason,
        count(*) as contacts,
        count(*) filter (where outcome = 'contained') as contacts_contained,
        count(*) filter (where is_answered) as contacts_answered

    from {{ ref('fct_contacts') }}
    group by 1

),

demand_matrix as (

    select
        contact_reason,
        contacts,
        contacts_contained,
        contacts_answered

    from {{ ref('rpt_demand_matrix') }}

)

select
    coalesce(contacts.contact_reason, demand_matrix.contact_reason) as contact_reason,
    contacts.contacts as fact_contacts,
    demand_matrix.contacts as report_contacts

from contacts
full outer join demand_matrix
    on contacts.contact_reason = demand_matrix.contact_reason
where {{ totals_disagree(
    'contacts', 'demand_matrix', 'contact_reason',
    counts=['contacts', 'contacts_contained', 'contacts_answered'],
) }}
