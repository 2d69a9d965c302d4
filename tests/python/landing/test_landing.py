"""The landing check names the file and column of what is wrong, and lays out inputs
so that missing optional sources and columns read as nulls."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from opsmart.contract import SOURCES, source_columns
from opsmart.landing import LandingError, prepare_inputs

HEADER = ",".join(source_columns("contacts"))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_landing_directory(tmp_path: Path) -> None:
    with pytest.raises(LandingError, match="does not exist"):
        prepare_inputs(tmp_path / "nowhere", tmp_path / "inputs")


def test_contacts_are_required(tmp_path: Path) -> None:
    _write(tmp_path / "landing" / "customers" / "c.csv", "customer_id\n")
    with pytest.raises(LandingError, match=r"contacts.*required"):
        prepare_inputs(tmp_path / "landing", tmp_path / "inputs")


def test_missing_required_column_names_file_and_column(tmp_path: Path) -> None:
    header = HEADER.replace("queue_id,", "")
    bad = _write(tmp_path / "landing" / "contacts" / "day1.csv", header + "\n")
    with pytest.raises(LandingError) as raised:
        prepare_inputs(tmp_path / "landing", tmp_path / "inputs")
    assert str(bad) in str(raised.value)
    assert "queue_id" in str(raised.value)


def test_mixed_formats_are_refused(tmp_path: Path) -> None:
    _write(tmp_path / "landing" / "contacts" / "a.csv", HEADER + "\n")
    _write(tmp_path / "landing" / "contacts" / "b.parquet", "not parquet")
    with pytest.raises(LandingError, match="mixes CSV and Parquet"):
        prepare_inputs(tmp_path / "landing", tmp_path / "inputs")


def test_unreadable_parquet_names_the_file(tmp_path: Path) -> None:
    bad = _write(tmp_path / "landing" / "contacts" / "b.parquet", "not parquet")
    with pytest.raises(LandingError, match=str(bad)):
        prepare_inputs(tmp_path / "landing", tmp_path / "inputs")


def test_non_utf8_csv_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "landing" / "contacts" / "a.csv"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"contact_id,\xff\xfe\n")
    with pytest.raises(LandingError, match="not UTF-8"):
        prepare_inputs(tmp_path / "landing", tmp_path / "inputs")


def test_inputs_read_missing_columns_and_sources_as_null(tmp_path: Path) -> None:
    minimal = "contact_id,queue_id,channel,arrived_at,ended_at,outcome\n"
    row = "c1,q1,voice,2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,abandoned\n"
    _write(tmp_path / "landing" / "contacts" / "a.csv", minimal + row)
    report = prepare_inputs(tmp_path / "landing", tmp_path / "inputs")

    assert report.file_format == "csv"
    assert report.files == {"contacts": 1}
    assert set(report.missing) == set(SOURCES) - {"contacts"}
    assert any("agent_intervals: missing" in line for line in report.describe())

    inputs = report.inputs_dir
    contacts = duckdb.sql(
        f"select * from read_csv(['{inputs}/_contract/contacts.csv', "
        f"'{inputs}/contacts/*.csv'], header=true, all_varchar=true, "
        "union_by_name=true)"
    )
    assert set(contacts.columns) == set(source_columns("contacts"))
    assert contacts.fetchall()[0][contacts.columns.index("wait_seconds")] is None
    costs = duckdb.sql(
        f"select count(*) from read_csv(['{inputs}/_contract/costs.csv', "
        f"'{inputs}/costs/*.csv'], header=true, all_varchar=true, union_by_name=true)"
    )
    assert costs.fetchall() == [(0,)]


def test_parquet_placeholders_are_typed(tmp_path: Path) -> None:
    landing = tmp_path / "landing" / "contacts"
    landing.mkdir(parents=True)
    duckdb.sql(
        "copy (select 'c1' as contact_id, 'q1' as queue_id, 'voice' as channel, "
        "timestamptz '2026-03-02 10:00:00+00' as arrived_at, "
        "timestamptz '2026-03-02 10:01:00+00' as ended_at, 'abandoned' as outcome) "
        f"to '{landing / 'a.parquet'}' (format parquet)"
    )
    report = prepare_inputs(tmp_path / "landing", tmp_path / "inputs")
    assert report.file_format == "parquet"
    described = duckdb.sql(
        f"describe select * from read_parquet('{report.inputs_dir}/_contract/"
        "agent_intervals.parquet')"
    ).fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["staffed_seconds"] == "DOUBLE"
    assert types["interval_start"].startswith("TIMESTAMP")
