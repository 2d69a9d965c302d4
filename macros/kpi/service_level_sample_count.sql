{# The denominator of service_level_rate under the var sl_method: the number of
   contacts the rate is a share of (the n of a significance test). Mirrors the
   methods of macro service_level_rate. #}
{% macro service_level_sample_count(
    answered='contacts_answered',
    abandoned='contacts_abandoned',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('sl_method') -%}
    {%- if method == 'answered' -%}
        {{ answered }}
    {%- elif method in ('offered', 'removed_within') -%}
        ({{ answered }} + {{ abandoned }})
    {%- elif method == 'offered_excl_short_abandons' -%}
        ({{ answered }} + {{ abandoned }} - {{ short_abandoned }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var sl_method must be answered, offered, offered_excl_short_abandons "
            ~ "or removed_within, got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
