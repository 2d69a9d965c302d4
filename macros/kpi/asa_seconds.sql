{# Average speed of answer under the var asa_method: total wait of answered contacts
   over all answered (all_answered) or over those that waited at all (waited_only). #}
{% macro asa_seconds(
    answered_wait='answered_wait_seconds',
    answered='contacts_answered',
    answered_after_waiting='contacts_answered_after_waiting',
    method=none
) -%}
    {%- set method = method or var('asa_method') -%}
    {%- if method == 'all_answered' -%}
        {{ safe_divide(answered_wait, answered) }}
    {%- elif method == 'waited_only' -%}
        {{ safe_divide(answered_wait, answered_after_waiting) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var asa_method must be all_answered or waited_only, got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
