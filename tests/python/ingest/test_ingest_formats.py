"""The demo generator's landing ingests clean, and its CSV and Parquet editions load
the same values; Parquet rows are numbered from 1 and typed as their text would be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_helpers import PROJECT, QUEUES, assert_reconciled

from opsmart.contract import DEFAULTED_SOURCES, SOURCES
from opsmart.ingest import IngestReport, ingest
from opsmart.ingest.rules import TYPED_SQL
from opsmart.synth import generate

_SQL_TYPES = {
    key: template.split(" as ")[1].rstrip(")")
    for key, template in TYPED_SQL.items()
    if key != "string"
}


def _typed_rows(
    connection: duckdb.DuckDBPyConnection, source: str
) -> list[tuple[object, ...]]:
    """Every row of raw.<source> cast to its contract types, in file and row order."""
    columns = ", ".join(
        c.name if c.type == "string" else f"cast({c.name} as {_SQL_TYPES[c.type]})"
        for c in SOURCES[source]
    )
    file_stem = "regexp_replace(_source_file, '\\.[a-z]+$', '')"
    return [
        tuple(r)
        for r in connection.execute(
            f"select {columns} from raw.{source} order by {file_stem}, _source_row"
        ).fetchall()
    ]


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, tuple[duckdb.DuckDBPyConnection, IngestReport]]:
    result = {}
    for file_format in ("csv", "parquet"):
        landing = tmp_path_factory.mktemp(file_format)
        generate(landing, days=2, agents=5, seed=1, file_format=file_format)
        connection = duckdb.connect()
        report = ingest(connection, landing, load_id="demo", queues=QUEUES)
        assert_reconciled(connection)
        result[file_format] = (connection, report)
    return result


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_demo_landing_ingests_with_no_quarantine(
    loaded: dict[str, tuple[duckdb.DuckDBPyConnection, IngestReport]],
    file_format: str,
) -> None:
    connection, report = loaded[file_format]
    assert report.quarantined == {}
    assert report.missing == ()
    assert report.file_format == file_format
    totals = report.totals
    assert totals["contacts"]["rows_loaded"] > 100
    assert all(t["rows_read"] == t["rows_loaded"] for t in totals.values())
    assert connection.execute("select count(*) from audit.quarantine").fetchone() == (
        0,
    )


def test_csv_and_parquet_load_the_same_values(
    loaded: dict[str, tuple[duckdb.DuckDBPyConnection, IngestReport]],
) -> None:
    csv_connection, _ = loaded["csv"]
    parquet_connection, _ = loaded["parquet"]
    for source in SOURCES.keys() - DEFAULTED_SOURCES:  # the demo writes no queues/
        from_csv = _typed_rows(csv_connection, source)
        assert from_csv, source
        assert _typed_rows(parquet_connection, source) == from_csv, source


def test_csv_and_parquet_number_rows_alike(
    loaded: dict[str, tuple[duckdb.DuckDBPyConnection, IngestReport]],
) -> None:
    """CSV line = Parquet row index + 1 (the header is line 1)."""
    query = "select min(_source_row), max(_source_row), count(*) from raw.contacts"
    csv_rows = loaded["csv"][0].execute(query).fetchone()
    parquet_rows = loaded["parquet"][0].execute(query).fetchone()
    assert csv_rows is not None and parquet_rows is not None
    assert parquet_rows[0] == 1
    assert csv_rows[0] == 2
    assert csv_rows[1] - 1 == parquet_rows[1]


def test_parquet_values_are_typed_as_their_text_would_be(tmp_path: Path) -> None:
    utc = dt.UTC
    table = pa.table(
        {
            "contact_id": ["c1", "c2"],
            "queue_id": ["q_voice_sales", "q_voice_sales"],
            "channel": ["voice", "voice"],
            "arrived_at": pa.array(
                [dt.datetime(2026, 3, 2, 10, 0, tzinfo=utc)] * 2,
                type=pa.timestamp("us", tz="+09:00"),
            ),
            "ended_at": pa.array(  # naive: read as UTC
                [dt.datetime(2026, 3, 2, 10, 5, 0, 500000)] * 2,
                type=pa.timestamp("us"),
            ),
            "outcome": ["abandoned", "abandoned"],
            "wait_seconds": pa.array([12.5, -1.0]),
            "is_transferred": pa.array([False, None]),
            "crm_extra": [1, 2],
        }
    )
    path = tmp_path / "contacts" / "a.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)
    connection = duckdb.connect()
    report = ingest(connection, tmp_path, load_id="r1")
    assert_reconciled(connection)

    connection.execute("set TimeZone = 'UTC'")
    assert connection.execute(
        "select arrived_at, ended_at, wait_seconds, is_transferred, _source_row "
        "from raw.contacts"
    ).fetchall() == [
        (
            dt.datetime(2026, 3, 2, 10, 0, tzinfo=utc),
            dt.datetime(2026, 3, 2, 10, 5, 0, 500000, tzinfo=utc),
            12.5,
            False,
            1,
        )
    ]
    assert connection.execute(
        "select source_row, reason_code from audit.quarantine"
    ).fetchall() == [(2, "negative_duration")]
    assert report.files[0].ignored_columns == ("crm_extra",)


def test_per_call_export_fixture_ingests_clean() -> None:
    connection = duckdb.connect()
    landing = PROJECT / "tests" / "fixtures" / "per_call_export"
    report = ingest(connection, landing, load_id="r1", queues=QUEUES)
    assert report.quarantined == {}
    assert report.totals["contacts"]["rows_loaded"] == 11


def _edge_values_table() -> pa.Table:
    """Contacts whose Parquet values test the text they become: far and fractional
    timestamps, zones, naive ones, non-finite and signed numbers, empty text, nulls."""
    utc = dt.UTC
    arrived = [
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=utc),
        dt.datetime(2026, 3, 2, 10, 0, 0, 123456, tzinfo=utc),
        dt.datetime(1, 1, 1, tzinfo=utc),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=utc),
        None,
        dt.datetime(2026, 3, 2, 23, 30, tzinfo=utc),
    ]
    rows = len(arrived)
    return pa.table(
        {
            "contact_id": ["c1", "c2", "", "c4", None, "c\u00e96"],
            "queue_id": ["q_voice_sales"] * rows,
            "channel": ["voice", "Voice", " voice", "voice", "voice", "voice"],
            "arrived_at": pa.array(arrived, type=pa.timestamp("us", tz="+09:00")),
            "ended_at": pa.array(  # naive: read as UTC
                [dt.datetime(2026, 3, 2, 10, 5, 0, 500000)] * rows,
                type=pa.timestamp("us"),
            ),
            "outcome": ["abandoned"] * rows,
            "wait_seconds": pa.array(
                [12.5, -0.0, float("nan"), float("inf"), 1e300, None]
            ),
            "talk_seconds": pa.array([0, -1, 2**62, None, 7, 8], type=pa.int64()),
            "hold_seconds": pa.array([0, 1, 2, None, 3, 4], type=pa.int32()),
            "is_transferred": pa.array([False, None, True, True, False, None]),
            "contact_reason": pa.array(["a", "", None, "b", "c", "d"]).cast(
                pa.large_string()
            ),
        }
    )


def test_duckdb_and_pyarrow_read_parquet_alike(tmp_path: Path) -> None:
    # A file of one batch at most is read by DuckDB; with one-row batches the same
    # file goes through pyarrow in chunks. Both must load and quarantine the same.
    path = tmp_path / "contacts" / "a.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(_edge_values_table(), path)
    tables = {}
    for chunk_rows in (1, 100):
        connection = duckdb.connect()
        ingest(connection, tmp_path, load_id="r1", chunk_rows=chunk_rows)
        assert_reconciled(connection)
        tables[chunk_rows] = [
            connection.execute(f"select * from {table} order by all").fetchall()
            for table in ("raw.contacts", "audit.quarantine")
        ]
    assert tables[1] == tables[100]
    assert len(tables[100][0]) + len(tables[100][1]) == 6


def _arrived_as(table: pa.Table, kind: pa.DataType) -> pa.Table:
    """`table` with ``arrived_at`` of type `kind`, cut to its unit."""
    arrived = table.column("arrived_at").cast(kind, safe=False)
    return table.set_column(
        table.schema.get_field_index("arrived_at"), "arrived_at", arrived
    )


def test_parquet_files_read_together_load_as_read_alone(tmp_path: Path) -> None:
    # Daily files of one schema are read by DuckDB in one statement, each row
    # keeping its own file and row number: the same rows and quarantine as when
    # every file goes through pyarrow in one-row chunks, and raw in file and row
    # order. Millisecond and second timestamps, and a file with an extra column
    # (another schema) among them.
    table = _edge_values_table()
    files = {
        "a": table,
        "b": _arrived_as(table, pa.timestamp("ms", "UTC")),
        "c": table.append_column("crm_extra", pa.array(range(6))),
        "d": _arrived_as(table, pa.timestamp("s", "+09:00")),
        "e": table.slice(1, 3),
        "f": table,
    }
    for name, contents in files.items():
        ids = [
            f"{name}{i}" if i else i for i in contents.column("contact_id").to_pylist()
        ]
        path = tmp_path / "contacts" / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(contents.set_column(0, "contact_id", pa.array(ids)), path)
    tables = {}
    # 1: every file through pyarrow; 1,000: one batch, a view of the files; 4: e
    # (3 rows) read by DuckDB into the stage table with the others' chunks.
    for chunk_rows in (1, 1_000, 4):
        connection = duckdb.connect()
        report = ingest(connection, tmp_path, load_id="r1", chunk_rows=chunk_rows)
        assert_reconciled(connection)
        tables[chunk_rows] = [
            connection.execute(f"select * from {table} order by all").fetchall()
            for table in ("raw.contacts", "audit.quarantine")
        ]
        assert [f.rows_read for f in report.files] == [6, 6, 6, 6, 3, 6]
        in_order = connection.execute(
            "select _source_file, _source_row from raw.contacts order by rowid"
        ).fetchall()
        assert in_order == sorted(in_order)
        loaded = {f"contacts/{name}.parquet" for name in "abcdf"}  # e's rows: bad
        assert {row[0] for row in in_order} == loaded
    assert tables[1] == tables[1_000] == tables[4]


def test_files_that_type_a_column_differently_load_as_each_alone(
    tmp_path: Path,
) -> None:
    # One batch holds files of one set of columns staged typed: a file with
    # arrived_at as text (an offset, a date only, garbage) between two with it as
    # a timestamp is checked by the text rules, its neighbours by the typed forms.
    utc = dt.UTC

    def contacts(name: str, ids: list[str], arrived: pa.Array) -> None:
        count = len(ids)
        path = tmp_path / "contacts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        table = {
            "contact_id": ids,
            "queue_id": ["q_voice_sales"] * count,
            "channel": ["voice"] * count,
            "arrived_at": arrived,
            "ended_at": ["2026-03-03T00:00:00Z"] * count,
            "outcome": ["abandoned"] * count,
        }
        pq.write_table(pa.table(table), path)

    stamp = pa.timestamp("ms", tz="UTC")
    contacts(
        "a.parquet", ["a1"], pa.array([dt.datetime(2026, 3, 2, tzinfo=utc)], stamp)
    )
    contacts(
        "b.parquet",
        ["b1", "b2", "b3"],
        pa.array(["2026-03-02T19:00:00+09:00", "2026-03-02", "noon"]),
    )
    contacts("c.parquet", ["c1"], pa.array([None], stamp))
    connection = duckdb.connect()
    ingest(connection, tmp_path, load_id="r1")
    assert_reconciled(connection)
    connection.execute("set TimeZone = 'UTC'")
    assert connection.execute(
        "select contact_id, arrived_at from raw.contacts order by contact_id"
    ).fetchall() == [
        ("a1", dt.datetime(2026, 3, 2, tzinfo=utc)),
        ("b1", dt.datetime(2026, 3, 2, 10, tzinfo=utc)),
        ("b2", dt.datetime(2026, 3, 2, tzinfo=utc)),
    ]
    assert connection.execute(
        "select source_file, reason_code, reason from audit.quarantine order by 1"
    ).fetchall() == [
        (
            "contacts/b.parquet",
            "invalid_timestamp",
            "arrived_at='noon': not an ISO-8601 timestamp "
            "(YYYY-MM-DDTHH:MM:SS with Z or an offset)",
        ),
        (
            "contacts/c.parquet",
            "required_missing",
            "arrived_at=null: required value missing",
        ),
    ]
