{# The wall-clock time of a UTC instant in an IANA zone (a column or a quoted name):
   what a clock at the queue's site showed. The warehouse stores instants in UTC;
   every calendar grain (interval alignment, dates, weeks, months) is taken on this
   local time, so a center in Seoul gets Seoul's days, DST days included. Going from
   UTC to local is never ambiguous: each instant has one wall-clock time. #}
{% macro to_local(timestamp, zone) -%}
    {{ return(adapter.dispatch('to_local')(timestamp, zone)) }}
{%- endmacro %}

{# timezone('UTC', naive) reads the naive value as UTC (a timestamptz, whatever the
   session's TimeZone); timezone(zone, timestamptz) gives its wall clock in `zone`. #}
{% macro default__to_local(timestamp, zone) -%}
    timezone({{ zone }}, timezone('UTC', {{ timestamp }}))
{%- endmacro %}

{# The session time zone is UTC (opsmart's Spark session sets it), so the shifted
   value shows the local wall clock. #}
{% macro spark__to_local(timestamp, zone) -%}
    from_utc_timestamp({{ timestamp }}, {{ zone }})
{%- endmacro %}
