"""Whole-file problems stop the load with a LandingError that names the file (and the
line/column where known); files are loaded whole or not at all."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_helpers import (
    GOOD,
    Ingest,
    assert_reconciled,
    contacts_file,
    csv_text,
    row,
    write,
)

from opsmart.contract import source_columns
from opsmart.ingest import LandingError
from opsmart.ingest._readers import file_sha256


def _error(run_ingest: Ingest, **options: object) -> str:
    with pytest.raises(LandingError) as raised:
        run_ingest(**options)
    return str(raised.value)


def test_missing_landing_directory(landing: Path, run_ingest: Ingest) -> None:
    assert "does not exist" in _error(run_ingest)


def test_contacts_are_required(landing: Path, run_ingest: Ingest) -> None:
    write(landing / "customers" / "c.csv", csv_text([GOOD["customers"]]))
    message = _error(run_ingest)
    assert str(landing.resolve() / "contacts") in message
    assert "required source" in message


def test_contacts_loaded_before_satisfy_the_requirement(
    landing: Path, run_ingest: Ingest
) -> None:
    first = contacts_file(landing)
    run_ingest()
    first.unlink()  # archived after loading
    write(landing / "customers" / "c.csv", csv_text([GOOD["customers"]]))
    loaded = run_ingest(load_id="r2")
    assert [f.source for f in loaded.report.files] == ["customers"]


def test_mixed_formats(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(landing / "costs" / "b.parquet", b"PAR1")
    assert "mixes CSV and Parquet" in _error(run_ingest)


@pytest.mark.parametrize("text", ["", "\n\n"], ids=["zero_bytes", "blank_lines"])
def test_empty_csv(landing: Path, run_ingest: Ingest, text: str) -> None:
    contacts_file(landing)
    bad = write(landing / "costs" / "a.csv", text)
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: empty file, expected a header row")


def test_header_only_file_loads_zero_rows(landing: Path, run_ingest: Ingest) -> None:
    write(landing / "contacts" / "a.csv", ",".join(GOOD["contacts"]) + "\n")
    loaded = run_ingest()
    (load,) = loaded.report.files
    assert (load.rows_read, load.rows_loaded, load.rows_quarantined) == (0, 0, 0)


def test_not_utf8_in_header_gives_line_and_column(
    landing: Path, run_ingest: Ingest
) -> None:
    bad = write(landing / "contacts" / "a.csv", b"contact_id,qu\xe9ue_id\n")
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: line 1, column 14: not UTF-8")


def test_not_utf8_in_data_rolls_back_the_file(
    landing: Path, run_ingest: Ingest, warehouse: duckdb.DuckDBPyConnection
) -> None:
    first = [row("contacts", contact_id=f"a{i}") for i in range(50)]
    write(landing / "contacts" / "a.csv", csv_text(first))
    # 300 good rows (lines 2-301), so the bad byte on line 302 is found while
    # loading, not while reading the header.
    rows = [row("contacts", contact_id=f"c{i}") for i in range(2, 303)]
    text = csv_text(rows).replace("c302", "c\xe9302")
    bad = write(landing / "contacts" / "b.csv", text.encode("latin-1"))

    # chunk_rows=50: a.csv (50 rows) commits on its own before b.csv is read.
    message = _error(run_ingest, chunk_rows=50)

    assert message.startswith(f"{bad.resolve()}: line 302, column 2: not UTF-8")
    assert "1 file(s) of this run stay loaded" in message
    assert_reconciled(warehouse)
    files = warehouse.execute("select source_file from raw.loaded_files").fetchall()
    assert [Path(f).name for (f,) in files] == ["a.csv"]
    loaded = warehouse.execute("select count(*) from raw.contacts").fetchone()
    assert loaded == (50,)  # b.csv's rows before the bad line were rolled back


def test_after_a_failed_file_the_next_run_continues(
    landing: Path, run_ingest: Ingest
) -> None:
    first = [row("contacts", contact_id=f"a{i}") for i in range(50)]
    write(landing / "contacts" / "a.csv", csv_text(first))
    rows = [row("contacts", contact_id=f"c{i}") for i in range(2, 303)]
    text = csv_text(rows)
    bad = write(
        landing / "contacts" / "b.csv",
        text.replace("c302", "c\xe9302").encode("latin-1"),
    )
    with pytest.raises(LandingError, match="line 302"):
        run_ingest(chunk_rows=50)

    # Fixing the file (never loaded, so not "changed") and running again loads it.
    bad.write_text(text, encoding="utf-8")
    loaded = run_ingest(load_id="r2")
    assert [f.path.name for f in loaded.report.files] == ["b.csv"]
    assert [s.path.name for s in loaded.report.skipped] == ["a.csv"]
    assert len(loaded.loaded_rows("contacts")) == 50 + 301


def test_missing_required_column(landing: Path, run_ingest: Ingest) -> None:
    header = [c for c in GOOD["contacts"] if c not in ("queue_id", "outcome")]
    bad = write(landing / "contacts" / "a.csv", csv_text([GOOD["contacts"]], header))
    message = _error(run_ingest)
    assert message.startswith(
        f"{bad.resolve()}: missing required column(s) queue_id, outcome"
    )


def test_repeated_column(landing: Path, run_ingest: Ingest) -> None:
    header = [*GOOD["contacts"], "channel"]
    bad = write(landing / "contacts" / "a.csv", csv_text([GOOD["contacts"]], header))
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: column(s) channel appear more")


def test_unparseable_csv_gives_the_line(landing: Path, run_ingest: Ingest) -> None:
    huge = "x" * 200_000  # over the csv module's field limit
    header = [*GOOD["contacts"], "contact_reason"]
    bad = write(
        landing / "contacts" / "a.csv",
        csv_text([row("contacts"), row("contacts", contact_reason=huge)], header),
    )
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: line 3: not readable as CSV")


def test_unreadable_parquet(landing: Path, run_ingest: Ingest) -> None:
    bad = write(landing / "contacts" / "a.parquet", b"not parquet at all")
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: not a readable Parquet file")


def test_parquet_broken_inside_names_its_file(
    landing: Path, run_ingest: Ingest
) -> None:
    # Files of one schema are read by DuckDB in one statement; when one of them
    # breaks past its readable footer, the message still names that file.
    table = pa.table({name: [value] for name, value in GOOD["contacts"].items()})
    for name in ("a", "b", "c"):
        path = landing / "contacts" / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="snappy")
    bad = landing / "contacts" / "b.parquet"
    data = bytearray(bad.read_bytes())
    data[20:60] = b"\xff" * 40  # the first page header; the footer stays readable
    bad.write_bytes(bytes(data))
    assert pq.ParquetFile(bad).metadata.num_rows == 1
    message = _error(run_ingest)
    assert message.startswith(f"{bad.resolve()}: not a readable Parquet file")


def test_empty_parquet(landing: Path, run_ingest: Ingest) -> None:
    bad = write(landing / "contacts" / "a.parquet", b"")
    assert _error(run_ingest).startswith(f"{bad.resolve()}: empty file")


def test_parquet_missing_required_column(landing: Path, run_ingest: Ingest) -> None:
    path = landing / "contacts" / "a.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.table({"contact_id": ["c1"]}), path)
    message = _error(run_ingest)
    assert message.startswith(f"{path.resolve()}: missing required column(s)")
    assert "queue_id" in message


def test_changed_file_is_refused(landing: Path, run_ingest: Ingest) -> None:
    path = contacts_file(landing)
    run_ingest(load_id="run-1")
    path.write_text(csv_text([row("contacts", talk_seconds="1")]), encoding="utf-8")
    message = _error(run_ingest, load_id="run-2")
    assert message == (
        f"{path.resolve()}: changed since it was loaded by run run-1; landing files "
        "are append-only: put corrections in a new file"
    )


def test_changed_file_stops_before_loading_anything(
    landing: Path, run_ingest: Ingest
) -> None:
    path = contacts_file(landing, "b.csv")
    loaded = run_ingest(load_id="run-1")
    path.write_text(csv_text([row("contacts", talk_seconds="1")]), encoding="utf-8")
    write(  # new, sorts before the changed file
        landing / "contacts" / "a.csv", csv_text([row("contacts", contact_id="c2")])
    )
    with pytest.raises(LandingError, match=r"b\.csv: changed"):
        run_ingest(load_id="run-2")
    count = loaded.connection.execute("select count(*) from raw.loaded_files")
    assert count.fetchone() == (1,)


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loads of the test hash, in order."""
    names: list[str] = []

    def counted(path: Path) -> str:
        names.append(path.name)
        return file_sha256(path)

    monkeypatch.setattr("opsmart.ingest._plan.file_sha256", counted)
    return names


