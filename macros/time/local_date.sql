{# The local calendar date of a UTC instant in an IANA zone (macro to_local): the day a
   contact, an interval or an answer belongs to. #}
{% macro local_date(timestamp, zone) -%}
    cast({{ to_local(timestamp, zone) }} as date)
{%- endmacro %}
