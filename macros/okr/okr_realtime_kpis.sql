{#- The channels a key result covers when its seed row names none: service level,
    ASA and abandonment are about answering live, with a threshold in seconds, so
    they cover the real-time channels (an e-mail answered within a day is always
    "within T" and would lift them); the other KPIs cover every channel. NPS
    (relationship answers), churn (customers) and occupancy (agent time) have no
    channel and are center-wide only (a test on the seed says so). -#}
{% macro okr_realtime_kpis() -%}
    {{ return(['service_level_rate', 'asa_seconds', 'abandonment_rate']) }}
{%- endmacro %}
