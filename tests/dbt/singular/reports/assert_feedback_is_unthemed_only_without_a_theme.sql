{# A response has the unthemed row only when no theme matched it. #}
select
    response_id,
    count(*) as themes

from {{ ref('rpt_customer_feedback') }}
group by response_id
having
    count(*) filter (where theme = 'unthemed') > 0
    and count(*) > 1
