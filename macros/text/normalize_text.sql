{# The text lower-cased, with every run of white space made one space and the ends
   trimmed: the form keyword prefilters search with a plain substring match before
   the word-boundary regular expression (macro matches_keyword) confirms. #}
{% macro normalize_text(text) -%}
    {{ return(adapter.dispatch('normalize_text')(text)) }}
{%- endmacro %}

{% macro default__normalize_text(text) -%}
    trim(regexp_replace(lower({{ text }}), '\s+', ' ', 'g'))
{%- endmacro %}

{# Spark: regexp_replace replaces every match; r'' keeps the backslash. #}
{% macro spark__normalize_text(text) -%}
    trim(regexp_replace(lower({{ text }}), r'\s+', ' '))
{%- endmacro %}
