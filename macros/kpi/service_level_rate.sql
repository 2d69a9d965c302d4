{# Service level under the var sl_method, from counts (A = answered, A_T = answered
   within T, B = abandoned, B_T = abandoned within T, B_s = short abandons); the same
   macro serves intervals and roll-ups (pass sums). The denominator is macro
   service_level_sample_count, which checks the method. See doc service_level_rate. #}
{% macro service_level_rate(
    answered='contacts_answered',
    answered_within='contacts_answered_within_threshold',
    abandoned='contacts_abandoned',
    abandoned_within='contacts_abandoned_within_threshold',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('sl_method') -%}
    {%- set denominator = service_level_sample_count(
        answered, abandoned, short_abandoned, method
    ) -%}
    {%- if method == 'removed_within' -%}
        {{ safe_divide(answered_within ~ ' + ' ~ abandoned_within, denominator) }}
    {%- else -%}
        {{ safe_divide(answered_within, denominator) }}
    {%- endif -%}
{%- endmacro %}
