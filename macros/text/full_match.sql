{# True when the whole text matches `pattern`, a regular expression given as a Python
   string (the macro writes the SQL literal, quoting it for the engine). #}
{% macro full_match(text, pattern) -%}
    {{ return(adapter.dispatch('full_match')(text, pattern)) }}
{%- endmacro %}

{% macro default__full_match(text, pattern) -%}
    regexp_full_match({{ text }}, '{{ pattern | replace("'", "''") }}')
{%- endmacro %}

{# Spark: '' inside a literal is not a quote (adjacent literals are concatenated). #}
{% macro spark__full_match(text, pattern) -%}
    ({{ text }} rlike '^(?:{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }})$')
{%- endmacro %}
