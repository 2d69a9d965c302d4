{# Which queues, channels, teams and segments moved most in cost per contact and
   CSAT between the last two complete periods, and whether the CSAT move is more than
   noise. One row per unit present in both periods: cost per contact and CSAT then
   and now, their changes, and the two-proportion z of the CSAT change (|z| above
   var report_confidence_z, 1.96 by default, is a real move at 95 %). Biggest cost
   move first; a unit that got cheaper and more satisfying is the one to learn from.

   The period: var analysis_period_grain, `month` (default) or `week`; whole periods
   only (rpt_cost_vs_satisfaction.is_period_complete). #}
{% set grain = var('analysis_period_grain', 'month') %}

with

units as (

    select
        *,
        dense_rank() over (order by period_start_date desc) as periods_back

    from {{ ref('rpt_cost_vs_satisfaction') }}
    where period_grain = '{{ grain }}' and is_period_complete

),

compared as (

    select
        latest.dimension_type,
        latest.dimension_value,
        latest.period_start_date,
        previous.period_start_date as previous_period_start_date,
        previous.cost_per_contact_amount as previous_cost_per_contact_amount,
        latest.cost_per_contact_amount,
        latest.cost_per_contact_amount - previous.cost_per_contact_amount
            as cost_per_contact_change_amount,
        {{ safe_divide(
            'latest.cost_per_contact_amount - previous.cost_per_contact_amount',
            'previous.cost_per_contact_amount'
        ) }} as cost_per_contact_change_rate,
        previous.csat_responses as previous_csat_responses,
        previous.csat_rate as previous_csat_rate,
        latest.csat_responses,
        latest.csat_rate,
        latest.csat_rate - previous.csat_rate as csat_change_rate,
        {{ two_proportion_z(
            'previous.csat_rate', 'previous.csat_responses',
            'latest.csat_rate', 'latest.csat_responses'
        ) }} as csat_change_z

    from units as latest
    inner join units as previous
        on
            latest.dimension_type = previous.dimension_type
            and latest.dimension_value = previous.dimension_value
            and previous.periods_back = 2
    where latest.periods_back = 1

),

final as (

    select
        *,
        abs(csat_change_z) > {{ var('report_confidence_z') }}
            as is_csat_change_significant

    from compared

)

select * from final
order by
    abs(cost_per_contact_change_amount) desc nulls last,
    dimension_type asc,
    dimension_value asc
