"""Runs: tables and their exact shape, idempotent re-runs, new files only, the
run-time settings of the caller's connection left alone."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from ingest_helpers import GOOD, Ingest, contacts_file, csv_text, row, write

from opsmart.contract import SOURCES
from opsmart.ingest import ingest, seed_queue_ids
from opsmart.ingest._sql import literal, table_columns

PROJECT = Path(__file__).resolve().parents[3]


def _columns(
    connection: duckdb.DuckDBPyConnection, table: str
) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return [
        (str(n), str(t))
        for n, t in connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def _snapshot(connection: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Row count and an order-independent hash of every table the load writes."""
    tables = [f"raw.{s}" for s in SOURCES] + ["raw.loaded_files", "audit.quarantine"]
    return {
        table: connection.execute(
            f"select count(*), sum(hash(t)) from {table} as t"
        ).fetchone()
        for table in tables
    }


def test_tables_have_the_agreed_shape_even_without_files(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts_file(landing)
    loaded = run_ingest()
    connection = loaded.connection
    # The agreed types, written out rather than read from the load's RAW_TYPES:
    # a change to that map must fail here, as staging and GX rely on these.
    types = {
        "string": "VARCHAR",
        "timestamp": "TIMESTAMP WITH TIME ZONE",
        "date": "DATE",
        "number": "DOUBLE",
        "integer": "BIGINT",
        "boolean": "BOOLEAN",
    }
    for source, columns in SOURCES.items():
        assert _columns(connection, f"raw.{source}") == [
            *((c.name, types[c.type]) for c in columns),
            ("_source_file", "VARCHAR"),
            ("_source_row", "BIGINT"),
            ("_load_id", "VARCHAR"),
        ]
    assert _columns(connection, "audit.quarantine") == [
        ("source", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("source_row", "BIGINT"),
        ("reason_code", "VARCHAR"),
        ("column_name", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("record", "VARCHAR"),
        ("load_id", "VARCHAR"),
    ]
    assert _columns(connection, "raw.loaded_files") == [
        ("source", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("size_bytes", "BIGINT"),
        ("sha256", "VARCHAR"),
        ("rows_read", "BIGINT"),
        ("rows_loaded", "BIGINT"),
        ("rows_quarantined", "BIGINT"),
        ("load_id", "VARCHAR"),
        ("modified_ns", "BIGINT"),
    ]
    assert loaded.report.missing == (
        "agent_intervals",
        "survey_responses",
        "customers",
        "costs",
    )


def test_raw_holds_typed_values_missing_columns_null_extra_columns_ignored(
    landing: Path, run_ingest: Ingest
) -> None:
    header = [*GOOD["contacts"], "crm_flag"]
    path = write(
        landing / "contacts" / "a.csv",
        csv_text(
            [
                row(
                    "contacts",
                    talk_seconds="280.50",
                    is_resolved=" TRUE ",
                    arrived_at="2026-03-02T19:00:00+09:00",
                    crm_flag="x",
                )
            ],
            header,
        ),
    )
    loaded = run_ingest(load_id="load-7")
    assert loaded.raw(
        "contacts",
        "talk_seconds",
        "ivr_seconds",
        "is_resolved",
        "epoch(arrived_at)",
        "_source_file",
        "_source_row",
        "_load_id",
    ) == [
        (
            280.5,
            None,
            True,
            datetime(2026, 3, 2, 10, tzinfo=UTC).timestamp(),
            "contacts/a.csv",
            2,
            "load-7",
        )
    ]
    (load,) = loaded.report.files
    assert load.ignored_columns == ("crm_flag",)
    assert load.size_bytes == path.stat().st_size
    assert any("'crm_flag'" in line for line in loaded.report.describe())


def test_second_run_loads_nothing(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(
        landing / "costs" / "a.csv",
        csv_text([row("costs"), row("costs", currency="dollars")]),
    )
    first = run_ingest(load_id="r1")
    before = _snapshot(first.connection)

    second = run_ingest(load_id="r2")

    assert second.report.files == ()
    assert sorted(s.path.name for s in second.report.skipped) == [
        "a.csv",
        "contacts.csv",
    ]
    assert {s.load_id for s in second.report.skipped} == {"r1"}
    assert _snapshot(second.connection) == before


def test_a_new_file_is_the_only_one_loaded(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing, "day1.csv")
    run_ingest(load_id="r1")
    write(
        landing / "contacts" / "day2.csv",
        csv_text([row("contacts", contact_id="c2")]),
    )

    loaded = run_ingest(load_id="r2")

    assert [f.path.name for f in loaded.report.files] == ["day2.csv"]
    assert loaded.raw("contacts", "contact_id", "_load_id") == [
        ("c1", "r1"),
        ("c2", "r2"),
    ]


def test_the_callers_time_zone_is_kept_and_not_used(
    landing: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    # A timestamp without offset is UTC (the contract), whatever the session says:
    # 10:00 (UTC) is after 18:30+09:00 (09:30 UTC), so this contact ended first.
    write(
        landing / "contacts" / "a.csv",
        csv_text(
            [
                row(
                    "contacts",
                    outcome="abandoned",
                    answered_at="",
                    arrived_at="2026-03-02 10:00:00",
                    ended_at="2026-03-02T18:30:00+09:00",
                )
            ]
        ),
    )
    warehouse.execute("set TimeZone = 'Asia/Tokyo'")
    ingest(warehouse, landing, load_id="r1")
    assert warehouse.execute("select current_setting('TimeZone')").fetchone() == (
        "Asia/Tokyo",
    )
    assert warehouse.execute("select reason_code from audit.quarantine").fetchall() == [
        ("ended_before_arrived",)
    ]


def test_a_foreign_table_of_the_same_name_is_refused(
    landing: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    contacts_file(landing)
    warehouse.execute("create schema raw")
    warehouse.execute("create table raw.contacts (contact_id integer)")
    with pytest.raises(ValueError, match=r"raw\.contacts has columns"):
        ingest(warehouse, landing, load_id="r1")


def test_arguments_are_checked(
    landing: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    contacts_file(landing)
    with pytest.raises(ValueError, match="`load_id` must be a non-empty string"):
        ingest(warehouse, landing, load_id=" ")
    with pytest.raises(ValueError, match="`chunk_rows` must be >= 1"):
        ingest(warehouse, landing, load_id="r1", chunk_rows=0)
    with pytest.raises(TypeError, match="`chunk_rows` must be an int"):
        ingest(warehouse, landing, load_id="r1", chunk_rows=True)
    with pytest.raises(TypeError, match="`queues` must be a collection"):
        ingest(warehouse, landing, load_id="r1", queues="q_voice_sales")


def test_seed_queue_ids_reads_the_seed(tmp_path: Path) -> None:
    assert "q_voice_sales" in seed_queue_ids(PROJECT)
    write(tmp_path / "seeds" / "queues.csv", "queue_id,name\nq1,One\n,blank\nq2,Two\n")
    assert seed_queue_ids(tmp_path) == {"q1", "q2"}
    write(tmp_path / "seeds" / "queues.csv", "id,name\nq1,One\n")
    with pytest.raises(ValueError, match="no `queue_id` column"):
        seed_queue_ids(tmp_path)


def test_progress_reports_each_file_once(
    landing: Path, caplog: pytest.LogCaptureFixture
) -> None:
    contacts_file(landing, "a.csv")
    write(
        landing / "contacts" / "b.csv",
        csv_text([row("contacts"), row("contacts", contact_id="c2")]),
    )
    lines: list[str] = []
    connection = duckdb.connect()
    with caplog.at_level(logging.INFO, logger="opsmart.ingest"):
        ingest(connection, landing, load_id="r1", progress=lines.append)
    assert lines == [
        "contacts/a.csv: 1 read, 1 loaded, 0 quarantined",
        "contacts/b.csv: 2 read, 1 loaded, 1 quarantined",
    ]
    # said on the progress line only: the command line printed every file twice
    assert not [r for r in caplog.records if "a.csv: 1 read" in r.getMessage()]


def test_without_progress_each_file_is_logged(
    landing: Path, caplog: pytest.LogCaptureFixture
) -> None:
    contacts_file(landing, "a.csv")
    with caplog.at_level(logging.INFO, logger="opsmart.ingest"):
        ingest(duckdb.connect(), landing, load_id="r1")
    assert any(
        "a.csv: 1 read, 1 loaded, 0 quarantined" in r.getMessage()
        for r in caplog.records
    )


def _legacy_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """The tables as loads before typed raw made them: contract columns as text."""
    connection.execute("create schema raw")
    connection.execute("create schema audit")
    for table, columns in table_columns().items():
        text = {c.name for c in SOURCES.get(table.removeprefix("raw."), ())}
        ddl = ", ".join(
            f"{name} {'VARCHAR' if name in text else kind}" for name, kind in columns
        )
        connection.execute(f"create table {table} ({ddl})")


_DELIVERED = [
    # An offset, no offset (UTC), a flag in spaces and capitals, a decimal duration.
    {"arrived_at": "2026-03-02T19:00:00+09:00", "is_resolved": " TRUE "},
    {"contact_id": "c2", "arrived_at": "2026-03-02 10:00:00", "talk_seconds": "2.8e2"},
]


def test_a_warehouse_of_text_raw_is_typed_in_place_as_a_fresh_load_types_it(
    landing: Path, warehouse: duckdb.DuckDBPyConnection
) -> None:
    write(
        landing / "contacts" / "a.csv",
        csv_text([row("contacts", **values) for values in _DELIVERED]),
    )
    ingest(warehouse, landing, load_id="r1")
    fresh = warehouse.execute(
        "select * from raw.contacts order by _source_row"
    ).fetchall()
    assert len(fresh) == len(_DELIVERED)

    old = duckdb.connect()
    _legacy_tables(old)
    old.execute("set TimeZone = 'Asia/Tokyo'")  # the conversion reads text as UTC
    path = str(landing / "contacts" / "a.csv")
    old.execute(
        "insert into raw.contacts by name select *, 'contacts/a.csv' as _source_file, "
        "row_number() over () + 1 as _source_row, 'r1' as _load_id "
        f"from read_csv({literal(path)}, all_varchar = true)"
    )
    old.executemany(
        "insert into raw.loaded_files values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        warehouse.execute("select * from raw.loaded_files").fetchall(),
    )
    report = ingest(old, landing, load_id="r2")  # nothing new: only the conversion
    assert report.files == ()
    assert old.execute(
        "select * from raw.contacts order by _source_row"
    ).fetchall() == (fresh)
    assert _columns(old, "raw.contacts") == _columns(warehouse, "raw.contacts")


def test_text_raw_that_does_not_type_is_left_as_it_was_with_a_clear_error(
    landing: Path,
) -> None:
    contacts_file(landing)
    old = duckdb.connect()
    _legacy_tables(old)
    old.execute(
        "insert into raw.contacts (contact_id, arrived_at, _source_file, _source_row) "
        "values ('c1', 'yesterday', 'contacts/x.csv', 2)"
    )
    with pytest.raises(ValueError, match=r"raw\.contacts: column arrived_at"):
        ingest(old, landing, load_id="r1")
    assert dict(_columns(old, "raw.contacts"))["arrived_at"] == "VARCHAR"
    assert old.execute("select arrived_at from raw.contacts").fetchall() == [
        ("yesterday",)
    ]
