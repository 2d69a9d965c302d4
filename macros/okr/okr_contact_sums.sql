{#- The counts and sums of an OKR scorecard's contacts that its contact KPIs read
    (macro okr_kpi_value_selects), as the aggregate columns of a select over
    fct_contacts' columns grouped by channel scope and period. -#}
{% macro okr_contact_sums() -%}
    {{ contact_counts([
        'offered', 'answered', 'abandoned', 'answered_within_threshold',
        'abandoned_within_threshold', 'short_abandoned', 'answered_after_waiting',
        'fcr_known', 'first_contact_resolved'
    ]) }},
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
