{# The interval a UTC instant falls in, aligned to the local clock of `zone` (10:00,
   10:30, ... on the wall of the queue's site, also where the offset is +05:30 or
   +05:45) and keyed by the UTC instant it starts at: bucket the wall clock, then step
   back from the instant by as much as the wall clock is past its bucket's start,
   interval_start_at = ts - (local(ts) - bucket(local(ts))). Around a DST change this
   never merges or drops an interval: the two 01:00 intervals of a fall-back night
   have different UTC starts (and the same local label); a spring-forward night has
   no instant whose wall clock reads 02:00, so it simply has no 02:00 interval. Every
   interval is `minutes` long. #}
{% macro interval_start(timestamp, zone, minutes=none) -%}
    {{ return(adapter.dispatch('interval_start')(
        timestamp, zone, minutes if minutes is not none else var('interval_minutes')
    )) }}
{%- endmacro %}

{# time_bucket's buckets start at a midnight (origin 2000-01-03), so they are clock
   aligned; the difference is an interval, exact to the microsecond. #}
{% macro default__interval_start(timestamp, zone, minutes) -%}
    {%- set local = to_local(timestamp, zone) -%}
    ({{ timestamp }} - ({{ local }} - time_bucket(to_minutes({{ minutes }}), {{ local }})))
{%- endmacro %}

{# In whole seconds since the epoch (a midnight): the local seconds past the bucket's
   start are the wall clock's seconds modulo the interval. #}
{% macro spark__interval_start(timestamp, zone, minutes) -%}
    timestamp_seconds(
        unix_seconds({{ timestamp }})
        - pmod(unix_seconds({{ to_local(timestamp, zone) }}), {{ minutes }} * 60)
    )
{%- endmacro %}
