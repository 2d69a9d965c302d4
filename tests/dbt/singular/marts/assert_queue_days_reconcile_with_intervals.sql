{# The daily roll-up adds up to its intervals: contacts and staff cost per queue. #}
{%- set counts = ['contacts_offered', 'contacts_answered_within_threshold'] -%}
{%- set amounts = ['staff_cost_amount'] -%}
with

days as (

    {{ per_key_totals(ref('fct_queue_days'), 'queue_id', counts, amounts) }}

),

queue_intervals as (

    {{ per_key_totals(ref('fct_queue_intervals'), 'queue_id', counts, amounts) }}

)

select days.*

from days
full outer join queue_intervals
    on days.queue_id = queue_intervals.queue_id
where {{ totals_disagree(
    'days', 'queue_intervals', 'queue_id', counts=counts, amounts=amounts
) }}
