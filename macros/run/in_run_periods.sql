{# Period reports (weeks, months) are rebuilt whole: a nightly run recomputes every
   period that the run window touches, from the first day of the period holding the
   window's first day, and keeps the periods before as they are. Without a window
   (a full build) both predicates are `true`. #}

{# Rows dated on or after the start of the earliest run period of any of `grains`:
   the input a report needs to recompute those periods whole. A report that compares
   each period with the one before (rpt_okr_scorecard) passes `periods_before=1` to
   read the period before the earliest run period too. #}
{% macro in_run_periods(column, grains, periods_before=0) -%}
    {%- set window_start = run_window_start() -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {{ column }} >= least(
            {%- for grain in grains %}
            date_trunc('{{ grain }}', cast('{{ window_start }}' as date))
            {%- if periods_before %} - interval {{ periods_before }} {{ grain }}{% endif %},
            {%- endfor %}
            cast('{{ window_start }}' as date)
        )
    {%- endif -%}
{%- endmacro %}

{# The period (of grain `grain_column`, starting `period_start_column`) is one the run
   recomputes: it starts on or after the start of the period holding the window's
   first day. #}
{% macro is_run_period(period_start_column, grain_column) -%}
    {%- set window_start = run_window_start() -%}
    {%- if not window_start -%}
        true
    {%- else -%}
        {{ period_start_column }}
        >= {{ run_period_start(grain_column) }}
    {%- endif -%}
{%- endmacro %}

{# The start of the period (of grain `grain_column`, as SQL: "'month'") holding the
   window's first day: the first period a nightly run recomputes. Only in a nightly
   run (run_window_start set); int_customers_expanded_to_months starts its months
   there. #}
{% macro run_period_start(grain_column) -%}
    date_trunc({{ grain_column }}, cast('{{ run_window_start() }}' as date))
{%- endmacro %}