def _touch(path: Path) -> None:
    """Move the file's modification time a second on, its bytes unchanged."""
    mtime = path.stat().st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(mtime, mtime))


def test_a_loaded_file_is_hashed_again_only_when_its_size_or_time_moved(
    landing: Path, run_ingest: Ingest, hashed: list[str]
) -> None:
    """A night hashes its new files, not the history's (1,100 files a year)."""
    first = contacts_file(landing, "a.csv")
    loaded = run_ingest(load_id="r1")
    contacts_file(landing, "b.csv", contact_id="c2")
    run_ingest(load_id="r2")
    assert hashed == ["a.csv", "b.csv"]  # a.csv once, by r1

    _touch(first)  # copied again, say: same bytes, a new time
    report = run_ingest(load_id="r3").report
    assert [s.path.name for s in report.skipped] == ["a.csv", "b.csv"]
    assert hashed[2:] == ["a.csv"]
    recorded = loaded.connection.execute(
        "select modified_ns from raw.loaded_files where source_file like '%a.csv'"
    ).fetchone()
    assert recorded == (first.stat().st_mtime_ns,)
    run_ingest(load_id="r4")
    assert hashed[3:] == []


def test_a_loaded_files_table_without_times_gets_them_once(
    landing: Path, run_ingest: Ingest, hashed: list[str]
) -> None:
    """A warehouse loaded before modified_ns: each file is hashed once more."""
    contacts_file(landing, "a.csv")
    loaded = run_ingest(load_id="r1")
    loaded.connection.execute("alter table raw.loaded_files drop column modified_ns")
    run_ingest(load_id="r2")
    assert hashed == ["a.csv", "a.csv"]
    columns = loaded.connection.execute(
        "select column_name from information_schema.columns "
        "where table_name = 'loaded_files' order by ordinal_position"
    ).fetchall()
    assert columns[-1] == ("modified_ns",)
    run_ingest(load_id="r3")
    assert hashed[2:] == []


def test_a_changed_file_keeping_its_size_is_refused(
    landing: Path, run_ingest: Ingest
) -> None:
    path = contacts_file(landing, talk_seconds="1")
    run_ingest(load_id="run-1")
    size = path.stat().st_size
    path.write_text(csv_text([row("contacts", talk_seconds="2")]), encoding="utf-8")
    _touch(path)  # as any later write moves it (two in one clock tick would not)
    assert path.stat().st_size == size
    assert "changed since it was loaded by run run-1" in _error(
        run_ingest, load_id="run-2"
    )


def test_messages_are_single_lines_without_tracebacks(
    landing: Path, run_ingest: Ingest
) -> None:
    write(landing / "contacts" / "a.csv", b"\xff\xfe")
    message = _error(run_ingest)
    assert "\n" not in message
    assert not re.search(r"Traceback|File \"", message)


def test_column_names_are_matched_by_name_not_position(
    landing: Path, run_ingest: Ingest
) -> None:
    names = list(reversed(source_columns("costs")))
    write(landing / "costs" / "a.csv", csv_text([GOOD["costs"]], names))
    contacts_file(landing)
    loaded = run_ingest()
    assert loaded.raw("costs", "team_id", "currency") == [("team_sales", "USD")]
