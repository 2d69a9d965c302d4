"""Build in a private copy, then publish it in one atomic step.

Analysts keep the published DuckDB file open while the nightly job runs. DuckDB lets
many read-only processes share a file but no writer beside them, and a build that dies
halfway would leave half-written marts. So a run never opens the published file for
writing:

1. `make_work_copy` copies the published warehouse into a folder of the run's own
   (or starts empty for a full rebuild);
2. the run loads, builds and validates that copy;
3. `export_parquet` writes the public marts to a new folder beside the old exports;
4. `publish` renames the copy over the published file (`os.replace`: atomic on one
   file system) and points the `current` link at the new export, also by rename.

A reader that opened the old file keeps its open file (POSIX keeps the old inode alive)
and sees the old state to the end of its session; a new connection sees the new state.
A run that fails or is killed before step 4 leaves the published files untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from opsmart.nightly.connection import connect

__all__ = [
    "PUBLIC_SCHEMAS",
    "current_export",
    "export_parquet",
    "make_work_copy",
    "publish",
    "remove_stale_work",
]

log = logging.getLogger(__name__)

#: Schemas analysts read; they alone are exported to Parquet. The others (raw,
#: staging, audit) are restricted: they hold raw survey comments, personal data
#: that public models carry only masked (docs/data_contract.md, "Personal data").
PUBLIC_SCHEMAS = ("marts", "reports")

_KEEP_EXPORTS = 2


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

    One file per table, `<schema>/<table>.parquet`; the folder is not visible as
    `current` until `publish` flips the link.
    """
    target = export_root / run_id
    target.mkdir(parents=True)
    with connect(warehouse, read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in "
            f"({', '.join('?' for _ in PUBLIC_SCHEMAS)}) order by 1, 2",
            list(PUBLIC_SCHEMAS),
        ).fetchall()
        for schema, table in tables:
            (target / schema).mkdir(exist_ok=True)
            path = target / schema / f"{table}.parquet"
            connection.execute(
                f'copy "{schema}"."{table}" to \'{path}\' (format parquet)'
            )
    log.info("exported %d tables to %s", len(tables), target)
    return target


def publish(work: Path, published: Path, export: Path | None = None) -> None:
    """Atomically replace `published` by `work`, then point `current` at `export`.

    `work` must be closed (no open connection, no `.wal`), so the file alone is the
    whole database.
    """
    wal = work.with_name(work.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{work} still has a write-ahead log; close it first")
    published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work, published)
    if export is not None:
        link = export.parent / "current"
        staged = export.parent / f".current.{export.name}"
        staged.unlink(missing_ok=True)
        staged.symlink_to(export.name, target_is_directory=True)
        os.replace(staged, link)
        _prune_exports(export.parent, keep=export.name)


def current_export(export_root: Path) -> Path | None:
    """The published Parquet export folder, or None before the first run."""
    link = export_root / "current"
    return link.resolve() if link.exists() else None


def remove_stale_work(work_root: Path) -> None:
    """Delete what earlier runs (failed or killed) left in the work folder."""
    if work_root.is_dir():
        shutil.rmtree(work_root)


def _prune_exports(export_root: Path, *, keep: str) -> None:
    """Keep the newest exports (readers may still be reading the previous one)."""
    runs = sorted(
        (p for p in export_root.iterdir() if p.is_dir() and not p.is_symlink()),
        key=lambda p: p.name,
    )
    for folder in runs[:-_KEEP_EXPORTS]:
        if folder.name != keep:
            shutil.rmtree(folder, ignore_errors=True)
