{# rpt_staffing_daily adds up to rpt_staffing, which covers fct_queue_intervals. #}
{%- set amounts = ['cost_at_actual_amount', 'money_at_stake_amount'] -%}
with

daily as (

    {{ per_key_totals(
        ref('rpt_staffing_daily'), 'queue_id',
        counts=['intervals', 'contacts_offered'], amounts=amounts,
    ) }}

),

staffing as (

    {{ per_key_totals(
        ref('rpt_staffing'), 'queue_id',
        counts=['contacts_offered'], amounts=amounts, rows='intervals',
    ) }}

),

queue_intervals as (

    {{ per_key_totals(
        ref('fct_queue_intervals'), 'queue_id',
        counts=['contacts_offered'], rows='intervals',
    ) }}

)

select coalesce(daily.queue_id, staffing.queue_id, queue_intervals.queue_id) as queue_id

from daily
full outer join staffing
    on daily.queue_id = staffing.queue_id
full outer join queue_intervals
    on coalesce(daily.queue_id, staffing.queue_id) = queue_intervals.queue_id
where
    {{ totals_disagree(
        'daily', 'staffing', 'queue_id',
        counts=['intervals', 'contacts_offered'], amounts=amounts,
    ) }}
    or {{ totals_disagree(
        'staffing', 'queue_intervals', 'queue_id',
        counts=['intervals', 'contacts_offered'],
    ) }}
