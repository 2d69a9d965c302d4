"""Build in a private copy, then publish it in one atomic step.

Analysts keep the published DuckDB file open while the nightly job runs. DuckDB lets
many read-only processes share a file but no writer beside them, and a build that dies
halfway would leave half-written marts. So a run never opens the published file for
writing:

1. `make_work_copy` copies the published warehouse into a folder of the run's own
   (or starts empty for a full rebuild);
2. the run loads, builds and validates that copy;
3. `export_parquet` writes the public marts into a hidden folder beside the old
   exports and renames it to `<run_id>` only when every file is on disk (a nightly
   run writes only the months its window touched and hard-links the others from
   the export it starts from, see :data:`MONTHLY`);
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
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import duckdb

from opsmart.nightly._durable import fsync
from opsmart.nightly.connection import connect
from opsmart.nightly.runlog import is_run_id

__all__ = [
    "MONTHLY",
    "PUBLIC_SCHEMAS",
    "current_export",
    "export_parquet",
    "exported_tables",
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

#: The big incremental marts, exported one folder per month of this date column
#: (`<table>/month=YYYY-MM/`), so that a nightly run rewrites only the months its
#: window touched. A nightly dbt run changes their rows only from the window's
#: first day on (macro incremental_by_date): the months before are the same rows
#: as in the export the run started from. The other tables are small: one file.
MONTHLY = {
    ("marts", "fct_contacts"): "arrived_date",
    ("marts", "fct_customer_months"): "month_start_date",
    ("marts", "fct_agent_intervals"): "interval_date",
    ("marts", "fct_survey_responses"): "responded_date",
    ("marts", "fct_queue_intervals"): "interval_date",
}
#: Tables written at a time. A Parquet write keeps DuckDB's threads busy only part
#: of the time (a small table, a file's footer and close are one thread's work):
#: the bench year's export took 9.6 s one table at a time, 7.3-7.7 s two at a
#: time, for the same CPU (issue 19).
EXPORT_THREADS = 2
#: The Hive partition key of a monthly table's folders, and the folder of its rows
#: without a date (DuckDB's name; pyarrow and Spark read it as null).
_KEY = "month"
_NO_MONTH = "__HIVE_DEFAULT_PARTITION__"
_MONTH = re.compile(rf"{_KEY}=\d{{4}}-\d{{2}}")

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


def export_parquet(
    warehouse: Path,
    export_root: Path,
    run_id: str,
    *,
    since: date | None = None,
    previous: Path | None = None,
) -> Path:
    """Write every table of the public schemas to `<export_root>/<run_id>/`.

    One file per table, `<schema>/<table>.parquet`, except the big incremental marts
    (:data:`MONTHLY`): one folder per month, `<schema>/<table>/month=YYYY-MM/`
    (Hive-style, read with `read_parquet('<table>/**/*.parquet')`).

    `since` is the first day the run may have changed (its window start) and
    `previous` the export of the warehouse the run started from: then a monthly
    table's months before the month of `since` are the previous export's files,
    hard-linked (no copy; the previous export stays whole for its readers), and
    only the later months are written. Without either (a full build), or when a
    link fails (another file system) or the previous export lacks the table or
    has other columns, the table is written whole.

    The files are written into `.partial-<run_id>/`, flushed to disk, and the folder
    is renamed to `<run_id>` last: a run killed while exporting leaves only a hidden
    partial folder, which nothing reads and the next run removes. The export is not
    `current` until `publish_export` flips the link.
    """
    target = export_root / run_id
    partial = export_root / f"{_PARTIAL}{run_id}"
    partial.mkdir(parents=True)
    with connect(warehouse, read_only=True) as connection:
        tables = public_tables(connection)
        for schema in sorted({schema for schema, _ in tables}):
            (partial / schema).mkdir()

        def export(name: tuple[str, str]) -> int:
            """Write one table; the number of months linked from `previous`."""
            schema, table = name
            with connection.cursor() as cursor:  # a connection per thread
                column = MONTHLY.get((schema, table))
                if column is None:
                    _export_table(cursor, schema, table, partial / schema)
                    return 0
                old = previous / schema / table if previous is not None else None
                return _export_months(
                    cursor, schema, table, column, partial / schema, since, old
                )

        # The big monthly tables first, so that the small ones fill in beside them.
        order = sorted(tables, key=lambda name: name not in MONTHLY)
        with ThreadPoolExecutor(EXPORT_THREADS) as pool:
            reused = sum(pool.map(export, order))
    for path in [*partial.rglob("*"), partial]:
        fsync(path)
    os.rename(partial, target)
    fsync(export_root)
    log.info(
        "exported %d tables to %s (%d unchanged months linked from %s)",
        len(tables),
        target,
        reused,
        previous,
    )
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


def exported_tables(export: Path) -> dict[str, Path]:
    """Every table of an export folder: `schema.table` -> its file, or its folder
    of months (read it with `read_parquet('<folder>/**/*.parquet')`)."""
    return {
        f"{path.parent.name}.{path.name.removesuffix('.parquet')}": path
        for path in sorted(export.glob("*/*"))
        if path.suffix == ".parquet"
        or (path.is_dir() and any(path.glob("*/*.parquet")))
    }


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


def _export_months(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    column: str,
    folder: Path,
    since: date | None,
    previous: Path | None,
) -> int:
    """Write a monthly table to `<folder>/<table>/month=YYYY-MM/`; return how many
    months were linked from `previous` (see `export_parquet`)."""
    out = folder / table
    first = None if since is None else since.replace(day=1)
    if first is not None and previous is not None:
        old = _reusable_months(connection, schema, table, previous, first)
        if old:
            _write_months(connection, schema, table, column, out, first)
            try:
                for month in old:
                    (out / month.name).mkdir()
                    for file in month.iterdir():
                        os.link(file, out / month.name / file.name)
            except OSError as error:  # another file system, no links: write all
                log.info("%s.%s written whole: %s", schema, table, error)
                shutil.rmtree(out)
            else:
                return len(old)
    _write_months(connection, schema, table, column, out, None)
    return 0


def _reusable_months(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    previous: Path,
    first: date,
) -> list[Path]:
    """The month folders of `previous` before `first`, if its files have the
    table's columns (names and types); else none."""
    if not previous.is_dir():
        return []
    months = sorted(
        path
        for path in previous.iterdir()
        if path.is_dir()
        and _MONTH.fullmatch(path.name)
        and path.name < f"{_KEY}={first:%Y-%m}"
    )
    files = [file for month in months for file in month.iterdir()]
    if not files:
        return []
    columns = connection.table(f'"{schema}"."{table}"').limit(0)
    stored = connection.read_parquet(str(files[0])).limit(0)
    if (columns.columns, columns.types) != (stored.columns, stored.types):
        return []
    return months


