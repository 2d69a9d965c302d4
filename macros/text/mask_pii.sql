{# A free-text column with e-mail addresses replaced by [email] and phone numbers by
   [phone], so verbatims can be shared with every department. A phone number is a
   run of at least 7 digits, optionally led by + and (, with at most two of
   space ( ) . - between digits: so 6-digit order numbers, amounts like 1234.56 and
   times stay, while longer digit runs (account numbers, 2026-03-02 style dates) are
   masked too. E-mails are masked first, so digits inside an address are not read as
   a phone number. Null stays null. #}
{% macro mask_pii(text) -%}
    {{ return(adapter.dispatch('mask_pii')(text)) }}
{%- endmacro %}

{% macro default__mask_pii(text) -%}
    regexp_replace(
        regexp_replace(
            {{ text }},
            '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}',
            '[email]',
            'g'
        ),
        '\+?\(?(\d[\s().-]{0,2}){6,}\d',
        '[phone]',
        'g'
    )
{%- endmacro %}

{% macro spark__mask_pii(text) -%}
    regexp_replace(
        regexp_replace(
            {{ text }},
            r'[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}',
            '[email]'
        ),
        r'\+?\(?(\d[\s().-]{0,2}){6,}\d',
        '[phone]'
    )
{%- endmacro %}
