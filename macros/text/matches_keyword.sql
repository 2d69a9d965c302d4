{# True when the text contains the keyword as whole words, case-insensitively: the
   keyword must start and end on a word boundary, and a space in it matches any run
   of white space ("hold time" matches "Hold  time" but "app" does not match
   "happy"). Keywords are plain words (seeds/_seeds.yml tests that they
   hold no regular-expression characters). #}
{% macro matches_keyword(text, keyword) -%}
    {{ return(adapter.dispatch('matches_keyword')(text, keyword)) }}
{%- endmacro %}

{% macro default__matches_keyword(text, keyword) -%}
    regexp_matches(
        {{ text }},
        '(?i)\b' || replace({{ keyword }}, ' ', '\s+') || '\b'
    )
{%- endmacro %}

{# Spark (Java regular expressions): Java 17's \b also counts non-ASCII letters as word
   characters, RE2's does not; explicit ASCII look-arounds give RE2's boundaries. #}
{% macro spark__matches_keyword(text, keyword) -%}
    ({{ text }} rlike (
        r'(?i)(?<![A-Za-z0-9_])' || replace({{ keyword }}, ' ', r'\s+') || r'(?![A-Za-z0-9_])'
    ))
{%- endmacro %}
