{# The denominator of abandonment_rate under the var abandonment_method: the number
   of contacts the rate is a share of (the n of a significance test). Mirrors the
   methods of macro abandonment_rate. #}
{% macro abandonment_sample_count(
    offered='contacts_offered',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = kpi_method(
        'abandonment_method', method, ['offered', 'offered_excl_short_abandons']
    ) -%}
    {%- if method == 'offered' -%}
        {{ offered }}
    {%- else -%}
        ({{ offered }} - {{ short_abandoned }})
    {%- endif -%}
{%- endmacro %}
