"""Helpers of the nightly-run tests: which day a landing file holds, and what a
published warehouse contains."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

DAYS, AGENTS, SEED = 10, 20, 7
#: A center in New York from Monday 2026-03-02: day 7 (Sunday 03-08) is the
#: spring-forward day of 23 hours, so every run's window spans a DST change, and its
#: local midnights are not UTC's.
START = date(2026, 3, 2)
TIMEZONE = "America/New_York"
#: Every run and build of these tests is on the center's clock, and refits the
#: whole-history statistics every run, so that runs and builds compare whole
#: (test_nightly_refit.py tests the schedule).
VARS = [
    "--vars",
    json.dumps({"reporting_timezone": TIMEZONE, "history_statistics_refit_days": 0}),
]

#: dbt's log file at debug level, for the tests that read what dbt's parser did
#: (its "Partial parsing enabled" line); runs log at info otherwise (run_dbt).
DEBUG_LOG = ("DBT_LOG_LEVEL_FILE", "debug")

Deliver = Callable[[Path, int], None]


def file_day(path: Path) -> date | None:
    """The day in `<source>_YYYY-MM-DD.csv`, or None for a snapshot file."""
    stem = path.stem.rsplit("_", 1)[-1]
    try:
        return date.fromisoformat(stem)
    except ValueError:
        return None


def relations(warehouse: Path) -> list[tuple[str, str]]:
    """Every table and view of `warehouse`, in every schema: (schema.name, kind),
    kind 'table' or 'view', sorted."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select schema_name || '.' || table_name, 'table' from duckdb_tables() "
            "union all select schema_name || '.' || view_name, 'view' "
            "from duckdb_views() where not internal order by all"
        ).fetchall()


def public_tables(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every public table (marts, reports), sorted: the published state."""
    names = [
        name
        for name, kind in relations(warehouse)
        if kind == "table" and name.split(".")[0] in ("marts", "reports")
    ]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            name: connection.execute(f"select * from {name} order by all").fetchall()
            for name in names
        }
