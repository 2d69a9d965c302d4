{# The denominator of asa_seconds under the var asa_method: the answered contacts whose
   waits the ASA averages (the n of its significance test and interval). Mirrors the
   methods of macro asa_seconds. #}
{% macro asa_sample_count(
    answered='contacts_answered',
    answered_after_waiting='contacts_answered_after_waiting',
    method=none
) -%}
    {%- set method = kpi_method('asa_method', method, ['all_answered', 'waited_only']) -%}
    {%- if method == 'all_answered' -%}
        {{ answered }}
    {%- else -%}
        {{ answered_after_waiting }}
    {%- endif -%}
{%- endmacro %}
