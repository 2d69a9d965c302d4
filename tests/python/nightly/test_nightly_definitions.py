"""A nightly run on a warehouse built with other KPI definitions stops, saying which.

Found running `opsmart run` on the demo warehouse without the demo's ``--vars``: the
window was rebuilt on UTC days beside a history on Seoul days, and three dbt
reconciliation tests failed with no word on why.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from opsmart.cli import main
from opsmart.nightly import EXIT_BAD_INPUT
from opsmart.nightly.definitions import changed_definitions, definitions_message
from shared_helpers import unchanged

BUILT_WITH = {"reporting_timezone": "Asia/Seoul", "sl_threshold_seconds": "20"}


def _definitions_table(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute("create schema utilities")
    connection.execute(
        "create table utilities.util_kpi_definitions (var_name text, var_value text)"
    )
    connection.executemany(
        "insert into utilities.util_kpi_definitions values (?, ?)",
        list(BUILT_WITH.items()),
    )


def test_only_the_definitions_that_differ_are_named() -> None:
    with duckdb.connect() as connection:
        _definitions_table(connection)
        in_force = {"reporting_timezone": "UTC", "sl_threshold_seconds": 20, "x": 1}
        assert changed_definitions(connection, in_force) == [
            ("reporting_timezone", "Asia/Seoul", "UTC")
        ]
        same = {"reporting_timezone": "Asia/Seoul", "sl_threshold_seconds": 20}
        assert changed_definitions(connection, same) == []


def test_a_warehouse_without_definitions_has_nothing_to_compare() -> None:
    with duckdb.connect() as connection:
        assert changed_definitions(connection, {"reporting_timezone": "UTC"}) == []


def test_the_message_gives_the_warehouse_values_and_full_refresh() -> None:
    message = definitions_message([("reporting_timezone", "Asia/Seoul", "UTC")])
    assert "reporting_timezone = Asia/Seoul (this run: UTC)" in message
    assert "--vars '{reporting_timezone: Asia/Seoul}'" in message
    assert "--full-refresh" in message


def test_a_run_with_other_definitions_exits_2_and_publishes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    landing = tmp_path / "landing"
    (landing / "contacts").mkdir(parents=True)
    warehouse = tmp_path / "published" / "opsmart.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as connection:
        _definitions_table(connection)

    argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    with unchanged(warehouse):
        assert main([*argv, "--date", "2026-03-02"]) == EXIT_BAD_INPUT

    (run_json,) = (warehouse.parent / "runs").glob("*.json")
    log = json.loads(run_json.read_text(encoding="utf-8"))
    assert log["steps"] == []  # stopped before copying or loading anything
    assert "reporting_timezone = Asia/Seoul (this run: UTC)" in log["error"]
    assert "reporting_timezone = Asia/Seoul" in capsys.readouterr().err
