{#- The public columns of an estimated amount and its range, typed alike:
    <stem>_amount, its standard error <stem>_std_error when there is one, and the
    bounds <stem>_lower_amount and <stem>_upper_amount. The estimate and its
    bounds are decimals of one scale, so they are published with one rounding;
    the standard error stays a double. -#}
{% macro amount_with_range(stem, scale, with_std_error=false) -%}
    cast({{ stem }}_amount as decimal(18, {{ scale }})) as {{ stem }}_amount,
    {%- if with_std_error %}
        cast({{ stem }}_std_error as double) as {{ stem }}_std_error,
    {%- endif %}
    cast({{ stem }}_lower_amount as decimal(18, {{ scale }}))
        as {{ stem }}_lower_amount,
    cast({{ stem }}_upper_amount as decimal(18, {{ scale }}))
        as {{ stem }}_upper_amount
{%- endmacro %}
