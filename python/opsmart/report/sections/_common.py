"""What every report section shares: its context, reading the warehouse, the
"no data" notes, number formats and the marks of partial periods."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import duckdb

from opsmart.report._html import note

__all__ = [
    "ReportContext",
    "Row",
    "SectionSpec",
    "_count",
    "_counted",
    "_headline_and_running",
    "_missing_note",
    "_money",
    "_one_decimal",
    "_partial_mark",
    "_percent",
    "_run_date_or_note",
    "missing_tables",
    "query",
]

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportContext:
    """What every section reads: the warehouse, the run date and the dbt vars.

    ``run_date`` is None only when the warehouse has no contacts at all.
    ``latest_run`` is the newest ``audit.run_log`` row (without its JSON), if any;
    ``latest_ingest`` is the load step's part of that run's JSON.
    """

    connection: duckdb.DuckDBPyConnection
    run_date: date | None
    dbt_vars: Mapping[str, Any] = field(default_factory=dict)
    dbt_vars_source: str | None = None
    latest_run: Mapping[str, Any] | None = None
    latest_ingest: Mapping[str, Any] = field(default_factory=dict)
    #: That run's ``history_statistics`` (opsmart.nightly.refit): as of when the
    #: wait curve and the churn fit are.
    history_statistics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        """The currency code of the amounts (dbt var `currency`)."""
        return str(self.dbt_vars.get("currency") or "currency units")

    def var(self, name: str, default: Any = None) -> Any:
        """A dbt var in force, or `default`."""
        return self.dbt_vars.get(name, default)

    @property
    def timezone(self) -> str:
        """The center's zone (dbt var `reporting_timezone`): its days are the dates."""
        return str(self.dbt_vars.get("reporting_timezone") or "UTC")


@dataclass(frozen=True)
class SectionSpec:
    """One section: anchor id, heading, the one-line question, its function."""

    section_id: str
    title: str
    answers: str
    render: Callable[[ReportContext], str]


def query(ctx: ReportContext, sql: str, params: Sequence[object] = ()) -> list[Row]:
    """Rows of `sql` as dicts; decimals become floats and NaN becomes None."""
    cursor = ctx.connection.execute(sql, list(params))
    names = [column[0] for column in cursor.description or ()]
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def missing_tables(connection: duckdb.DuckDBPyConnection, *tables: str) -> list[str]:
    """Those of `tables` ("schema.table") the warehouse does not have."""
    found = {
        f"{schema}.{name}"
        for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    }
    return [name for name in tables if name not in found]


def _missing_note(ctx: ReportContext, *tables: str) -> str | None:
    absent = missing_tables(ctx.connection, *tables)
    if not absent:
        return None
    return note(
        f"No data: this warehouse has no {', '.join(absent)} "
        "(built by an older version of opsmart?)."
    )


def _count(ctx: ReportContext, table: str, where: str = "true") -> int:
    """Rows of `table` (a public table) matching `where`; 0 if the table is absent."""
    if missing_tables(ctx.connection, table):
        return 0
    return int(query(ctx, f"select count(*) as n from {table} where {where}")[0]["n"])


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _run_date_or_note(ctx: ReportContext, *tables: str) -> date | str:
    """The run date a run-date section draws, or the note it shows instead: a table
    it reads is missing, or the warehouse has no contacts and so no run date."""
    missing = _missing_note(ctx, *tables)
    if missing:
        return missing
    if ctx.run_date is None:
        return note("No data: the warehouse has no contacts, so there is no run date.")
    return ctx.run_date


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _one_decimal(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _headline_and_running(periods: Sequence[Row]) -> tuple[Row, Row | None]:
    """The period to lead with and the running one to show beside it.

    `periods` are one key result's (or unit's) periods in date order, each with
    ``is_period_complete``. The headline is the latest complete period; the running
    period is the latest period when it is partial and later than the headline.
    Without a complete period the latest one leads, partial, and nothing is beside it.
    """
    complete = [p for p in periods if p["is_period_complete"]]
    latest = periods[-1]
    if not complete:
        return latest, None
    headline = complete[-1]
    return headline, None if latest is headline else latest


def _period_days(grain: str, start: date) -> int:
    """Days in the week (7) or calendar month starting `start`."""
    if grain == "week":
        return 7
    return calendar.monthrange(start.year, start.month)[1]


def _partial_mark(row: Row) -> str:
    """'partial, 4 of 30 days' for a partial period; '' for a whole one."""
    if row["is_period_complete"]:
        return ""
    days = _period_days(row["period_grain"], row["period_start_date"])
    covered = "?" if row["days_covered"] is None else f"{row['days_covered']}"
    return f"partial, {covered} of {days} days"
