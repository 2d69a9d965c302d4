{# The KPI definition vars in force for this build, one row each, so an analyst (and
   the report footer) can see which service level, ASA, AHT, FCR and CSAT the marts
   use without opening dbt_project.yml. The list is var kpi_definition_vars. #}
with

definitions as (

    {% for name in var('kpi_definition_vars') %}
    select
        '{{ name }}' as var_name,
        '{{ var(name) }}' as var_value
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from definitions
