{# The sums of fct_queue_intervals rows that its KPIs need again at a coarser grain
   (a period, a channel scope): the counts service_level_rate and abandonment_rate
   read, and handle time over the handled contacts that have one, so that AHT is
   safe_divide('handle_time_seconds', 'contacts_with_handle_time'): weighted by
   handled contacts, never an average of interval averages. Aggregate columns of a
   select over fct_queue_intervals as `intervals`. #}
{% macro queue_interval_kpi_sums(intervals='queue_intervals') -%}
    sum({{ intervals }}.contacts_offered) as contacts_offered,
    sum({{ intervals }}.contacts_answered) as contacts_answered,
    sum({{ intervals }}.contacts_abandoned) as contacts_abandoned,
    sum({{ intervals }}.contacts_answered_within_threshold)
        as contacts_answered_within_threshold,
    sum({{ intervals }}.contacts_abandoned_within_threshold)
        as contacts_abandoned_within_threshold,
    sum({{ intervals }}.contacts_short_abandoned) as contacts_short_abandoned,
    sum({{ intervals }}.aht_seconds * {{ intervals }}.contacts_answered)
        as handle_time_seconds,
    sum({{ intervals }}.contacts_answered) filter (
        where {{ intervals }}.aht_seconds is not null
    ) as contacts_with_handle_time
{%- endmacro %}
