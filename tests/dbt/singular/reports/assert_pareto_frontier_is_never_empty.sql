{# A finite set of comparable units always has a non-dominated one: every group with
   a comparable unit (non-null Pareto flag) has at least one efficient unit. #}
with

cost_groups as (

    select
        'rpt_cost_vs_satisfaction' as report,
        dimension_type || ' ' || period_grain || ' ' || period_start_date as grp,
        is_pareto_efficient

    from {{ ref('rpt_cost_vs_satisfaction') }}

),

quality_groups as (

    select
        'rpt_quality_vs_productivity' as report,
        unit_type || ' ' || week_start_date as grp,
        is_pareto_efficient

    from {{ ref('rpt_quality_vs_productivity') }}

),

all_groups as (

    select * from cost_groups
    union all
    select * from quality_groups

)

select
    report,
    grp

from all_groups
where is_pareto_efficient is not null
group by 1, 2
having not bool_or(is_pareto_efficient)
