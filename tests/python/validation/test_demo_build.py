"""The suites on a real small build: no errors on the demo's marts and landing files."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from opsmart.contract import DEFAULTED_SOURCES, SOURCES
from opsmart.ingest._sql import table_columns
from opsmart.validation import validate_inputs, validate_marts

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def demo(small_center: Path) -> Path:
    """The session's small simulated center: landing/ and opsmart.duckdb."""
    return small_center


def test_demo_marts_have_no_error_failures(demo: Path) -> None:
    with duckdb.connect(str(demo / "opsmart.duckdb"), read_only=True) as connection:
        last = connection.execute("select max(arrived_date) from marts.fct_contacts")
        window_end = last.fetchone()[0]  # type: ignore[index]
        week = validate_marts(
            connection,
            window_start=window_end - timedelta(days=6),
            window_end=window_end,
        )
        day = validate_marts(connection, window_start=window_end, window_end=window_end)

    for report in (week, day):
        assert report.failures("error") == [], "\n".join(report.summary_lines())
        # the suites ran on rows, not just skipped
        ran = {r.suite for r in report.results if r.expectation not in ("skipped",)}
        assert {
            "marts.fct_contacts",
            "marts.fct_queue_intervals",
            "reconciliation",
        } <= ran
    drift = [r for r in week.results if r.suite == "drift"]
    assert drift and all(not r.observed.startswith("no baseline") for r in drift)


def _typed(name: str, kind: str) -> str:
    """SQL: the CSV text of column `name` as the load types it (`kind`, DuckDB)."""
    text = f'trim("{name}")' if kind == "BOOLEAN" else f'"{name}"'
    return f'cast({text} as {kind}) as "{name}"'


def test_demo_landing_files_as_raw_loads_have_no_error_failures(demo: Path) -> None:
    """Raw tables from the landing CSVs, one load per file day (as nightly runs),
    typed as the load step types them (a text without an offset is UTC)."""
    landing = demo / "landing"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute("create schema raw")
        for source in SOURCES.keys() - DEFAULTED_SOURCES:  # the demo has no queues/
            kinds = dict(table_columns()[f"raw.{source}"])
            names = ", ".join(_typed(c.name, kinds[c.name]) for c in SOURCES[source])
            connection.execute(
                f"""
                create table raw.{source} as
                select {names}, filename as _source_file, 0::bigint as _source_row,
                    regexp_extract(filename, '(\\d{{4}}-\\d{{2}}-\\d{{2}})', 1)
                        as _load_id
                from read_csv('{landing}/{source}/*.csv', all_varchar = true,
                    filename = true, union_by_name = true)
                """
            )
        last_load = connection.execute("select max(_load_id) from raw.contacts")
        load_id = last_load.fetchone()[0]  # type: ignore[index]
        run_date = connection.execute("select cast(? as date) - 1", [load_id])
        report = validate_inputs(
            connection,
            load_id=load_id,
            run_date=run_date.fetchone()[0],  # type: ignore[index]
        )

    assert report.failures("error") == [], "\n".join(report.summary_lines())
    volume = [r for r in report.results if r.suite == "volume.contacts"]
    assert [r.success for r in volume] == [True]
