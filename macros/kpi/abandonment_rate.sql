{# Abandonment rate under the var abandonment_method: abandons over contacts offered
   to the queue (answered + abandoned + flowed out), optionally without short abandons
   in both numerator and denominator. See doc abandonment_rate. #}
{% macro abandonment_rate(
    abandoned='contacts_abandoned',
    offered='contacts_offered',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('abandonment_method') -%}
    {%- if method == 'offered' -%}
        {{ safe_divide(abandoned, offered) }}
    {%- elif method == 'offered_excl_short_abandons' -%}
        {{ safe_divide(
            abandoned ~ ' - ' ~ short_abandoned, offered ~ ' - ' ~ short_abandoned
        ) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var abandonment_method must be offered or offered_excl_short_abandons, "
            ~ "got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
