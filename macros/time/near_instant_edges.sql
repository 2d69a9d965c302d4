{# The rows of `relation` (its `columns`) that can hold the first or the last local
   date of an instant, in whatever zone each row is dated: every row whose instant
   (`instant_column`, as raw holds it: a staging view's `*_instant` column) is within
   `hours` of the first or the last instant. The caller converts only those rows and
   takes min/max of their exact local dates (int_customers_expanded_to_months' data
   span; issue 19). A row may come twice (near both ends), which min/max do not mind.
   As a select, for a CTE.

   Cheap because the comparisons are on a column of the table, not on a computed
   one: the first and last instant are a min and a max of one column, and the two
   ranges are inequality joins with a one-row span, which the engine turns into
   bounds on the scan of raw and so skips its row groups by their min/max (raw is
   loaded day by day): the night reads the edges of the history, not all of it.

   Sound with hours = 26 because every zone a queue can be in is within
   -12:00..+14:00 of UTC (IANA, since 1901), so a row at instant i in its zone has
   the local wall clock i + o with -12 h <= o <= +14 h. Let F be the first instant
   and m the first local date over all rows, held by some row R (instant i, offset
   o). The row at F has the local clock F + o_F, on a date no later than
   F + o_F <= F + 14 h, so m is no later than that date. If the row at F is itself
   dated m, it is kept. Otherwise m is at least a day before the F row's local date,
   so local midnight ending m (m + 1 day) is no later than the F row's clock:
   m + 1 day <= F + 14 h. R's clock is before the end of its date m:
   i + o < m + 1 day <= F + 14 h, so i < F + 14 h - o <= F + 26 h: kept. The last
   date likewise, mirrored (the last instant L's row has a clock >= L - 12 h, and a
   row dated after it has i > L - 26 h). So the first and last local dates of the
   rows kept are those of all rows. 25 hours are not enough (a row at 10:00Z in a
   zone at +14:00, dated the next day, and a row 25 h 59 min later in a zone at
   -12:00, dated the day before: tests/python/nightly/test_data_span_instant.py).
   The margin's seconds are written as a decimal: add_seconds multiplies them by a
   million, which overflows DuckDB's INTEGER for an integer literal this large. #}
{% macro near_instant_edges(relation, instant_column, columns, hours=26) -%}
    {%- set selected -%}
        {%- for column in columns %}edge_rows.{{ column }}{{ ', ' if not loop.last }}{% endfor -%}
    {%- endset -%}
    with instant_span as (
        select
            min({{ instant_column }}) as first_instant,
            max({{ instant_column }}) as last_instant
        from {{ relation }}
    ),

    instant_edges as (
        select
            {{ add_seconds('first_instant', hours * 3600.0) }} as below_instant,
            {{ add_seconds('last_instant', -hours * 3600.0) }} as from_instant
        from instant_span
    )

    select {{ selected }}
    from {{ relation }} as edge_rows
    inner join instant_edges on edge_rows.{{ instant_column }} < instant_edges.below_instant
    union all
    select {{ selected }}
    from {{ relation }} as edge_rows
    inner join instant_edges on edge_rows.{{ instant_column }} >= instant_edges.from_instant
{%- endmacro %}
