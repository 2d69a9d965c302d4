{# Occupancy under the var occupancy_method: the share of the agents' ready time spent
   handling contacts. Ready time is handling + available seconds (handling_plus_available)
   or staffed - aux seconds (staffed_minus_aux: logged-in time in no state counts as
   ready, as in WFM tools that derive occupancy from login and not-ready time). The
   two agree when an interval's states add up to its staffed time. #}
{% macro occupancy_rate(
    handling='handling_seconds',
    available='available_seconds',
    staffed='staffed_seconds',
    aux='aux_seconds',
    method=none
) -%}
    {%- set method = kpi_method(
        'occupancy_method', method, ['handling_plus_available', 'staffed_minus_aux']
    ) -%}
    {%- if method == 'handling_plus_available' -%}
        {{ safe_divide(handling, handling ~ ' + ' ~ available) }}
    {%- else -%}
        {{ safe_divide(handling, staffed ~ ' - ' ~ aux) }}
    {%- endif -%}
{%- endmacro %}
