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
        count(*) filter (where is_offered) as contacts_offered,
        count(*) filter (where is_answered) as contacts_answered,
        count(*) filter (where is_abandoned) as contacts_abandoned,
        count(*) filter (where outcome = 'flowout') as contacts_flowed_out,
        count(*) filter (where outcome = 'contained') as contacts_contained,
        count(*) filter (
            where is_answered_within_threshold
        ) as contacts_answered_within_threshold,
        count(*) filter (
            where is_abandoned_within_threshold
        ) as contacts_abandoned_within_threshold,
        count(*) filter (where is_short_abandon) as contacts_short_abandoned,
        count(*) filter (
            where is_answered and wait_seconds > 0
        ) as contacts_answered_after_waiting,
        count(*) filter (
            where is_answered and is_transferred
        ) as contacts_transferred,
        count(*) filter (where is_answered and is_resolved) as contacts_resolved,
        count(*) filter (
            where is_first_contact_resolved is not null
        ) as contacts_fcr_known,
        count(*) filter (
            where is_first_contact_resolved
        ) as contacts_first_contact_resolved,
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
