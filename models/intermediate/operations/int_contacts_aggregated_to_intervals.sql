{# Re-grain contacts to queue x interval: the counts and sums every interval KPI is a
   ratio of, and the staff cost allocated to the interval's contacts. Ratios
   themselves are taken in fct_queue_intervals, once. #}
with

contacts as (

    select * from {{ ref('int_contacts_classified') }}

),

contact_costs as (

    select * from {{ ref('int_contacts_costed') }}

),

contacts_with_costs as (

    select
        contacts.*,
        contact_costs.cost_amount

    from contacts
    left join contact_costs
        on contacts.contact_id = contact_costs.contact_id

),

aggregated as (

    select
        queue_id,
        interval_start_at,
        {{ contact_counts([
            'offered', 'answered', 'abandoned', 'flowed_out', 'contained',
            'answered_within_threshold', 'abandoned_within_threshold',
            'short_abandoned', 'answered_after_waiting', 'transferred',
            'resolved', 'fcr_known', 'first_contact_resolved'
        ]) }},
        count(distinct agent_id) filter (where is_answered) as agents_handling,
        coalesce(sum(wait_seconds) filter (where is_answered), 0)
            as answered_wait_seconds,
        coalesce(sum(wait_seconds) filter (where is_offered), 0)
            as offered_wait_seconds,
        coalesce(sum(handle_time_seconds) filter (where is_answered), 0)
            as handle_time_seconds,
        coalesce(sum(talk_seconds) filter (where is_answered), 0) as talk_seconds,
        coalesce(sum(hold_seconds) filter (where is_answered), 0) as hold_seconds,
        coalesce(sum(acw_seconds) filter (where is_answered), 0) as acw_seconds,
        max(sl_threshold_seconds) as sl_threshold_seconds,
        {# null when no handled contact of the interval has a known cost #}
        sum(cost_amount) as allocated_staff_cost_amount

    from contacts_with_costs
    group by 1, 2

)

select * from aggregated
