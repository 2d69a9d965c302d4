{# Lower or upper bound of the 95 % interval of NPS (-100..100) from counts: the
   adjusted Wald interval that adds one promoter and one detractor (Bonett & Price
   2012, the Agresti-Caffo idea for the difference of two shares of one
   multinomial; for NPS, Rocks 2016): with p~ = (P + 1) / (n + 2) and
   d~ = (D + 1) / (n + 2), 100 x ((p~ - d~) -/+ z sqrt(((p~ + d~) - (p~ - d~)^2)
   / (n + 2))), z the var report_confidence_z. It does not collapse at n = 1 (one
   promoter: -73.4..+100). Its coverage is at least 92 % anywhere on a 0.05 grid
   of promoter and detractor shares at n = 1, 5 and 30, and 95 to 100 % at typical
   answer mixes, where NPS -/+ z x SE covers 0 % at n = 1 (a point) and 80 to 89 %
   at n = 5 (tests/python/reports/test_uncertainty.py). Bounds are clamped to the
   NPS itself (they contain it anyway for z >= 1.645) and to -100..100. Null
   without answers. #}
{% macro nps_interval_bound(promoters, detractors, responses, bound, z=none) -%}
    {%- if bound not in ('lower', 'upper') -%}
        {{ exceptions.raise_compiler_error(
            "nps_interval_bound: bound must be lower or upper, got " ~ bound
        ) }}
    {%- endif -%}
    {%- set z = (z if z is not none else var('report_confidence_z')) | float -%}
    {%- set promoter_share = '(' ~ safe_divide(
        promoters ~ ' + 1', responses ~ ' + 2') ~ ')' -%}
    {%- set detractor_share = '(' ~ safe_divide(
        detractors ~ ' + 1', responses ~ ' + 2') ~ ')' -%}
    {%- set center = '(' ~ promoter_share ~ ' - ' ~ detractor_share ~ ')' -%}
    {%- set half_width = z ~ ' * sqrt(greatest(0.0, ' ~ promoter_share ~ ' + '
        ~ detractor_share ~ ' - power(' ~ center ~ ', 2)) / (' ~ responses
        ~ ' + 2))' -%}
    {%- set point = nps(promoters, detractors, responses) -%}
    case
        when {{ responses }} > 0
            {% if bound == 'lower' -%}
            then greatest(-100.0, least(
                {{ point }}, 100.0 * ({{ center }} - {{ half_width }})
            ))
            {%- else -%}
            then least(100.0, greatest(
                {{ point }}, 100.0 * ({{ center }} + {{ half_width }})
            ))
            {%- endif %}
    end
{%- endmacro %}
