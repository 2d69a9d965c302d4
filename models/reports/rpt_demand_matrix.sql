{# One row per contact reason over the data period: demand predictability (WAPE of a
   seasonal-naive daily forecast) x resolution complexity (mean of AHT, transfer rate
   and unresolved share, each scaled to 0-1 against a ceiling var), and the BCG
   operating model the quadrant calls for (seed 001). See the doc blocks in
   _reports__docs.md. #}
with

contacts as (

    select
        coalesce(contact_reason, 'unknown') as contact_reason,
        arrived_date,
        outcome = 'contained' as is_contained,
        is_answered,
        handle_time_seconds,
        is_transferred,
        is_resolved

    from {{ ref('fct_contacts') }}

),

{# One pass over the contacts: each reason's counts per day. Everything below reads
   these few thousand rows, not the contacts again. #}
reason_days as (

    select
        contact_reason,
        arrived_date,
        count(*) as contacts,
        count(*) filter (where is_contained) as contacts_contained,
        count(*) filter (where is_answered) as contacts_answered,
        count(*) filter (where is_answered and is_transferred) as contacts_transferred,
        count(*) filter (
            where is_answered and is_resolved is not null
        ) as contacts_resolution_known,
        count(*) filter (where is_answered and not is_resolved) as contacts_unresolved,
        sum(handle_time_seconds) filter (where is_answered) as handle_time_seconds

    from contacts
    group by contact_reason, arrived_date

),

period as (

    select
        min(arrived_date) as period_start_date,
        max(arrived_date) as period_end_date

    from reason_days

),

{# The calendar is the days with any contact. The first and last day are left out of
   the forecast: exports rarely start or end at local midnight, so they are cut. #}
calendar as (

    select distinct reason_days.arrived_date

    from reason_days
    cross join period
    where
        reason_days.arrived_date > period.period_start_date
        and reason_days.arrived_date < period.period_end_date

),

reasons as (

    select distinct contact_reason

    from reason_days

),

daily_volumes as (

    select
        reasons.contact_reason,
        calendar.arrived_date,
        coalesce(reason_days.contacts, 0) as contacts

    from reasons
    cross join calendar
    left join reason_days
        on
            reasons.contact_reason = reason_days.contact_reason
            and calendar.arrived_date = reason_days.arrived_date

),

{# Seasonal-naive forecast: the volume of the same weekday a week earlier. #}
forecast_errors as (

    select
        actual.contact_reason,
        count(*) as days_forecast,
        sum(abs(actual.contacts - week_before.contacts)) as forecast_abs_error_contacts,
        sum(actual.contacts) as forecast_actual_contacts

    from daily_volumes as actual
    inner join daily_volumes as week_before
        on
            actual.contact_reason = week_before.contact_reason
            and week_before.arrived_date
            = {{ dbt.dateadd('day', -7, 'actual.arrived_date') }}
    group by actual.contact_reason

),

reason_totals as (

    select
        contact_reason,
        cast(sum(contacts) as bigint) as contacts,
        cast(sum(contacts_contained) as bigint) as contacts_contained,
        cast(sum(contacts_answered) as bigint) as contacts_answered,
        cast(sum(contacts_transferred) as bigint) as contacts_transferred,
        cast(sum(contacts_resolution_known) as bigint) as contacts_resolution_known,
        cast(sum(contacts_unresolved) as bigint) as contacts_unresolved,
        sum(handle_time_seconds) as handle_time_seconds,
        count(arrived_date) as days_observed

    from reason_days
    group by contact_reason

),

measured as (

    select
        reason_totals.contact_reason,
        reason_totals.contacts,
        reason_totals.contacts_contained,
        reason_totals.contacts_answered,
        reason_totals.contacts_transferred,
        reason_totals.contacts_unresolved,
        reason_totals.days_observed,
        coalesce(forecast_errors.days_forecast, 0) as days_forecast,
        {{ safe_divide('reason_totals.contacts_contained', 'reason_totals.contacts') }}
            as containment_rate,
        case
            when
                coalesce(forecast_errors.days_forecast, 0)
                >= {{ var('demand_min_forecast_days') }}
                then {{ safe_divide(
                    'forecast_errors.forecast_abs_error_contacts',
                    'forecast_errors.forecast_actual_contacts'
                ) }}
        end as forecast_error_rate,
        {{ aht_seconds(
            'reason_totals.handle_time_seconds', 'reason_totals.contacts_answered'
        ) }} as aht_seconds,
        {{ safe_divide(
            'reason_totals.contacts_transferred', 'reason_totals.contacts_answered'
        ) }} as transfer_rate,
        {{ safe_divide(
            'reason_totals.contacts_unresolved', 'reason_totals.contacts_resolution_known'
        ) }} as unresolved_rate

    from reason_totals
    left join forecast_errors
        on reason_totals.contact_reason = forecast_errors.contact_reason

),

{# Each component is scaled to 0-1 against its ceiling var and capped at 1 (a case,
   not least(): least() skips nulls, and an unknown component must stay null). #}
complexity_ratios as (

    select
        *,
        {{ safe_divide('aht_seconds', var('demand_complexity_aht_ceiling_seconds')) }}
            as aht_ratio,
        {{ safe_divide(
            'transfer_rate', var('demand_complexity_transfer_ceiling_rate')
        ) }} as transfer_ratio,
        {{ safe_divide(
            'unresolved_rate', var('demand_complexity_unresolved_ceiling_rate')
        ) }} as unresolved_ratio

    from measured

),

complexity_components as (

    select
        *,
        case when aht_ratio > 1 then 1.0 else aht_ratio end as aht_component,
        case
            when transfer_ratio > 1 then 1.0 else transfer_ratio
        end as transfer_component,
        case
            when unresolved_ratio > 1 then 1.0 else unresolved_ratio
        end as unresolved_component

    from complexity_ratios

),

{# The index is the mean of the components that are known (null when none is). #}
scored as (

    select
        *,
        {{ safe_divide(
            'coalesce(aht_component, 0) + coalesce(transfer_component, 0)'
            ~ ' + coalesce(unresolved_component, 0)',
            '(case when aht_component is not null then 1 else 0 end)'
            ~ ' + (case when transfer_component is not null then 1 else 0 end)'
            ~ ' + (case when unresolved_component is not null then 1 else 0 end)'
        ) }} as resolution_complexity_index

    from complexity_components

),

classified as (

    select
        *,
        forecast_error_rate
        <= {{ var('demand_predictable_max_error_rate') }} as is_predictable,
        resolution_complexity_index
        >= {{ var('demand_complex_min_index') }} as is_complex

    from scored

),

final as (

    select
        classified.contact_reason,
        case
            when classified.is_predictable and not classified.is_complex
                then 'digital_self_service'
            when classified.is_predictable and classified.is_complex
                then 'bionic_agent_tools'
            when not classified.is_predictable and not classified.is_complex
                then 'flexible_staffing'
            when not classified.is_predictable and classified.is_complex
                then 'expert_teams'
        end as operating_model,
        classified.contacts,
        classified.contacts_contained,
        classified.contacts_answered,
        classified.contacts_transferred,
        classified.contacts_unresolved,
        classified.containment_rate,
        classified.days_observed,
        classified.days_forecast,
        classified.forecast_error_rate,
        classified.aht_seconds,
        classified.transfer_rate,
        classified.unresolved_rate,
        classified.resolution_complexity_index,
        classified.is_predictable,
        classified.is_complex,
        period.period_start_date,
        period.period_end_date

    from classified
    cross join period

)

select * from final
