{# Average handle time: handle seconds of handled contacts / handled contacts (what
   handle time includes is set where it is summed: vars aht_includes_*). #}
{% macro aht_seconds(handle_time='handle_time_seconds', answered='contacts_answered') -%}
    {{ safe_divide(handle_time, answered) }}
{%- endmacro %}
