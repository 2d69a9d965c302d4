{# Abandonment rate under the var abandonment_method: abandons over contacts offered
   to the queue (answered + abandoned + flowed out), optionally without short abandons
   in both numerator and denominator (the denominator is macro
   abandonment_sample_count, which checks the method). See doc abandonment_rate. #}
{% macro abandonment_rate(
    abandoned='contacts_abandoned',
    offered='contacts_offered',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('abandonment_method') -%}
    {%- set denominator = abandonment_sample_count(offered, short_abandoned, method) -%}
    {%- if method == 'offered_excl_short_abandons' -%}
        {{ safe_divide(abandoned ~ ' - ' ~ short_abandoned, denominator) }}
    {%- else -%}
        {{ safe_divide(abandoned, denominator) }}
    {%- endif -%}
{%- endmacro %}
