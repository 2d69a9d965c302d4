"""The Parquet export: complete or invisible, pruned only after the new one is
published, and a run killed while exporting never costs the previous export. The big
marts are exported by month; a nightly export links the months before its window
from the previous export and equals a full export of the same warehouse."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly import publish
from opsmart.nightly.publish import (
    current_export,
    export_parquet,
    exported_tables,
    publish_export,
    remove_stale_exports,
)

RUNS = [f"2026030{day}T023000Z-00000{day}" for day in range(1, 6)]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A closed warehouse file with two public tables and one private one."""
    path = tmp_path / "work" / "opsmart.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema marts; create schema reports; create schema raw"
        )
        connection.execute(
            "create table marts.fct_a as select range as id from range(3)"
        )
        connection.execute("create table reports.rpt_b as select 'x' as label")
        connection.execute("create table raw.contacts as select 1 as secret")
    return path


def _exported(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))


def _publish(warehouse: Path, root: Path, run_id: str) -> Path:
    export = export_parquet(warehouse, root, run_id)
    publish_export(export)
    return export


def test_an_export_holds_every_public_table(warehouse: Path, tmp_path: Path) -> None:
    export = export_parquet(warehouse, tmp_path / "parquet", RUNS[0])
    assert export == tmp_path / "parquet" / RUNS[0]
    assert _exported(export) == ["marts/fct_a.parquet", "reports/rpt_b.parquet"]
    assert [p.name for p in (tmp_path / "parquet").iterdir()] == [RUNS[0]]
    assert current_export(tmp_path / "parquet") is None  # not published yet
    with duckdb.connect() as connection:
        parquet = export / "marts" / "fct_a.parquet"
        rows = connection.execute(f"select count(*) from '{parquet}'").fetchone()
    assert rows == (3,)


