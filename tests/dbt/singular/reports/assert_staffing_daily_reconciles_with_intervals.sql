{# rpt_staffing_daily adds up to rpt_staffing, which covers fct_queue_intervals. #}
with

daily as (

    select
        queue_id,
        sum(intervals) as intervals,
        sum(contacts_offered) as contacts_offered,
        coalesce(sum(cost_at_actual_amount), 0) as cost_at_actual_amount,
        coalesce(sum(money_at_stake_amount), 0) as money_at_stake_amount

    from {{ ref('rpt_staffing_daily') }}
    group by 1

),

staffing as (

    select
        queue_id,
        count(*) as intervals,
        sum(contacts_offered) as contacts_offered,
        coalesce(sum(cost_at_actual_amount), 0) as cost_at_actual_amount,
        coalesce(sum(money_at_stake_amount), 0) as money_at_stake_amount

    from {{ ref('rpt_staffing') }}
    group by 1

),

queue_intervals as (

    select
        queue_id,
        count(*) as intervals,
        sum(contacts_offered) as contacts_offered

    from {{ ref('fct_queue_intervals') }}
    group by 1

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
        counts=['intervals', 'contacts_offered'],
        amounts=['cost_at_actual_amount', 'money_at_stake_amount'],
    ) }}
    or {{ totals_disagree(
        'staffing', 'queue_intervals', 'queue_id',
        counts=['intervals', 'contacts_offered'],
    ) }}
