{{ incremental_by_date('interval_date', unique_key=['queue_id', 'interval_start_at']) }}

with

queue_intervals as (

    select * from {{ ref('int_queue_interval_baselines_computed') }}

),

final as (

    select
        queue_id,
        channel,
        cast(baseline_null_reason as string) as baseline_null_reason,
        interval_minutes,
        contacts_offered,
        contacts_answered,
        contacts_abandoned,
        contacts_flowed_out,
        contacts_contained,
        contacts_answered_within_threshold,
        contacts_abandoned_within_threshold,
        contacts_short_abandoned,
        sl_threshold_seconds,
        sl_target_rate,
        {# Through the Python baselines step a target that can be null (a queue
           without one) comes back a double: the catalog's type again. #}
        cast(asa_target_seconds as integer) as asa_target_seconds,
        abandonment_target_rate,
        {{ service_level_rate() }} as service_level_rate,
        {{ abandonment_rate() }} as abandonment_rate,
        {{ asa_seconds() }} as asa_seconds,
        aht_seconds,
        {{ safe_divide('waiting_seconds', 'interval_seconds') }}
            as avg_queue_length,
        cast(max_queue_length as integer) as max_queue_length,
        {# Measured only: an estimate never becomes staffed agents (or hours). #}
        case when not is_staffing_estimated then staffed_agents end
            as staffed_agents,
        staffed_agents as baseline_staffed_agents,
        {{ occupancy_rate() }} as occupancy_rate,
        {{ safe_divide('handling_seconds', 'staffed_seconds') }}
            as utilization_rate,
        {{ safe_divide('aux_seconds', 'staffed_seconds') }} as shrinkage_rate,
        {{ safe_divide('contacts_transferred', 'contacts_answered') }}
            as transfer_rate,
        {{ safe_divide('contacts_first_contact_resolved', 'contacts_fcr_known') }}
            as fcr_rate,
        cast(staff_cost_amount as decimal(18, 4)) as staff_cost_amount,
        {# The contacts' cost (int_contacts_costed: the queue-day's payroll by
           handle time), not the interval's own payroll: cost per contact is the
           same number here, in fct_contacts, fct_queue_days and the reports. #}
        cast(allocated_staff_cost_amount as decimal(18, 4))
            as allocated_staff_cost_amount,
        {{ cost_per_unit_amount() }} as cost_per_contact_amount,
        {{ safe_divide('allocated_staff_cost_amount', 'handle_time_seconds') }}
            as cost_per_handle_second_amount,
        patience_seconds,
        traffic_erlangs,
        erlang_c_service_level_rate,
        erlang_c_asa_seconds,
        erlang_c_occupancy_rate,
        erlang_a_service_level_rate,
        erlang_a_abandonment_rate,
        erlang_a_asa_seconds,
        erlang_a_occupancy_rate,
        cast(required_agents_erlang_c as integer) as required_agents_erlang_c,
        cast(required_agents_erlang_a as integer) as required_agents_erlang_a,
        cast(staffing_gap_agents as integer) as staffing_gap_agents,
        {{ service_level_rate() }} - erlang_a_service_level_rate
            as service_level_gap_rate,
        {# Null when either side is: nothing offered, or a queue without a target. #}
        {{ service_level_rate() }} >= sl_target_rate as is_sl_target_met,
        is_staffing_estimated,
        {# local: the date and wall clock of the interval's start in the queue's zone #}
        cast(interval_date as date) as interval_date,
        interval_start_local_at,
        interval_start_at

    from queue_intervals

)

select * from final
where {{ in_run_window('interval_date') }}
