{#- The counts and sums of an OKR scorecard's contacts that its contact KPIs read
    (macro okr_kpi_value_selects), as the aggregate columns of a select over
    fct_contacts' columns grouped by channel scope and period. -#}
{% macro okr_contact_sums() -%}
    count(*) filter (where is_offered) as contacts_offered,
    count(*) filter (where is_answered) as contacts_answered,
    count(*) filter (where is_abandoned) as contacts_abandoned,
    count(*) filter (
        where is_answered_within_threshold
    ) as contacts_answered_within_threshold,
    count(*) filter (
        where is_abandoned_within_threshold
    ) as contacts_abandoned_within_threshold,
    count(*) filter (where is_short_abandon) as contacts_short_abandoned,
    count(*) filter (
        where is_answered and wait_seconds > 0
    ) as contacts_answered_after_waiting,
    count(*) filter (
        where is_first_contact_resolved is not null
    ) as contacts_fcr_known,
    count(*) filter (
        where is_first_contact_resolved
    ) as contacts_first_contact_resolved,
    sum(wait_seconds) filter (where is_answered) as answered_wait_seconds,
    sum(handle_time_seconds) filter (where is_answered) as handle_time_seconds,
    {# sums of squares: with the sums and counts, the variances of ASA and AHT #}
    sum(power(wait_seconds, 2)) filter (
        where is_answered
    ) as answered_wait_sum_of_squares,
    sum(power(handle_time_seconds, 2)) filter (
        where is_answered
    ) as handle_time_sum_of_squares,
    sum(cost_amount) as cost_amount,
    count(cost_amount) as contacts_costed
{%- endmacro %}
