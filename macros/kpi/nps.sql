{# NPS = % promoters - % detractors, on -100..100, from counts. #}
{% macro nps(promoters='nps_promoters', detractors='nps_detractors',
             responses='nps_responses') -%}
    100.0 * {{ safe_divide(promoters ~ ' - ' ~ detractors, responses) }}
{%- endmacro %}
