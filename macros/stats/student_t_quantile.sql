{# The Student t critical value with the same two-sided level as the normal critical
   value z (var report_confidence_z): t = z + g1/v + g2/v^2 + g3/v^3 + g4/v^4 for v
   degrees of freedom, the Cornish-Fisher expansion of Abramowitz & Stegun (1964),
   formula 26.7.5. SQL engines have no t quantile; the coefficients are numbers
   computed here from z. Within 0.004 of the exact value from 3 degrees of freedom
   on (2.042 at 30, 1.984 at 100 for z = 1.96); too small below 3 (11.3 instead of
   12.7 at 1). Null when the degrees of freedom are. #}
{% macro student_t_quantile(degrees_of_freedom, z=none) -%}
    {%- set x = (z if z is not none else var('report_confidence_z')) | float -%}
    {%- set g1 = (x ** 3 + x) / 4 -%}
    {%- set g2 = (5 * x ** 5 + 16 * x ** 3 + 3 * x) / 96 -%}
    {%- set g3 = (3 * x ** 7 + 19 * x ** 5 + 17 * x ** 3 - 15 * x) / 384 -%}
    {%- set g4 = (
        79 * x ** 9 + 776 * x ** 7 + 1482 * x ** 5 - 1920 * x ** 3 - 945 * x
    ) / 92160 -%}
    {%- set v = 'cast(' ~ degrees_of_freedom ~ ' as double)' -%}
    ({{ x }} + {{ g1 }} / {{ v }} + {{ g2 }} / power({{ v }}, 2)
        + {{ g3 }} / power({{ v }}, 3) + {{ g4 }} / power({{ v }}, 4))
{%- endmacro %}
