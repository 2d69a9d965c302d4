{# The rows of `relation` (its `columns`) that can hold the first or the last local
   date of a timestamp, found by the timestamp's delivered text (a staging view's
   `*_text` column) without parsing it: every row whose text's date is within `days`
   days of the first or the last text date, and every text led by white space. The
   caller parses only those rows and takes min/max of their exact local dates
   (int_customers_expanded_to_months' data span; issue 19). A row may come twice
   (near both ends), which min/max do not mind. As a select, for a CTE.

   Cheap on DuckDB because nothing is parsed and the comparisons are on a column of
   the table: the first and last text are an order by ... limit 1 each, and the two
   ranges are inequality joins, all of which skip row groups by their min/max (raw is
   loaded day by day), so the night reads the edges of the history, not all of it.

   Sound with days = 3 because every timestamp in raw passed the load's rules
   (python/opsmart/ingest/rules.py, macro in_run_window_text): its text starts with
   its local date after optional white space (RE2's \s: ASCII, sorting before every
   digit, so `< '0'` keeps those rows), the text's date and time are that of an
   offset within +-14:00 (none is UTC), with 24:00 of a day allowed; and every zone
   a queue can be in is within -12:00..+14:00 (IANA, since 1901). So a row's local
   date in any zone, d, lies within 2 days of its text's date t: |d - t| <= 2.
   Let T be the first text date and m the first local date. The rows dated T in text
   have d <= T + 2, so m <= T + 2. If m = T + 2 one of those rows has it, and it is
   kept; else m <= T + 1, and every row with d = m has t <= m + 2 <= T + 3: kept.
   The last date likewise, mirrored. Two days of slack are not enough (the test
   tests/python/nightly/test_data_span_text.py shows a case). #}
{% macro near_text_date_edges(relation, text_column, columns, days=3) -%}
    {{ return(adapter.dispatch('near_text_date_edges')(relation, text_column, columns, days)) }}
{%- endmacro %}

{% macro default__near_text_date_edges(relation, text_column, columns, days) -%}
    {%- set selected -%}
        {%- for column in columns %}edge_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor -%}
    {%- endset -%}
    with text_span as (
        select
            (
                select {{ text_column }} from {{ relation }}
                where {{ text_column }} >= '0'
                order by {{ text_column }} limit 1
            ) as first_text,
            (
                select {{ text_column }} from {{ relation }}
                where {{ text_column }} >= '0'
                order by {{ text_column }} desc limit 1
            ) as last_text
    ),

    text_edges as (
        {#- below_text: '0' without any dated text, so that every text led by white
            space (sorting before every digit) is kept all the same #}
        select
            coalesce(
                cast(cast(left(first_text, 10) as date) + {{ days + 1 }} as varchar), '0'
            ) as below_text,
            cast(cast(left(last_text, 10) as date) - {{ days }} as varchar) as from_text
        from text_span
    )

    select {{ selected }}
    from {{ relation }} as edge_rows
    inner join text_edges on edge_rows.{{ text_column }} < text_edges.below_text
    union all
    select {{ selected }}
    from {{ relation }} as edge_rows
    inner join text_edges on edge_rows.{{ text_column }} >= text_edges.from_text
{%- endmacro %}

{# Every row on Spark, whose SQL stays as it was: all are parsed; the pre-filter is
   neither measured nor tested there. #}
{% macro spark__near_text_date_edges(relation, text_column, columns, days) -%}
    select {{ columns | join(', ') }} from {{ relation }}
{%- endmacro %}
