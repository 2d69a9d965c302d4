{# Average speed of answer under the var asa_method: total wait of answered contacts
   over all answered (all_answered) or over those that waited at all (waited_only),
   the denominator of macro asa_sample_count. #}
{% macro asa_seconds(
    answered_wait='answered_wait_seconds',
    answered='contacts_answered',
    answered_after_waiting='contacts_answered_after_waiting',
    method=none
) -%}
    {{ safe_divide(
        answered_wait, asa_sample_count(answered, answered_after_waiting, method)
    ) }}
{%- endmacro %}
