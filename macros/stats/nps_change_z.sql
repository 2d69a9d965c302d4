{# z statistic of the change between two NPS values (period 2 - period 1) under the
   null hypothesis that both periods' answers come from one trinomial: p and d are
   the promoter and detractor shares of both periods pooled, and the variance of the
   difference is the multinomial ((p + d) - (p - d)^2) x (1/n_1 + 1/n_2). The NPS
   counterpart of the pooled two-proportion test (an answer scores +1, 0 or -1).
   Null when a side has no answers or the pooled variance is 0 (every answer of both
   periods in one category: nothing changed). #}
{% macro nps_change_z(
    promoters_1, detractors_1, responses_1, promoters_2, detractors_2, responses_2
) -%}
    {%- set responses = responses_1 ~ ' + ' ~ responses_2 -%}
    {%- set promoter_share = '(' ~ safe_divide(
        promoters_1 ~ ' + ' ~ promoters_2, responses) ~ ')' -%}
    {%- set detractor_share = '(' ~ safe_divide(
        detractors_1 ~ ' + ' ~ detractors_2, responses) ~ ')' -%}
    {%- set change = '(' ~ safe_divide(promoters_2 ~ ' - ' ~ detractors_2, responses_2)
        ~ ') - (' ~ safe_divide(promoters_1 ~ ' - ' ~ detractors_1, responses_1)
        ~ ')' -%}
    {{ safe_divide(
        change,
        'sqrt(greatest(0.0, ' ~ promoter_share ~ ' + ' ~ detractor_share
        ~ ' - power(' ~ promoter_share ~ ' - ' ~ detractor_share ~ ', 2))'
        ~ ' * ((' ~ safe_divide('1', responses_1) ~ ') + ('
        ~ safe_divide('1', responses_2) ~ ')))'
    ) }}
{%- endmacro %}