def test_a_quote_and_a_space_in_the_folder_name(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / 'it\'s a "folder"' / "parquet"
    export = _publish(warehouse, root, RUNS[0])
    assert _exported(export) == ["marts/fct_a.parquet", "reports/rpt_b.parquet"]
    assert current_export(root) == export


def test_pruning_keeps_the_current_and_the_previous_export(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    for run_id in RUNS[:3]:
        _publish(warehouse, root, run_id)
    # An empty folder named like a newer run (what an interrupted export of an
    # earlier version left) and a folder someone put there.
    (root / RUNS[4]).mkdir()
    (root / "by_hand").mkdir()

    _publish(warehouse, root, RUNS[3])

    assert current_export(root) == root / RUNS[3]
    assert sorted(p.name for p in root.iterdir()) == [
        RUNS[2],  # the previous export: readers may still be reading it
        RUNS[3],
        "by_hand",  # not an export: never removed
        "current",
    ]


def test_the_first_publish_keeps_only_its_export(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    root.mkdir()
    (root / RUNS[1]).mkdir()  # left by a killed export of an earlier version
    _publish(warehouse, root, RUNS[0])
    assert sorted(p.name for p in root.iterdir()) == [RUNS[0], "current"]


def _export_hanging_after(step: str) -> str:
    """A script that exports like the run does (argv: warehouse, export root, run id,
    and for a nightly export its window start and previous export), but stops for
    good once `publish.<step>` first returns, so the parent can SIGKILL it at a
    known point; it prints `<step> done` then. It writes one table at a time (the
    run writes two), so that point is after a known table and before the next."""
    return textwrap.dedent(
        f"""
        import sys, time
        from datetime import date
        from pathlib import Path
        from opsmart.nightly import publish

        step = publish.{step}

        def then_hang(*args):
            step(*args)
            print("{step} done", flush=True)
            time.sleep(3600)

        publish.{step} = then_hang
        publish.EXPORT_THREADS = 1
        since, previous = (sys.argv[4:6] + [None, None])[:2]
        publish.export_parquet(
            Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3],
            since=since and date.fromisoformat(since),
            previous=previous and Path(previous),
        )
        """
    )


def _kill_export_after(step: str, *arguments: str) -> str:
    """Run `_export_hanging_after(step)` with `arguments`, SIGKILL it once it says the
    step is done, and return what it said."""
    with subprocess.Popen(
        [sys.executable, "-c", _export_hanging_after(step), *arguments],
        stdout=subprocess.PIPE,
        text=True,
    ) as export:
        try:
            assert export.stdout is not None
            return export.stdout.readline()
        finally:
            export.send_signal(signal.SIGKILL)


def test_a_sigkill_during_the_export_never_costs_the_previous_export(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    _publish(warehouse, root, RUNS[0])
    _publish(warehouse, root, RUNS[1])
    before = {run: _exported(root / run) for run in RUNS[:2]}

    said = _kill_export_after("_export_table", str(warehouse), str(root), RUNS[2])
    assert said == "_export_table done\n"

    # Killed: the published export is untouched, the partial one invisible.
    assert current_export(root) == root / RUNS[1]
    assert sorted(p.name for p in root.iterdir()) == [
        f".partial-{RUNS[2]}",
        RUNS[0],
        RUNS[1],
        "current",
    ]
    assert _exported(root / f".partial-{RUNS[2]}") == ["marts/fct_a.parquet"]

    # The next run removes the leftover first, then publishes its own export and
    # keeps the one that was current.
    remove_stale_exports(root)
    _publish(warehouse, root, RUNS[3])
    assert current_export(root) == root / RUNS[3]
    assert sorted(p.name for p in root.iterdir()) == [RUNS[1], RUNS[3], "current"]
    assert _exported(root / RUNS[1]) == before[RUNS[1]]


def test_stale_staged_links_are_removed(warehouse: Path, tmp_path: Path) -> None:
    root = tmp_path / "parquet"
    _publish(warehouse, root, RUNS[0])
    (root / f".current.{RUNS[1]}").symlink_to(RUNS[1], target_is_directory=True)
    remove_stale_exports(root)
    assert sorted(p.name for p in root.iterdir()) == [RUNS[0], "current"]
    remove_stale_exports(tmp_path / "none")  # no export folder yet: nothing to do


# --- the big marts by month ---------------------------------------------------------

#: A nightly run's window: from 2026-03-05, so March is rewritten and January and
#: February are linked from the previous export.
SINCE = date(2026, 3, 5)


@pytest.fixture
def monthly(tmp_path: Path) -> Path:
    """A closed warehouse with two monthly marts (one empty) and a small table."""
    path = tmp_path / "monthly" / "opsmart.duckdb"
    path.parent.mkdir()
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts; create schema reports")
        connection.execute(
            "create table marts.fct_contacts as select range as contact_id, "
            "date '2026-01-01' + cast(range % 80 as int) as arrived_date, "
            "range * 1.5 as handle_seconds from range(400) "
            "union all select 1000, null, 0.0"  # no date: its own folder
        )
        connection.execute(
            "create table marts.fct_queue_intervals as "
            "select 'q1' as queue_id, date '2026-01-01' as interval_date limit 0"
        )
        connection.execute("create table reports.rpt_b as select 'x' as label")
    return path


def _night(warehouse: Path) -> None:
    """What a nightly dbt run does to an incremental mart: replace the window's rows."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            f"delete from marts.fct_contacts where arrived_date >= '{SINCE}' "
            "or arrived_date is null"
        )
        connection.execute(
            "insert into marts.fct_contacts select 2000 + range, "
            f"date '{SINCE}' + cast(range as int), 7.0 from range(20) "
            "union all select 3000, null, 1.0"
        )


def _rows(export: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of an export, read back as an analyst would."""
    with duckdb.connect() as connection:
        rows = {}
        for name, path in exported_tables(export).items():
            files = f"{path}/**/*.parquet" if path.is_dir() else str(path)
            relation = connection.read_parquet(files, hive_partitioning=False)
            rows[name] = relation.order("all").fetchall()
        return rows


def _inodes(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_ino
        for p in folder.rglob("*.parquet")
    }


def _table_rows(warehouse: Path, table: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.table(table).order("all").fetchall()


def test_the_big_marts_are_exported_by_month(monthly: Path, tmp_path: Path) -> None:
    export = export_parquet(monthly, tmp_path / "parquet", RUNS[0])
    assert _exported(export) == [
        "marts/fct_contacts/month=2026-01/data_0.parquet",
        "marts/fct_contacts/month=2026-02/data_0.parquet",
        "marts/fct_contacts/month=2026-03/data_0.parquet",
        "marts/fct_contacts/month=__HIVE_DEFAULT_PARTITION__/data_0.parquet",
        # An empty table still has a file, with its columns.
        "marts/fct_queue_intervals/month=__HIVE_DEFAULT_PARTITION__/data_0.parquet",
        "reports/rpt_b.parquet",
    ]
    rows = _rows(export)
    assert rows["marts.fct_contacts"] == _table_rows(monthly, "marts.fct_contacts")
    assert rows["marts.fct_queue_intervals"] == []
    with duckdb.connect() as connection:  # the month is a column to filter on
        march = connection.execute(
            "select count(*), min(arrived_date) from read_parquet(?, "
            "hive_partitioning = true) where month = '2026-03'",
            [f"{export}/marts/fct_contacts/**/*.parquet"],
        ).fetchone()
    assert march == (5 * 21, date(2026, 3, 1))  # days 59-79, five rows each


def test_a_nightly_export_links_the_untouched_months_and_equals_a_full_one(
    monthly: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    before = _publish(monthly, root, RUNS[0])
    old = _inodes(before)
    _night(monthly)

    nightly = export_parquet(monthly, root, RUNS[1], since=SINCE, previous=before)
    full = export_parquet(monthly, tmp_path / "full", RUNS[1])

    assert _rows(nightly) == _rows(full)
    assert _rows(nightly)["marts.fct_contacts"] == _table_rows(
        monthly, "marts.fct_contacts"
    )
    new = _inodes(nightly)
    assert sorted(new) == sorted(old)
    linked = sorted(name for name in new if new[name] == old[name])
    assert linked == [
        "marts/fct_contacts/month=2026-01/data_0.parquet",
        "marts/fct_contacts/month=2026-02/data_0.parquet",
    ]
    # The previous export is whole, for the readers who still read it.
    assert _inodes(before) == old
    assert _rows(before)["marts.fct_contacts"] != _rows(nightly)["marts.fct_contacts"]


def test_without_hard_links_every_month_is_written(
    monthly: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "parquet"
    before = _publish(monthly, root, RUNS[0])
    _night(monthly)

    def cross_device(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    _assert_written_whole(monthly, root, before, tmp_path)


def test_a_previous_export_with_other_columns_is_not_reused(
    monthly: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    before = _publish(monthly, root, RUNS[0])
    with duckdb.connect(str(monthly)) as connection:  # what a --full-refresh may do
        connection.execute("alter table marts.fct_contacts add column queue_id text")
    _assert_written_whole(monthly, root, before, tmp_path)


def test_a_sigkill_during_a_nightly_export_leaves_the_published_one_intact(
    monthly: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    before = _publish(monthly, root, RUNS[0])
    rows, inodes = _rows(before), _inodes(before)
    _night(monthly)
    arguments = [str(monthly), str(root), RUNS[1], SINCE.isoformat(), str(before)]
    said = _kill_export_after("_export_months", *arguments)
    assert said == "_export_months done\n"
    partial = root / f".partial-{RUNS[1]}"
    assert set(_inodes(before).values()) & set(_inodes(partial).values())

    remove_stale_exports(root)  # the next run: the links go, the files stay
    assert current_export(root) == before
    assert sorted(p.name for p in root.iterdir()) == [RUNS[0], "current"]
    assert _inodes(before) == inodes
    assert _rows(before) == rows
    assert publish.MONTHLY[("marts", "fct_contacts")] == "arrived_date"


def _assert_written_whole(
    monthly: Path, root: Path, before: Path, tmp_path: Path
) -> None:
    """A nightly export that may not reuse `before`: every file new, the rows those
    of a full export."""
    nightly = export_parquet(monthly, root, RUNS[1], since=SINCE, previous=before)
    assert _rows(nightly) == _rows(export_parquet(monthly, tmp_path / "full", RUNS[1]))
    assert not set(_inodes(nightly).values()) & set(_inodes(before).values())
