"""A nightly run must use the KPI definitions the warehouse was built with.

A nightly run rebuilds only its window and keeps every earlier row. Run with other
definitions (say the center's zone, `reporting_timezone`, left out of ``--vars``), it
would write the window under new definitions beside a history under the old ones:
days cut at another midnight, a service level counted another way. dbt's
reconciliation tests then fail with no word on why. So the run compares the
definitions in force with those of the last build (``utilities.util_kpi_definitions``)
first, and stops naming each difference and the two ways on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import duckdb

__all__ = ["changed_definitions", "definitions_message"]

_TABLE = "utilities.util_kpi_definitions"


def changed_definitions(
    connection: duckdb.DuckDBPyConnection, in_force: Mapping[str, Any]
) -> list[tuple[str, str, str]]:
    """(var, built with, this run's) for each definition var whose value differs.

    Values compare as dbt writes them into the table (``'{{ var(name) }}'``: Python's
    ``str`` of the value). A warehouse without the table (none built yet) or a var
    this run does not know has nothing to compare.
    """
    exists = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema || '.' || table_name = ?",
        [_TABLE],
    ).fetchone()
    if not exists or not exists[0]:
        return []
    built = connection.execute(
        f"select var_name, var_value from {_TABLE} order by var_name"
    ).fetchall()
    return [
        (name, built_with, str(in_force[name]))
        for name, built_with in built
        if name in in_force and str(in_force[name]) != built_with
    ]


def definitions_message(changes: list[tuple[str, str, str]]) -> str:
    """The error a run stops with: each change, and the two ways on."""
    listed = "; ".join(
        f"{name} = {built_with} (this run: {now})" for name, built_with, now in changes
    )
    same = ", ".join(f"{name}: {built_with}" for name, built_with, _ in changes)
    return (
        f"the warehouse was built with other KPI definitions: {listed}. A nightly "
        "run rebuilds only its window, so the history would mix the two. Pass the "
        f"warehouse's values (--vars '{{{same}}}'), or rebuild every day under the "
        "new ones with --full-refresh"
    )
