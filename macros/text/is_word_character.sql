{# True when the one-character text is a word character of regular-expression word
   boundaries (\b): an ASCII letter, digit or underscore; false for any other
   character and for the empty text (before the start or after the end). #}
{% macro is_word_character(character) -%}
    {{ return(adapter.dispatch('is_word_character')(character)) }}
{%- endmacro %}

{% macro default__is_word_character(character) -%}
    regexp_full_match({{ character }}, '[A-Za-z0-9_]')
{%- endmacro %}

{% macro spark__is_word_character(character) -%}
    ({{ character }} rlike r'^[A-Za-z0-9_]$')
{%- endmacro %}
