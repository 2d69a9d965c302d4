{# The value-optimal staffing of each queue interval, as the prepared rows are:
   int_queue_interval_staffing_typed, which rpt_staffing_daily sums too. #}
with

staffing as (

    select * from {{ ref('int_queue_interval_staffing_typed') }}

)

select * from staffing
