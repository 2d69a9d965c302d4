{# The staffing plan of each queue x local interval of the forecast horizon, as
   the prepared rows are: int_staffing_plan_typed, which rpt_staffing_plan_daily
   sums too. #}
with

plan as (

    select * from {{ ref('int_staffing_plan_typed') }}

)

select * from plan
