{#- The counts and sums of an OKR scorecard's survey answers that its CSAT and NPS
    values read (macro okr_kpi_value_selects), as the aggregate columns of a
    select over fct_survey_responses' columns grouped by channel scope and
    period. -#}
{% macro okr_survey_sums() -%}
    count(*) filter (where survey_type = 'csat') as csat_responses,
    {{ csat_rate() }} filter (where survey_type = 'csat') as csat_rate,
    {# the variance of CSAT under csat_method: mean #}
    sum(score_rate) filter (where survey_type = 'csat') as csat_score_sum,
    sum(power(score_rate, 2)) filter (
        where survey_type = 'csat'
    ) as csat_score_sum_of_squares,
    count(*) filter (where survey_type = 'nps') as nps_responses,
    count(*) filter (where nps_category = 'promoter') as nps_promoters,
    count(*) filter (where nps_category = 'detractor') as nps_detractors
{%- endmacro %}
