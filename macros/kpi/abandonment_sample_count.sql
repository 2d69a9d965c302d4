{# The denominator of abandonment_rate under the var abandonment_method: the number
   of contacts the rate is a share of (the n of a significance test). Mirrors the
   methods of macro abandonment_rate. #}
{% macro abandonment_sample_count(
    offered='contacts_offered',
    short_abandoned='contacts_short_abandoned',
    method=none
) -%}
    {%- set method = method or var('abandonment_method') -%}
    {%- if method == 'offered' -%}
        {{ offered }}
    {%- elif method == 'offered_excl_short_abandons' -%}
        ({{ offered }} - {{ short_abandoned }})
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var abandonment_method must be offered or offered_excl_short_abandons, "
            ~ "got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
