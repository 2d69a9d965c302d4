{# The method of a KPI definition var: `method` when given, else the var
   `var_name`; a compiler error names the var and its `allowed` values when it is
   none of them. The one home of that check and its message for macros/kpi/. #}
{% macro kpi_method(var_name, method, allowed) -%}
    {%- set method = method or var(var_name) -%}
    {%- if method not in allowed -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " must be " ~ allowed[:-1] | join(", ")
            ~ " or " ~ allowed[-1] ~ ", got " ~ method
        ) }}
    {%- endif -%}
    {{ return(method) }}
{%- endmacro %}
