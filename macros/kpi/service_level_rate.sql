{# Service level under the var sl_method, from counts (A = answered, A_T = answered
   within T, B = abandoned, B_T = abandoned within T, B_s = short abandons); the same
   macro serves intervals and roll-ups (pass sums). See doc service_level_rate. #}
{% macro service_level_rate(
    answered='contacts_answered',
    answered_within='contacts_answered_within_threshold',
    abandoned='contacts_abandoned',
    abandoned_within='contacts_abandoned_within_threshold',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('sl_method') -%}
    {%- if method == 'answered' -%}
        {{ safe_divide(answered_within, answered) }}
    {%- elif method == 'offered' -%}
        {{ safe_divide(answered_within, answered ~ ' + ' ~ abandoned) }}
    {%- elif method == 'offered_excl_short_abandons' -%}
        {{ safe_divide(
            answered_within,
            answered ~ ' + ' ~ abandoned ~ ' - ' ~ short_abandoned
        ) }}
    {%- elif method == 'removed_within' -%}
        {{ safe_divide(
            answered_within ~ ' + ' ~ abandoned_within,
            answered ~ ' + ' ~ abandoned
        ) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var sl_method must be answered, offered, offered_excl_short_abandons "
            ~ "or removed_within, got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
