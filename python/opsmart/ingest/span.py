"""Timestamps far outside the data's span: set aside after the load.

One contact dated 2999-01-01 or 1900-01-01 is a typo or a sentinel value, but every
calendar the models lay out (intervals, days, customer months, churn windows) runs from
the first to the last date of the data: such a row would stretch them by centuries. So
once every file is loaded, the rows of this load whose timestamps lie outside the
data's *plausible span* move from ``raw`` to ``audit.quarantine``
(``timestamp_out_of_span``), and ``raw.loaded_files`` is corrected.

The span is robust to the rows it judges: it runs from the 1st to the 99th percentile
of the contacts' arrivals (all loads), widened by ``timestamp_span_margin_days`` on
both sides, and never past a day after the wall clock (nothing has happened yet in
the future) nor before 1900-01-02 (1900-01-01 and earlier are placeholder dates).
Customers' sign-up and churn dates may lie long before the contacts (a customer since
1998), so they are checked against the floor and the clock only; cost rates may start
in the future (a raise already agreed), so they are checked against the span only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from opsmart.contract import SOURCES
from opsmart.ingest._sql import literal, rendered
from opsmart.ingest.rules import OUT_OF_SPAN

__all__ = ["FLOOR", "Span", "plausible_span", "set_aside_out_of_span"]

#: The earliest plausible timestamp: 1900-01-01 and earlier are placeholders.
FLOOR = datetime(1900, 1, 2, tzinfo=UTC)
#: The share of arrivals below (and above) the span's core that may be outliers.
_TAIL = 0.01


@dataclass(frozen=True)
class Span:
    """The plausible timestamps of events (`lower` to `upper`, both included)."""

    #: The earliest plausible event.
    lower: datetime
    #: The latest plausible event; never after `clock`.
    upper: datetime
    #: The wall clock plus a day (clock skew, time zones).
    clock: datetime
    #: The latest plausible start of something planned (a cost rate), which may lie
    #: after the clock.
    plan_upper: datetime

    def describe(self) -> str:
        """The span as text for a log line (UTC, to the minute)."""
        return f"{_text(self.lower)} .. {_text(self.upper)}"


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _outside_text(bounds: tuple[datetime, datetime]) -> str:
    return f": outside the plausible {_text(bounds[0])} .. {_text(bounds[1])}"


def plausible_span(
    connection: duckdb.DuckDBPyConnection, *, margin_days: int, now: datetime
) -> Span:
    """The plausible span of the warehouse's contacts (see the module docstring)."""
    clock = now.astimezone(UTC) + timedelta(days=1)
    row = connection.execute(
        f"""
        select quantile_disc(arrived_at, {_TAIL}),
            quantile_disc(arrived_at, {1 - _TAIL})
        from raw.contacts
        where arrived_at between ? and ?
        """,
        [FLOOR, clock],
    ).fetchone()
    low, high = row if row is not None else (None, None)
    if low is None or high is None:  # no plausible arrival at all: floor to clock
        return Span(FLOOR, clock, clock, clock)
    margin = timedelta(days=margin_days)
    return Span(
        max(FLOOR, low - margin), min(clock, high + margin), clock, high + margin
    )


def _bounds(source: str, column: str, span: Span) -> tuple[datetime, datetime] | None:
    """The plausible range of one timestamp or date column (None: not checked)."""
    kinds = {c.name: c.type for c in SOURCES[source]}
    if kinds[column] not in ("timestamp", "date"):
        return None
    if source == "customers":
        return FLOOR, span.clock
    if source == "costs":
        return span.lower, span.plan_upper
    return span.lower, span.upper


def set_aside_out_of_span(
    connection: duckdb.DuckDBPyConnection, *, load_id: str, span: Span
) -> dict[str, Counter[str]]:
    """Move this load's rows outside `span` to quarantine; counts per file.

    Returns ``{source_file: Counter({"timestamp_out_of_span": n})}`` for the files
    that had any, after updating their ``raw.loaded_files`` row. Runs in one
    transaction; the caller's connection must use UTC (the load step does).
    """
    moved: dict[str, Counter[str]] = {}
    connection.begin()
    try:
        for source, columns in SOURCES.items():
            checks = [
                (c.name, bounds)
                for c in columns
                if (bounds := _bounds(source, c.name, span)) is not None
            ]
            if not checks:
                continue
            for path, count in _move(connection, source, checks, load_id, span):
                moved.setdefault(path, Counter())[OUT_OF_SPAN] += count
        for path, counter in moved.items():
            connection.execute(
                "update raw.loaded_files set rows_loaded = rows_loaded - ?, "
                "rows_quarantined = rows_quarantined + ? "
                "where source_file = ? and load_id = ?",
                [counter[OUT_OF_SPAN], counter[OUT_OF_SPAN], path, load_id],
            )
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return moved


def _move(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    checks: list[tuple[str, tuple[datetime, datetime]]],
    load_id: str,
    span: Span,
) -> list[tuple[str, int]]:
    """Quarantine then delete the out-of-span rows of one source; (file, rows)."""

    def outside(column: str, bounds: tuple[datetime, datetime]) -> str:
        # A date compares as its midnight in UTC (the caller's session zone).
        low, high = (literal(moment.isoformat()) for moment in bounds)
        return f"({column} < {low}::timestamptz or {column} > {high}::timestamptz)"

    # Raw keeps typed values: the record and the reason give them as contract
    # text again (a timestamp in UTC), as the file may not have had them.
    text = {c.name: rendered(c) for c in SOURCES[source]}
    first = " ".join(f"when {outside(c, b)} then {literal(c)}" for c, b in checks)
    reason = ", ".join(
        f"case when {outside(c, b)} then {literal(c + '=')} || '''' "
        f"|| {text[c]} || '''' || {literal(_outside_text(b))} end"
        for c, b in checks
    )
    any_outside = " or ".join(outside(c, b) for c, b in checks)
    record = ", ".join(f"{literal(name)}, {value}" for name, value in text.items())
    message = " (var timestamp_span_margin_days; docs/quarantine.md)"
    this_load = f"_load_id = {literal(load_id)}"
    counts = connection.execute(
        f"select _source_file, count(*) from raw.{source} "
        f"where {this_load} and ({any_outside}) group by 1 order by 1"
    ).fetchall()
    if not counts:
        return []
    connection.execute(
        f"""
        insert into audit.quarantine
        select {literal(source)}, _source_file, _source_row, {literal(OUT_OF_SPAN)},
            case {first} end,
            concat_ws('; ', {reason}) || {literal(message)},
            cast(json_object({record}) as varchar), {literal(load_id)}
        from raw.{source}
        where {this_load} and ({any_outside})
        order by _source_file, _source_row
        """
    )
    connection.execute(
        f"delete from raw.{source} where {this_load} and ({any_outside})"
    )
    return [(str(path), int(count)) for path, count in counts]
