"""The Parquet export: complete or invisible, pruned only after the new one is
published, and a run killed while exporting never costs the previous export."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly.publish import (
    current_export,
    export_parquet,
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


#: Exports like the run does, but stops for good after the first table is written,
#: so the parent can SIGKILL it mid-export at a known point.
KILLED_EXPORT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from opsmart.nightly import publish

    write_table = publish._export_table

    def then_hang(*args):
        write_table(*args)
        print("one table written", flush=True)
        time.sleep(3600)

    publish._export_table = then_hang
    publish.export_parquet(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
    """
)


def test_a_sigkill_during_the_export_never_costs_the_previous_export(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "parquet"
    _publish(warehouse, root, RUNS[0])
    _publish(warehouse, root, RUNS[1])
    before = {run: _exported(root / run) for run in RUNS[:2]}

    with subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, str(warehouse), str(root), RUNS[2]],
        stdout=subprocess.PIPE,
        text=True,
    ) as export:
        try:
            assert export.stdout is not None
            said = export.stdout.readline()
        finally:
            export.send_signal(signal.SIGKILL)
    assert said == "one table written\n"

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
