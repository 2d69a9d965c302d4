{# Queue x interval: contact counts, agent states, queue lengths and the queue's
   targets (service level, ASA, abandonment) side by side, for every interval with contacts or staffing. Staffed agents
   come from agent intervals (staffed seconds / interval seconds); where there are none,
   they are estimated from the distinct agents who handled contacts, and flagged.
   Patience is estimated per queue and local day (time waited by all offered contacts
   / abandons), the maximum-likelihood estimate for exponential patience. Each
   interval carries its local wall-clock start and local date in the queue's zone. #}
{%- set zone = queue_timezone('queues.timezone') -%}
{# The grain of contacts, agents and queue lengths alike: one interval of a queue. #}
{%- set key_columns = ['queue_id', 'interval_start_at'] -%}
with

contacts as (

    select * from {{ ref('int_contacts_aggregated_to_intervals') }}

),

agents as (

    select * from {{ ref('int_agent_intervals_aggregated_to_queues') }}

),

queue_lengths as (

    select * from {{ ref('int_queue_lengths_measured') }}

),

queues as (

    select
        queue_id,
        channel,
        timezone,
        sl_threshold_seconds,
        sl_target_rate,
        asa_target_seconds,
        abandonment_target_rate

    from {{ ref('int_queues_resolved') }}

),

interval_keys as (

    select
        queue_id,
        interval_start_at
    from contacts
    union
    select
        queue_id,
        interval_start_at
    from agents
    union
    select
        queue_id,
        interval_start_at
    from queue_lengths

),

localized_keys as (

    select
        interval_keys.queue_id,
        interval_keys.interval_start_at,
        {{ to_local('interval_keys.interval_start_at', zone) }}
            as interval_start_local_at,
        {{ local_date('interval_keys.interval_start_at', zone) }} as interval_date

    from interval_keys
    left join queues
        on interval_keys.queue_id = queues.queue_id

),

joined as (

    select
        localized_keys.queue_id,
        queues.channel,
        localized_keys.interval_start_at,
        localized_keys.interval_start_local_at,
        localized_keys.interval_date,
        {{ var('interval_minutes') }} as interval_minutes,
        {{ var('interval_minutes') }} * 60 as interval_seconds,
        coalesce(contacts.contacts_offered, 0) as contacts_offered,
        coalesce(contacts.contacts_answered, 0) as contacts_answered,
        coalesce(contacts.contacts_abandoned, 0) as contacts_abandoned,
        coalesce(contacts.contacts_flowed_out, 0) as contacts_flowed_out,
        coalesce(contacts.contacts_contained, 0) as contacts_contained,
        coalesce(contacts.contacts_answered_within_threshold, 0)
            as contacts_answered_within_threshold,
        coalesce(contacts.contacts_abandoned_within_threshold, 0)
            as contacts_abandoned_within_threshold,
        coalesce(contacts.contacts_short_abandoned, 0) as contacts_short_abandoned,
        coalesce(contacts.contacts_answered_after_waiting, 0)
            as contacts_answered_after_waiting,
        coalesce(contacts.contacts_transferred, 0) as contacts_transferred,
        coalesce(contacts.contacts_resolved, 0) as contacts_resolved,
        coalesce(contacts.contacts_fcr_known, 0) as contacts_fcr_known,
        coalesce(contacts.contacts_first_contact_resolved, 0)
            as contacts_first_contact_resolved,
        coalesce(contacts.answered_wait_seconds, 0) as answered_wait_seconds,
        coalesce(contacts.offered_wait_seconds, 0) as offered_wait_seconds,
        coalesce(contacts.handle_time_seconds, 0) as handle_time_seconds,
        {{ aht_seconds('contacts.handle_time_seconds', 'contacts.contacts_answered') }}
            as aht_seconds,
        {# The baselines need a handle time even where nothing was answered (every
           caller abandoned): then the queue's AHT of the day stands in. #}
        coalesce(
            {{ aht_seconds('contacts.handle_time_seconds', 'contacts.contacts_answered') }},
            {{ aht_seconds(
                'sum(contacts.handle_time_seconds) over queue_day',
                'sum(contacts.contacts_answered) over queue_day'
            ) }}
        ) as workload_aht_seconds,
        coalesce(contacts.talk_seconds, 0) as talk_seconds,
        coalesce(contacts.hold_seconds, 0) as hold_seconds,
        coalesce(contacts.acw_seconds, 0) as acw_seconds,
        coalesce(queue_lengths.waiting_seconds, 0) as waiting_seconds,
        coalesce(queue_lengths.max_queue_length, 0) as max_queue_length,
        coalesce(
            queues.sl_threshold_seconds, {{ var('sl_threshold_seconds') }}
        ) as sl_threshold_seconds,
        queues.sl_target_rate,
        queues.asa_target_seconds,
        queues.abandonment_target_rate,
        agents.agents_staffed,
        agents.staffed_seconds,
        agents.available_seconds,
        agents.handling_seconds,
        agents.aux_seconds,
        {# Doubles through the Python baselines step, cast back to decimal(18, 4) in
           the marts: pandas would hand an all-null decimal back untyped (a build
           without costs), and a decimal of the width of its values otherwise. #}
        cast(agents.staff_cost_amount as double) as staff_cost_amount,
        cast(contacts.allocated_staff_cost_amount as double)
            as allocated_staff_cost_amount,
        {# What the queueing baselines assume. Where no agent interval covers the
           queue interval this is an estimate, flagged: fct_queue_intervals and
           fct_queue_days never turn it into staffed hours, cost or occupancy. #}
        coalesce(
            {{ safe_divide('agents.staffed_seconds', var('interval_minutes') * 60) }},
            contacts.agents_handling
        ) as staffed_agents,
        agents.staffed_seconds is null as is_staffing_estimated,
        {{ safe_divide(
            'sum(coalesce(contacts.offered_wait_seconds, 0)) over queue_day',
            'sum(coalesce(contacts.contacts_abandoned, 0)) over queue_day'
        ) }} as patience_seconds

    from localized_keys
    left join contacts
        on {{ columns_equal('localized_keys', 'contacts', key_columns) }}
    left join agents
        on {{ columns_equal('localized_keys', 'agents', key_columns) }}
    left join queue_lengths
        on {{ columns_equal('localized_keys', 'queue_lengths', key_columns) }}
    left join queues
        on localized_keys.queue_id = queues.queue_id
    window queue_day as (
        partition by localized_keys.queue_id, localized_keys.interval_date
    )

)

select * from joined