def _write_months(
    connection: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    column: str,
    out: Path,
    first: date | None,
) -> None:
    """Write the table's rows dated on or after `first` (all without it), one file
    per month, and those without a date to `month=__HIVE_DEFAULT_PARTITION__/`.

    The month is the folder's name only: the files hold the table's own columns.
    One filtered write per month costs the CPU of writing the table as one file;
    DuckDB's `partition_by` took four times as long for fct_contacts.
    """
    relation = connection.table(f'"{schema}"."{table}"')
    quoted = f'"{column}"'
    months = [
        month
        for (month,) in relation.project(f"cast(date_trunc('month', {quoted}) as date)")
        .distinct()
        .fetchall()
        if first is None or month is None or month >= first
    ]
    out.mkdir()
    for month in months:
        if month is None:
            rows = relation.filter(f"{quoted} is null")
            name = _NO_MONTH
        else:
            following = (month + timedelta(days=31)).replace(day=1)
            rows = relation.filter(
                f"{quoted} >= date '{month.isoformat()}' "
                f"and {quoted} < date '{following.isoformat()}'"
            )
            name = f"{month:%Y-%m}"
        (out / f"{_KEY}={name}").mkdir()
        rows.write_parquet(str(out / f"{_KEY}={name}" / "data_0.parquet"))
    if first is None and not months:  # an empty table: one empty file keeps its columns
        (out / f"{_KEY}={_NO_MONTH}").mkdir()
        relation.write_parquet(str(out / f"{_KEY}={_NO_MONTH}" / "data_0.parquet"))
