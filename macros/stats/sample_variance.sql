{# Sample variance from the sums a roll-up keeps: (sum(x^2) - sum(x)^2 / n) / (n - 1),
   at least 0 (rounding can take a constant column a hair below). Sums add up
   across periods and units, a variance does not, hence sums in the marts and this
   macro where a test or interval needs the variance. Null below 2 values. #}
{% macro sample_variance(sum, sum_of_squares, count) -%}
    case
        when {{ count }} >= 2 then greatest(0.0, (
            cast({{ sum_of_squares }} as double)
            - power(cast({{ sum }} as double), 2) / {{ count }}
        ) / ({{ count }} - 1))
    end
{%- endmacro %}
