{{ incremental_by_date('interval_date', unique_key=['queue_id', 'interval_date']) }}

{# Daily roll-up: the same KPI macros as fct_queue_intervals, applied to the day's
   summed counts (a ratio of sums, never an average of interval ratios). #}
with

queue_intervals as (

    select * from {{ ref('int_queue_interval_baselines_computed') }}

),

summed as (

    select
        queue_id,
        {# the local day of the queue's site: 23, 24 or 25 hours of intervals #}
        cast(interval_date as date) as interval_date,
        max(channel) as channel,
        {# The queue's targets: one value per queue (the catalog in force). #}
        max(sl_threshold_seconds) as sl_threshold_seconds,
        max(sl_target_rate) as sl_target_rate,
        cast(max(asa_target_seconds) as integer) as asa_target_seconds,
        max(abandonment_target_rate) as abandonment_target_rate,
        {# Sums of doubles in a fixed order: floating-point addition is not
           associative, and an incremental run must give the same bits as a full
           build whatever order the rows are stored or scanned in. #}
        cast(sum(contacts_offered) as bigint) as contacts_offered,
        cast(sum(contacts_answered) as bigint) as contacts_answered,
        cast(sum(contacts_abandoned) as bigint) as contacts_abandoned,
        cast(sum(contacts_flowed_out) as bigint) as contacts_flowed_out,
        cast(sum(contacts_contained) as bigint) as contacts_contained,
        cast(sum(contacts_answered_within_threshold) as bigint)
            as contacts_answered_within_threshold,
        cast(sum(contacts_abandoned_within_threshold) as bigint)
            as contacts_abandoned_within_threshold,
        cast(sum(contacts_short_abandoned) as bigint) as contacts_short_abandoned,
        cast(sum(contacts_answered_after_waiting) as bigint) as contacts_answered_after_waiting,
        cast(sum(contacts_transferred) as bigint) as contacts_transferred,
        cast(sum(contacts_fcr_known) as bigint) as contacts_fcr_known,
        cast(sum(contacts_first_contact_resolved) as bigint) as contacts_first_contact_resolved,
        {{ ordered_sum('answered_wait_seconds', 'interval_start_at') }} as answered_wait_seconds,
        {{ ordered_sum('handle_time_seconds', 'interval_start_at') }} as handle_time_seconds,
        {{ ordered_sum('staffed_seconds', 'interval_start_at') }} as staffed_seconds,
        {{ ordered_sum('available_seconds', 'interval_start_at') }} as available_seconds,
        {{ ordered_sum('handling_seconds', 'interval_start_at') }} as handling_seconds,
        {{ ordered_sum('aux_seconds', 'interval_start_at') }} as aux_seconds,
        cast(
            {{ ordered_sum('staff_cost_amount', 'interval_start_at') }}
            as decimal(18, 4)
        ) as staff_cost_amount,
        cast(
            {{ ordered_sum('allocated_staff_cost_amount', 'interval_start_at') }}
            as decimal(18, 4)
        ) as allocated_staff_cost_amount,
        {{ ordered_sum('required_agents_erlang_a * interval_seconds', 'interval_start_at') }}
        / 3600 as required_agent_hours_erlang_a,
        {{ ordered_sum('erlang_a_service_level_rate * contacts_offered', 'interval_start_at') }}
            as erlang_a_answered_within_threshold,
        bool_or(is_staffing_estimated) as has_estimated_staffing

    from queue_intervals
    group by 1, 2

),

final as (

    select
        queue_id,
        channel,
        contacts_offered,
        contacts_answered,
        contacts_abandoned,
        contacts_flowed_out,
        contacts_contained,
        contacts_answered_within_threshold,
        sl_threshold_seconds,
        sl_target_rate,
        asa_target_seconds,
        abandonment_target_rate,
        {{ service_level_rate() }} as service_level_rate,
        {{ abandonment_rate() }} as abandonment_rate,
        {{ asa_seconds() }} as asa_seconds,
        {{ aht_seconds() }} as aht_seconds,
        {{ occupancy_rate() }} as occupancy_rate,
        {{ safe_divide('handling_seconds', 'staffed_seconds') }}
            as utilization_rate,
        {{ safe_divide('aux_seconds', 'staffed_seconds') }} as shrinkage_rate,
        {{ safe_divide('contacts_transferred', 'contacts_answered') }}
            as transfer_rate,
        {{ safe_divide('contacts_first_contact_resolved', 'contacts_fcr_known') }}
            as fcr_rate,
        {# Logged-in hours only: an interval whose staffing is estimated (no agent
           interval covered it) adds none. / 3600, not 3600.0: on Spark a decimal
           literal makes the quotient a decimal. #}
        staffed_seconds / 3600 as staffed_agent_hours,
        required_agent_hours_erlang_a,
        staffed_seconds / 3600 - required_agent_hours_erlang_a
            as staffing_gap_agent_hours,
        {{ safe_divide('erlang_a_answered_within_threshold', 'contacts_offered') }}
            as erlang_a_service_level_rate,
        staff_cost_amount,
        {# The day's payroll goes to its handled contacts (int_contacts_costed, to
           the cent); without any, it is all the day's unallocated line. #}
        case
            when staff_cost_amount is not null
                then coalesce(allocated_staff_cost_amount, 0)
        end as allocated_staff_cost_amount,
        cast(
            staff_cost_amount - coalesce(allocated_staff_cost_amount, 0)
            as decimal(18, 4)
        ) as unallocated_staff_cost_amount,
        {{ cost_per_unit_amount() }} as cost_per_contact_amount,
        {# Null when either side is: nothing offered, or a queue without a target. #}
        {{ service_level_rate() }} >= sl_target_rate as is_sl_target_met,
        has_estimated_staffing,
        interval_date

    from summed

)

select * from final
where {{ in_run_window('interval_date') }}
