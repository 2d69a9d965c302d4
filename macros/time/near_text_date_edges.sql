{# A pre-filter on a timestamp's delivered text (a staging view's `*_text` column),
   for finding the first and last local date of a whole table without parsing every
   row: true for every row whose text's date is within `days` days of the first or
   the last text date in `relation`, and for every text led by white space; the
   caller parses only those rows and takes min/max of their exact local dates
   (int_customers_expanded_to_months' data span; issue 19). Compared as text: DuckDB
   scans the column three times unparsed (first, last, filter).

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
   tests/python/marketing/test_data_span_text.py shows a case). #}
{% macro near_text_date_edges(column, relation, days=3) -%}
    {{ return(adapter.dispatch('near_text_date_edges')(column, relation, days)) }}
{%- endmacro %}

{% macro default__near_text_date_edges(column, relation, days) -%}
    (
        {{ column }} < '0'
        or {{ column }} < (
            select cast(cast(left(min({{ column }}), 10) as date) + {{ days + 1 }} as varchar)
            from {{ relation }}
            where {{ column }} >= '0'
        )
        or {{ column }} >= (
            select cast(cast(left(max({{ column }}), 10) as date) - {{ days }} as varchar)
            from {{ relation }}
            where {{ column }} >= '0'
        )
    )
{%- endmacro %}

{# true on Spark, whose SQL stays as it was: every row is parsed; the pre-filter is
   neither measured nor tested there. #}
{% macro spark__near_text_date_edges(column, relation, days) -%}
    true
{%- endmacro %}
