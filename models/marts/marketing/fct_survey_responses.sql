{{ incremental_by_date('responded_date', unique_key='response_id') }}

with

responses as (

    select * from {{ ref('stg_survey__responses') }}

),

contacts as (

    select
        contact_id,
        queue_id,
        agent_id,
        channel,
        wait_seconds,
        is_resolved

    from {{ ref('fct_contacts') }}

),

final as (

    select
        responses.response_id,
        responses.contact_id,
        responses.customer_id,
        contacts.queue_id,
        contacts.agent_id,
        responses.survey_type,
        contacts.channel,
        case
            when responses.survey_type = 'nps' then {{ nps_category('responses.score') }}
        end as nps_category,
        {# Public: the verbatim with its e-mail addresses and long numbers masked.
           The raw text stays in the restricted staging view (docs/data_contract.md). #}
        {{ mask_pii('responses.comment') }} as masked_comment,
        responses.score,
        responses.scale_min,
        responses.scale_max,
        {{ safe_divide(
            'responses.score - responses.scale_min',
            'responses.scale_max - responses.scale_min'
        ) }} as score_rate,
        contacts.wait_seconds as contact_wait_seconds,
        responses.score >= responses.scale_max - 1 as is_top2box,
        contacts.is_resolved as is_contact_resolved,
        {# an answer is the customer's, dated in the center's zone #}
        {{ local_date('responses.responded_at', center_timezone()) }} as responded_date,
        responses.responded_at

    from responses
    left join contacts
        on responses.contact_id = contacts.contact_id

)

select * from final
where {{ in_run_window('responded_date') }}
