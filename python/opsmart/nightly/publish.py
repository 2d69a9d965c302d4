"""Build in a private copy, then publish it in one atomic step.

Analysts keep the published DuckDB file open while the nightly job runs. DuckDB lets
many read-only processes share a file but no writer beside them, and a build that dies
halfway would leave half-written marts. So a run never opens the published file for
writing:

1. `make_work_copy` copies the published warehouse into a folder of the run's own
   (or starts empty for a full rebuild);
2. the run loads, builds and validates that copy;
3. `export_parquet` writes the public marts into a hidden folder beside the old
   exports and renames it to `<run_id>` only when every file is on disk;
4. `publish` renames the copy over the published file (`os.replace`: atomic on one
   file system); `publish_export` then points the `current` link at the new export,
   also by rename, and only then removes the exports older than the previous one.

A reader that opened the old file keeps its open file (POSIX keeps the old inode alive)
and sees the old state to the end of its session; a new connection sees the new state.
A run that fails or is killed before step 4 leaves the published files untouched,
the previous exports included; the next run removes what it left
(`remove_stale_work`, `remove_stale_exports`).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

from opsmart.nightly._durable import fsync
from opsmart.nightly.connection import connect
from opsmart.nightly.runlog import is_run_id

__all__ = [
    "PUBLIC_SCHEMAS",
    "current_export",
    "export_parquet",
    "make_work_copy",
    "public_tables",
    "publish",
    "publish_export",
    "remove_stale_exports",
    "remove_stale_work",
]

log = logging.getLogger(__name__)

#: Schemas analysts read; they alone are exported to Parquet. The others (raw,
#: staging, audit) are restricted: they hold raw survey comments, personal data
#: that public models carry only masked (docs/data_contract.md, "Personal data").
PUBLIC_SCHEMAS = ("marts", "reports")

#: An export being written: `<export_root>/.partial-<run_id>/`.
_PARTIAL = ".partial-"
#: The `current` link being replaced: `<export_root>/.current.<run_id>`.
_STAGED_LINK = ".current."


def public_tables(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The (schema, table) of every table in :data:`PUBLIC_SCHEMAS`, sorted.

    The Parquet export and the run log's row counts both list the tables through
    it, so they always cover the same ones.
    """
    return connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in "
        f"({', '.join('?' for _ in PUBLIC_SCHEMAS)}) order by 1, 2",
        list(PUBLIC_SCHEMAS),
    ).fetchall()


def make_work_copy(published: Path, work_dir: Path, *, fresh: bool) -> Path:
    """Return the path of a private, writable copy of `published` in `work_dir`.

    With `fresh` (or no published warehouse yet) the copy starts empty: the run
    rebuilds everything from the landing files.
    """
    work_dir.mkdir(parents=True)
    work = work_dir / published.name
    if not fresh and published.exists():
        shutil.copyfile(published, work)
    return work


def export_parquet(warehouse: Path, export_root: Path, run_id: str) -> Path:
    """Write every table of the public schemas to `<export_root>/<run_id>/`.

    One file per table, `<schema>/<table>.parquet`. The files are written into
    `.partial-<run_id>/`, flushed to disk, and the folder is renamed to `<run_id>`
    last: a run killed while exporting leaves only a hidden partial folder, which
    nothing reads and the next run removes. The export is not `current` until
    `publish_export` flips the link.
    """
    target = export_root / run_id
    partial = export_root / f"{_PARTIAL}{run_id}"
    partial.mkdir(parents=True)
    with connect(warehouse, read_only=True) as connection:
        tables = public_tables(connection)
        for schema, table in tables:
            (partial / schema).mkdir(exist_ok=True)
            _export_table(connection, schema, table, partial / schema)
    for path in [*partial.rglob("*"), partial]:
        fsync(path)
    os.rename(partial, target)
    fsync(export_root)
    log.info("exported %d tables to %s", len(tables), target)
    return target


def publish(work: Path, published: Path) -> None:
    """Atomically replace `published` by `work`.

    `work` must be closed (no open connection, no `.wal`), so the file alone is the
    whole database.
    """
    wal = work.with_name(work.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{work} still has a write-ahead log; close it first")
    published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work, published)


def publish_export(export: Path) -> None:
    """Point `current` at `export` (atomically), then prune the older exports.

    Kept: `export` and the export `current` pointed to until now, which readers may
    still be reading. Removed: every other export folder (a run id), such as older
    runs or an incomplete folder an earlier version left when it was killed. An old
    export that cannot be removed is logged and left for the next run: the new one
    is published either way.
    """
    root = export.parent
    previous = current_export(root)
    link = root / "current"
    staged = root / f"{_STAGED_LINK}{export.name}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(export.name, target_is_directory=True)
    os.replace(staged, link)
    keep = {export.name} | ({previous.name} if previous is not None else set())
    for folder in root.iterdir():
        if (
            folder.name not in keep
            and is_run_id(folder.name)
            and folder.is_dir()
            and not folder.is_symlink()
        ):
            try:
                shutil.rmtree(folder)
            except OSError as error:
                log.warning("old export %s not removed: %s", folder, error)


def current_export(export_root: Path) -> Path | None:
    """The published Parquet export folder, or None before the first run."""
    link = export_root / "current"
    return link.resolve() if link.exists() else None


def remove_stale_work(work_root: Path) -> None:
    """Delete what earlier runs (failed or killed) left in the work folder."""
    if work_root.is_dir():
        shutil.rmtree(work_root)


def remove_stale_exports(export_root: Path) -> None:
    """Delete the partial exports and staged links that killed runs left.

    Call it holding the run lock: then no other run is writing one.
    """
    if not export_root.is_dir():
        return
    for entry in export_root.iterdir():
        if entry.name.startswith(_STAGED_LINK):
            entry.unlink()
        elif entry.name.startswith(_PARTIAL):
            shutil.rmtree(entry)


def _export_table(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str, folder: Path
) -> None:
    """Write one table to `<folder>/<table>.parquet`.

    Through the relation API, so the path is never spliced into SQL (a quote in
    the warehouse's folder name broke `copy ... to '<path>'`).
    """
    relation = connection.table(f'"{schema}"."{table}"')
    relation.write_parquet(str(folder / f"{table}.parquet"))
