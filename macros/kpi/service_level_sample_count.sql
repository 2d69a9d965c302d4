{# The denominator of service_level_rate under the var sl_method: the number of
   contacts the rate is a share of (the n of a significance test). Mirrors the
   methods of macro service_level_rate. #}
{% macro service_level_sample_count(
    answered='contacts_answered',
    abandoned='contacts_abandoned',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = kpi_method('sl_method', method, [
        'answered', 'offered', 'offered_excl_short_abandons', 'removed_within'
    ]) -%}
    {%- if method == 'answered' -%}
        {{ answered }}
    {%- elif method in ('offered', 'removed_within') -%}
        ({{ answered }} + {{ abandoned }})
    {%- else -%}
        ({{ answered }} + {{ abandoned }} - {{ short_abandoned }})
    {%- endif -%}
{%- endmacro %}
