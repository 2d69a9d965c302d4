{# Whether a contact's channel counts toward a key result: its channel scope is `all`
   or names the channel in its `|`-separated list. One rule for the scorecard and the
   tests that reconcile it; dbt.position keeps it one expression on every engine. #}
{% macro in_channel_scope(channel, channel_scope) -%}
    (
        {{ channel_scope }} = 'all'
        or {{ dbt.position(
            "'|' || " ~ channel ~ " || '|'", "'|' || " ~ channel_scope ~ " || '|'"
        ) }} > 0
    )
{%- endmacro %}
