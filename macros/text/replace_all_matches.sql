{# Every match of a regular expression replaced, the pattern given as plain text (the
   macro writes the SQL literal, quoting it for the engine), so a rule such as
   mask_pii writes its pattern once for DuckDB (RE2) and Spark (Java). #}
{% macro replace_all_matches(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('replace_all_matches')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro default__replace_all_matches(text, pattern, replacement) -%}
    regexp_replace(
        {{ text }},
        '{{ pattern | replace("'", "''") }}',
        '{{ replacement | replace("'", "''") }}',
        'g'
    )
{%- endmacro %}

{# Spark replaces every match without a flag; '' inside a literal is not a quote
   (adjacent literals are concatenated), so quotes and backslashes are escaped. #}
{% macro spark__replace_all_matches(text, pattern, replacement) -%}
    regexp_replace(
        {{ text }},
        '{{ pattern | replace("\\", "\\\\") | replace("'", "\\'") }}',
        '{{ replacement | replace("\\", "\\\\") | replace("'", "\\'") }}'
    )
{%- endmacro %}
