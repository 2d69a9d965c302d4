{# Lower or upper bound of the Student t interval of a mean:
   mean -/+ t(n - 1) sqrt(s^2 / n), t from macro student_t_quantile (the level of
   var report_confidence_z), clipped to [lowest, highest] where given (0 for
   seconds, 0..1 for a normalised score). Null below 2 values and when the values do
   not vary at all: the interval would be a single point, which no sample of a
   varying quantity justifies. #}
{% macro mean_interval_bound(
    mean, variance, count, bound, lowest=none, highest=none, z=none
) -%}
    {%- if bound not in ('lower', 'upper') -%}
        {{ exceptions.raise_compiler_error(
            "mean_interval_bound: bound must be lower or upper, got " ~ bound
        ) }}
    {%- endif -%}
    {%- set sign = '-' if bound == 'lower' else '+' -%}
    {%- set formula = '(' ~ mean ~ ') ' ~ sign ~ ' '
        ~ student_t_quantile(count ~ ' - 1', z) ~ ' * sqrt('
        ~ safe_divide(variance, count) ~ ')' -%}
    {%- if lowest is not none -%}
        {%- set formula = 'greatest(' ~ lowest ~ ', ' ~ formula ~ ')' -%}
    {%- endif -%}
    {%- if highest is not none -%}
        {%- set formula = 'least(' ~ highest ~ ', ' ~ formula ~ ')' -%}
    {%- endif -%}
    case
        when {{ mean }} is not null and {{ variance }} > 0 then {{ formula }}
    end
{%- endmacro %}
