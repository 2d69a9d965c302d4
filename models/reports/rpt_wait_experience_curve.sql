{# The wait -> satisfaction -> churn curve: one row per wait band x resolved. #}
{%- set lowers = var('wait_band_lower_seconds') -%}
{%- set channels = "('" ~ var('realtime_channels') | join("', '") ~ "')" -%}
{# The grain of every count below, and of the curve's rows. #}
{%- set group_keys = ['wait_band_index', 'is_resolved'] -%}

with

bands as (

    {% for lower in lowers %}
    select
        {{ loop.index0 }} as wait_band_index,
        {% if loop.last -%}
        '{{ lower }}s+' as wait_band,
        {{ lower }} as wait_band_lower_seconds,
        cast(null as integer) as wait_band_upper_seconds
        {%- else -%}
        '{{ lower }}-{{ lowers[loop.index] }}s' as wait_band,
        {{ lower }} as wait_band_lower_seconds,
        {{ lowers[loop.index] }} as wait_band_upper_seconds
        {%- endif %}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

groups as (

    {# statuses: two literal rows, too small for a CTE of their own. #}
    select
        bands.*,
        statuses.is_resolved

    from bands
    cross join (select true as is_resolved union all select false) as statuses  -- noqa: ST05, LT11

),

all_contacts as (

    select * from {{ ref('fct_contacts') }}

),

customers as (

    select
        customer_id,
        churned_at

    from {{ ref('dim_customers') }}

),

responses as (

    select
        response_id,
        contact_id,
        customer_id,
        survey_type,
        nps_category,
        is_top2box,
        responded_at

    from {{ ref('fct_survey_responses') }}

),

data_span as (

    select max(arrived_at) as last_at

    from all_contacts

),

banded as (

    select
        all_contacts.contact_id,
        all_contacts.customer_id,
        all_contacts.arrived_at,
        all_contacts.wait_seconds,
        coalesce(all_contacts.is_resolved, false) as is_resolved,
        bands.wait_band_index

    from all_contacts
    inner join bands
        on
            all_contacts.wait_seconds >= bands.wait_band_lower_seconds
            and (
                bands.wait_band_upper_seconds is null
                or all_contacts.wait_seconds < bands.wait_band_upper_seconds
            )
    where all_contacts.is_offered and all_contacts.channel in {{ channels }}

),

contact_counts as (

    select
        wait_band_index,
        is_resolved,
        count(*) as contacts,
        avg(wait_seconds) as avg_wait_seconds

    from banded
    group by 1, 2

),

csat as (

    select
        banded.wait_band_index,
        banded.is_resolved,
        count(*) as csat_responses,
        count(*) filter (where responses.is_top2box) as csat_top2box_responses

    from responses
    inner join banded
        on responses.contact_id = banded.contact_id
    where responses.survey_type = 'csat'
    group by 1, 2

),

nps_attributed as (

    {# Each relationship NPS answer goes to the customer's last real-time
       offered contact in the var nps_attribution_days before the answer. #}
    select
        response_id,
        nps_category,
        wait_band_index,
        is_resolved
    from (
        select
            responses.response_id,
            responses.nps_category,
            banded.wait_band_index,
            banded.is_resolved,
            row_number() over (
                partition by responses.response_id
                order by banded.arrived_at desc, banded.contact_id desc
            ) as recency_rank

        from responses
        inner join banded
            on
                responses.customer_id = banded.customer_id
                and banded.arrived_at <= responses.responded_at
                and banded.arrived_at > {{ add_seconds(
                    'responses.responded_at',
                    '-86400.0 * ' ~ var('nps_attribution_days')
                ) }}
        where responses.survey_type = 'nps'
    ) as candidates
    where recency_rank = 1

),

nps as (

    select
        wait_band_index,
        is_resolved,
        count(*) as nps_responses,
        count(*) filter (where nps_category = 'promoter') as nps_promoters,
        count(*) filter (where nps_category = 'passive') as nps_passives,
        count(*) filter (where nps_category = 'detractor') as nps_detractors

    from nps_attributed
    group by 1, 2

),

followups as (

    {# Contacts of a known customer who was still a customer at the contact. The
       follow-up window runs var churn_lookahead_days from the contact. #}
    select
        banded.wait_band_index,
        banded.is_resolved,
        banded.customer_id,
        customers.churned_at,
        {{ add_seconds(
            'banded.arrived_at', var('churn_lookahead_days') ~ ' * 86400.0'
        ) }} as followup_end_at,
        data_span.last_at

    from banded
    inner join customers
        on banded.customer_id = customers.customer_id
    cross join data_span
    where customers.churned_at is null or customers.churned_at >= banded.arrived_at

),

customer_followups as (

    {# Only contacts whose whole follow-up window lies inside the data (it ends
       by the last contact): churn lands on calendar dates (a monthly billing
       run, the demo's window ends) and observation stops at the data's end, so
       a window cut short by the end is not a shorter look at the same risk: it
       may or may not hold the next churn date. A whole window always does.
       One row per customer: a customer's contacts share one churn outcome. #}
    select
        wait_band_index,
        is_resolved,
        customer_id,
        count(*) as contacts,
        count(*) filter (where churned_at <= followup_end_at) as churned_contacts

    from followups
    where followup_end_at <= last_at
    group by 1, 2, 3

),

churn_sums as (

    select
        wait_band_index,
        is_resolved,
        count(*) as churn_customers,
        sum(contacts) as churn_contacts,
        sum(churned_contacts) as churn_events,
        sum(contacts * contacts) as contacts_squared,
        sum(churned_contacts * contacts) as churned_times_contacts,
        sum(churned_contacts * churned_contacts) as churned_squared

    from customer_followups
    group by 1, 2

),

churn_rates as (

    select
        *,
        {{ safe_divide('churn_events', 'churn_contacts') }} as churn_rate

    from churn_sums

),

churn as (

    select
        wait_band_index,
        is_resolved,
        churn_contacts,
        churn_events,
        churn_rate,
        {# Effective sample size: r (1 - r) over the customer-clustered variance
           of the share, sum_c (d_c - r n_c)^2 / N^2 (n_c contacts and d_c of
           them churned for customer c, N contacts), expanded into the sums
           above. Equals the contacts when every customer has one; the number
           of customers when the variance is 0 (no churn, or all churned). #}
        coalesce(
            {{ safe_divide(
                'churn_rate * (1.0 - churn_rate)',
                'greatest(0.0, churned_squared - 2.0 * churn_rate'
                ~ ' * churned_times_contacts + churn_rate * churn_rate'
                ~ ' * contacts_squared) / (churn_contacts * churn_contacts)'
            ) }},
            churn_customers
        ) as churn_effective_sample_size

    from churn_rates

),

rates as (

    select
        groups.wait_band_index,
        groups.wait_band,
        groups.wait_band_lower_seconds,
        groups.wait_band_upper_seconds,
        groups.is_resolved,
        coalesce(contact_counts.contacts, 0) as contacts,
        contact_counts.avg_wait_seconds,
        coalesce(csat.csat_responses, 0) as csat_responses,
        coalesce(csat.csat_top2box_responses, 0) as csat_top2box_responses,
        {{ safe_divide('csat.csat_top2box_responses', 'csat.csat_responses') }}
            as csat_rate,
        coalesce(nps.nps_responses, 0) as nps_responses,
        coalesce(nps.nps_promoters, 0) as nps_promoters,
        coalesce(nps.nps_passives, 0) as nps_passives,
        coalesce(nps.nps_detractors, 0) as nps_detractors,
        {{ nps('nps.nps_promoters', 'nps.nps_detractors', 'nps.nps_responses') }}
            as nps,
        coalesce(churn.churn_contacts, 0) as churn_contacts,
        coalesce(churn.churn_events, 0) as churn_events,
        churn.churn_rate,
        churn.churn_effective_sample_size

    from groups
    left join contact_counts
        on {{ columns_equal('groups', 'contact_counts', group_keys) }}
    left join csat
        on {{ columns_equal('groups', 'csat', group_keys) }}
    left join nps
        on {{ columns_equal('groups', 'nps', group_keys) }}
    left join churn
        on {{ columns_equal('groups', 'churn', group_keys) }}

),

final as (

    select
        wait_band_index,
        wait_band,
        wait_band_lower_seconds,
        wait_band_upper_seconds,
        is_resolved,
        cast(contacts as integer) as contacts,
        avg_wait_seconds,
        cast(csat_responses as integer) as csat_responses,
        cast(csat_top2box_responses as integer) as csat_top2box_responses,
        csat_rate,
        {{ wilson_interval_bound('csat_rate', 'csat_responses', 'lower') }}
            as csat_rate_lower,
        {{ wilson_interval_bound('csat_rate', 'csat_responses', 'upper') }}
            as csat_rate_upper,
        cast(nps_responses as integer) as nps_responses,
        cast(nps_promoters as integer) as nps_promoters,
        cast(nps_passives as integer) as nps_passives,
        cast(nps_detractors as integer) as nps_detractors,
        nps,
        {{ nps_interval_bound(
            'nps_promoters', 'nps_detractors', 'nps_responses', 'lower'
        ) }} as nps_lower,
        {{ nps_interval_bound(
            'nps_promoters', 'nps_detractors', 'nps_responses', 'upper'
        ) }} as nps_upper,
        cast(churn_contacts as integer) as churn_contacts,
        cast(churn_events as integer) as churn_events,
        churn_rate,
        {{ wilson_interval_bound(
            'churn_rate', 'churn_effective_sample_size', 'lower'
        ) }} as churn_rate_lower,
        {{ wilson_interval_bound(
            'churn_rate', 'churn_effective_sample_size', 'upper'
        ) }} as churn_rate_upper,
        churn_effective_sample_size

    from rates

)

select * from final
