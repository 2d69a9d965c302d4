{# The KPI definition vars in force for this build, one row each, so an analyst (and
   the report footer) can see which service level, ASA, AHT, FCR and CSAT the marts
   use without opening dbt_project.yml. #}
{% set definition_vars = [
    'interval_minutes', 'interval_attribution', 'sl_threshold_seconds', 'sl_method',
    'short_abandon_seconds', 'abandonment_method', 'asa_method', 'aht_includes_hold',
    'aht_includes_acw', 'fcr_method', 'fcr_repeat_window_days',
    'fcr_repeat_same_reason', 'csat_method', 'currency', 'reporting_timezone',
] %}

with

definitions as (

    {% for name in definition_vars %}
        select
            '{{ name }}' as var_name,
            '{{ var(name) }}' as var_value
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from definitions
