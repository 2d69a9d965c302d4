{# Analysts query marts.fct_contacts, not main_marts.fct_contacts: a custom schema is
   used as it is, and models without one land in the target schema. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
