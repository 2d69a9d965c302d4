{# The responses in rpt_customer_feedback are exactly the responses of
   fct_survey_responses with a non-blank comment: distinct responses in the report =
   comments in the fact. #}
with

comments as (

    select response_id

    from {{ ref('fct_survey_responses') }}
    where nullif(trim(masked_comment), '') is not null

),

reported as (

    select distinct response_id

    from {{ ref('rpt_customer_feedback') }}

)

select
    comments.response_id as fact_response_id,
    reported.response_id as report_response_id

from comments
full outer join reported
    on comments.response_id = reported.response_id
where comments.response_id is null or reported.response_id is null
