{#- The sums of an OKR scorecard's agent time that its occupancy reads (macro
    okr_kpi_value_selects), as the aggregate columns of a select over
    fct_agent_intervals' columns grouped by period. -#}
{% macro okr_agent_time_sums() -%}
    sum(handling_seconds) as handling_seconds,
    sum(available_seconds) as available_seconds,
    sum(staffed_seconds) as staffed_seconds,
    sum(aux_seconds) as aux_seconds
{%- endmacro %}
