{# A SQL string literal of the plain text `text`, quoted for the engine: DuckDB
   doubles a quote; Spark, where '' is not a quote (adjacent literals are
   concatenated), escapes quotes and backslashes. #}
{% macro text_literal(text) -%}
    {{ return(adapter.dispatch('text_literal')(text)) }}
{%- endmacro %}

{% macro default__text_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__text_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
