{# The denominator of asa_seconds under the var asa_method: the answered contacts whose
   waits the ASA averages (the n of its significance test and interval). Mirrors the
   methods of macro asa_seconds. #}
{% macro asa_sample_count(
    answered='contacts_answered',
    answered_after_waiting='contacts_answered_after_waiting',
    method=none
) -%}
    {%- set method = method or var('asa_method') -%}
    {%- if method == 'all_answered' -%}
        {{ answered }}
    {%- elif method == 'waited_only' -%}
        {{ answered_after_waiting }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "var asa_method must be all_answered or waited_only, got " ~ method
        ) }}
    {%- endif -%}
{%- endmacro %}
