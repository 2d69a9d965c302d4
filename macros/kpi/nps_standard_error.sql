{# Standard error of NPS on the -100..100 scale from counts: with p, d the promoter
   and detractor shares of n answers, 100 * sqrt(((p + d) - (p - d)^2) / n). Null
   without answers. See doc nps. #}
{% macro nps_standard_error(
    promoters='nps_promoters',
    detractors='nps_detractors',
    responses='nps_responses'
) -%}
    case
        when {{ responses }} > 0 then 100.0 * sqrt(greatest(0.0, (
            {{ safe_divide('1.0 * (' ~ promoters ~ ' + ' ~ detractors ~ ')', responses) }}
            - power({{ safe_divide(
                '1.0 * (' ~ promoters ~ ' - ' ~ detractors ~ ')', responses
            ) }}, 2)
        ) / {{ responses }}))
    end
{%- endmacro %}
