{# One row per contact with the flags every interval KPI counts: which interval it
   belongs to (var interval_attribution, aligned to the local clock of the queue's
   zone), whether it was offered to the agent queue, answered or abandoned within the
   queue's threshold, a short abandon, and its handle time as the AHT vars define it.
   Its dates are local: the calendar of the queue's site. #}
{%- if var('interval_attribution') == 'arrival' -%}
{%- set attributed_at = 'arrived_at' -%}
{%- elif var('interval_attribution') == 'answer' -%}
{%- set attributed_at = 'coalesce(answered_at, ended_at)' -%}
{%- elif var('interval_attribution') == 'end' -%}
{%- set attributed_at = 'ended_at' -%}
{%- else -%}
{{ exceptions.raise_compiler_error(
    "var interval_attribution must be arrival, answer or end, got "
    ~ var('interval_attribution')
) }}
{%- endif %}
with

contacts as (

    select * from {{ ref('stg_telephony__contacts') }}
    where {{ in_run_window(
        'arrived_at', var('run_window_margin_days'), is_utc_instant=true,
        instant_column='arrived_at_instant'
    ) }}

),

queues as (

    select
        queue_id,
        timezone,
        sl_threshold_seconds

    from {{ ref('int_queues_resolved') }}

),

contacts_with_thresholds as (

    select
        contacts.*,
        coalesce(
            queues.sl_threshold_seconds, {{ var('sl_threshold_seconds') }}
        ) as sl_threshold_seconds,
        {{ queue_timezone('queues.timezone') }} as timezone,
        {{ add_seconds('contacts.arrived_at', 'contacts.ivr_seconds') }} as queued_at,
        lead(contacts.arrived_at) over (
            partition by
                contacts.customer_id
                {% if var('fcr_repeat_same_reason') %}, contacts.contact_reason{% endif %}
            order by contacts.arrived_at, contacts.contact_id
        ) as next_contact_arrived_at

    from contacts
    left join queues
        on contacts.queue_id = queues.queue_id

),

classified as (

    select
        contact_id,
        customer_id,
        queue_id,
        agent_id,
        channel,
        contact_reason,
        outcome,
        source_file,
        ivr_seconds,
        wait_seconds,
        talk_seconds,
        hold_seconds,
        acw_seconds,
        sl_threshold_seconds,
        talk_seconds
        {% if var('aht_includes_hold') %} + hold_seconds{% endif %}
        {% if var('aht_includes_acw') %} + acw_seconds{% endif %}
            as handle_time_seconds,
        is_transferred,
        is_resolved,
        {# FCR is a property of handled contacts; null where the method cannot tell. #}
        case
            when outcome != 'handled' then null
            {% if var('fcr_method') == 'disposition' %}
            else is_resolved and not is_transferred
            {% elif var('fcr_method') == 'repeat' %}
            when customer_id is null then null
            else next_contact_arrived_at is null
                or next_contact_arrived_at > arrived_at
                + {{ days_interval(var("fcr_repeat_window_days")) }}
            {% else %}
            {{ exceptions.raise_compiler_error(
                "var fcr_method must be disposition or repeat, got "
                ~ var('fcr_method')
            ) }}
            {% endif %}
        end as is_first_contact_resolved,
        outcome in ('handled', 'abandoned', 'flowout') as is_offered,
        outcome = 'handled' as is_answered,
        outcome = 'abandoned' as is_abandoned,
        outcome = 'handled'
        and wait_seconds <= sl_threshold_seconds as is_answered_within_threshold,
        outcome = 'abandoned'
        and wait_seconds <= sl_threshold_seconds as is_abandoned_within_threshold,
        outcome = 'abandoned'
        and wait_seconds <= {{ var('short_abandon_seconds') }} as is_short_abandon,
        timezone,
        {{ interval_start(attributed_at, 'timezone') }} as interval_start_at,
        {# buckets start at local midnights: an interval's date is its instants' #}
        {{ local_date(attributed_at, 'timezone') }} as interval_date,
        {{ local_date('arrived_at', 'timezone') }} as arrived_date,
        arrived_at,
        queued_at,
        answered_at,
        ended_at,
        {{ add_seconds('queued_at', 'wait_seconds') }} as left_queue_at

    from contacts_with_thresholds

)

select * from classified
