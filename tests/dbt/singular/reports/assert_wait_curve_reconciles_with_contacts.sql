{# The curve's contacts and CSAT answers add up to the marts'. #}
with

curve as (

    select
        sum(contacts) as contacts,
        sum(csat_responses) as csat_responses

    from {{ ref('rpt_wait_experience_curve') }}

),

contacts as (

    select contact_id

    from {{ ref('fct_contacts') }}
    where
        is_offered
        and wait_seconds >= {{ var('wait_band_lower_seconds')[0] }}
        and channel in ('{{ var("realtime_channels") | join("', '") }}')

),

marts as (

    select
        (select count(*) from contacts) as contacts,
        (
            select count(*)
            from {{ ref('fct_survey_responses') }} as responses
            inner join contacts
                on responses.contact_id = contacts.contact_id
            where responses.survey_type = 'csat'
        ) as csat_responses

)

{# One-row totals side by side: a failing row shows both sides of the mismatch. #}
select *  -- noqa: RF02

from curve
cross join marts
where
    curve.contacts != marts.contacts
    or curve.csat_responses != marts.csat_responses
