{{ incremental_by_date('arrived_date', unique_key='contact_id') }}

with

contacts as (

    select * from {{ ref('int_contacts_classified') }}

),

contact_costs as (

    select * from {{ ref('int_contacts_costed') }}

),

final as (

    select
        contacts.contact_id,
        contacts.customer_id,
        contacts.queue_id,
        contacts.agent_id,
        contacts.channel,
        contacts.contact_reason,
        contacts.outcome,
        contacts.source_file,
        contacts.ivr_seconds,
        contacts.wait_seconds,
        contacts.talk_seconds,
        contacts.hold_seconds,
        contacts.acw_seconds,
        case
            when contacts.is_answered then contacts.handle_time_seconds
        end as handle_time_seconds,
        contacts.sl_threshold_seconds,
        {# The queue-day's payroll by handle time (int_contacts_costed). #}
        contact_costs.cost_amount,
        contacts.is_offered,
        contacts.is_answered,
        contacts.is_abandoned,
        contacts.is_answered_within_threshold,
        contacts.is_abandoned_within_threshold,
        contacts.is_short_abandon,
        contacts.is_transferred,
        contacts.is_resolved,
        contacts.is_first_contact_resolved,
        {# local dates, in the queue's zone #}
        contacts.arrived_date,
        contacts.interval_date,
        contacts.interval_start_at,
        contacts.arrived_at,
        contacts.queued_at,
        contacts.answered_at,
        contacts.ended_at

    from contacts
    left join contact_costs
        on contacts.contact_id = contact_costs.contact_id

)

select * from final
where {{ in_run_window('arrived_date') }}
