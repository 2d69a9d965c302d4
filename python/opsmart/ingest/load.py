"""`ingest`: load new landing files into ``raw.<source>``, bad rows to quarantine."""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from opsmart.contract import (
    DEFAULTED_SOURCES,
    REQUIRED_SOURCES,
    SOURCES,
    LandingError,
)
from opsmart.ingest._landing import survey
from opsmart.ingest._plan import Planned, plan_files, single_format
from opsmart.ingest._readers import (
    CHUNK_ROWS,
    Chunk,
    read_chunks,
)
from opsmart.ingest._sql import (
    CHECKED,
    STAGE,
    check_sql,
    counts_sql,
    create_tables,
    duplicates_sql,
    literal,
    malformed_insert_sql,
    quarantine_insert_sql,
    raw_insert_sql,
)
from opsmart.ingest.catalog import (
    CatalogQueue,
    catalog_in_force,
    register_catalog,
    seed_queue_ids,
    seed_queues,
)
from opsmart.ingest.report import (
    FileLoad,
    IngestReport,
)
from opsmart.ingest.rules import MALFORMED_ROW, QUEUES_TABLE, Rule, rules_for
from opsmart.ingest.settings import LoadSettings
from opsmart.ingest.span import plausible_span, set_aside_out_of_span

__all__ = ["CatalogQueue", "ingest", "seed_queue_ids", "seed_queues"]

log = logging.getLogger(__name__)

_CHUNK_VIEW = "_ingest_chunk"
_MALFORMED_VIEW = "_ingest_malformed"


def ingest(
    connection: duckdb.DuckDBPyConnection,
    landing_dir: Path | str,
    *,
    load_id: str,
    queues: Collection[CatalogQueue] | None = None,
    settings: LoadSettings | None = None,
    progress: Callable[[str], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> IngestReport:
    r"""Load every new landing file into the warehouse's raw tables, row checked.

    Each ``<landing>/<source>/*.csv`` (or ``*.csv.gz``, ``*.parquet``, in any case)
    file not yet in ``raw.loaded_files`` is read, in sorted path order, into
    ``raw.<source>`` as text (one VARCHAR per contract column, then ``_source_file``,
    ``_source_row``, ``_load_id``). Rows that break the contract go to
    ``audit.quarantine`` instead, with file, row and reason (rules in
    :mod:`opsmart.ingest.rules`, codes in ``docs/quarantine.md``). The checks run
    in SQL over batches of `chunk_rows` rows; transactions hold whole files, so a
    file is loaded whole and recorded in ``raw.loaded_files`` (``rows_read =
    rows_loaded + rows_quarantined``), or not at all. Every other file under
    `landing_dir` is listed in the report's ``not_loaded`` with the reason
    (:mod:`opsmart.ingest._landing`): hidden, in a sub-folder, a symbolic link,
    another format, or the same bytes as a file already loaded (a re-delivery under
    a new name, which is not read again).

    Parameters
    ----------
    connection
        An open DuckDB connection to the warehouse, not inside a transaction.
    landing_dir
        Folder with one sub-folder per source (``contacts/``, ``costs/``, ...).
    load_id
        Identifies this load in every row written (e.g. the run id).
    queues
        The project's queue catalog (:func:`seed_queues`). A catalog in the landing
        folder (``queues/``, loaded first, in this or an earlier load) replaces it.
        With a catalog, contacts and agent intervals of any other queue are
        quarantined (``unknown_queue``), as are contacts on another channel than
        their queue's (``channel_not_of_queue``).
    settings
        The pipeline's settings the rules depend on (interval, time zone, the span
        margin; :class:`LoadSettings`); defaults when None.
    progress
        Called with one line per loaded file.
    chunk_rows
        Rows checked per SQL batch (and the least per transaction); memory use
        grows with it.

    Returns
    -------
    IngestReport

    Raises
    ------
    LandingError
        For whole-file problems, with the file (and line/column where known): the
        landing folder is missing, it mixes CSV and Parquet, ``contacts`` has no files
        and none were loaded before, a file is empty, not UTF-8, not readable CSV or
        Parquet, lacks a required column, repeats a column, or changed since an
        earlier load. Headers and changes are checked before anything is loaded; a
        file found unreadable while loading is rolled back with the files of its
        transaction, the files committed before stay loaded (running again
        continues after them).
    ValueError
        If `load_id` is empty or `chunk_rows` < 1.
    TypeError
        If `chunk_rows` is not an int, or `queues` is a single string.
    OSError
        If the machine refuses: a folder or file without read permission.

    Notes
    -----
    Idempotent: a file already loaded with the same SHA-256 is skipped, so running
    again over the same landing folder loads nothing. Landing files are append-only;
    corrections go in a new file (later versions of entity rows win in staging;
    a repeated event key is quarantined as a duplicate). After every file is loaded,
    this load's rows with a timestamp outside the data's plausible span are moved to
    quarantine (:mod:`opsmart.ingest.span`).

    Examples
    --------
    >>> import tempfile
    >>> landing = Path(tempfile.mkdtemp())
    >>> (landing / "contacts").mkdir()
    >>> _ = (landing / "contacts" / "a.csv").write_text(
    ...     "contact_id,queue_id,channel,arrived_at,ended_at,outcome\n"
    ...     "c1,q1,voice,2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,abandoned\n"
    ...     "c2,q1,fax,2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,abandoned\n"
    ... )
    >>> report = ingest(duckdb.connect(), landing, load_id="run-1")
    >>> report.totals["contacts"]
    {'files': 1, 'rows_read': 2, 'rows_loaded': 1, 'rows_quarantined': 1}
    >>> report.quarantined
    {'contacts': {'unknown_channel': 1}}
    """
    started = time.perf_counter()
    if not isinstance(load_id, str) or not load_id.strip():
        raise ValueError(f"`load_id` must be a non-empty string, got {load_id!r}")
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int):
        raise TypeError(f"`chunk_rows` must be an int, got {chunk_rows!r}")
    if chunk_rows < 1:
        raise ValueError(f"`chunk_rows` must be >= 1, got {chunk_rows}")
    if isinstance(queues, str):
        raise TypeError(f"`queues` must be a collection of queues, got {queues!r}")
    settings = settings or LoadSettings()
    landing = Path(landing_dir).resolve()
    if not landing.is_dir():
        raise LandingError(f"landing directory {landing} does not exist")
    landing_files = survey(landing)
    found = landing_files.found
    file_format = single_format(landing, found)

    create_tables(connection)
    planned, skipped, repeats = plan_files(
        connection, landing, found, landing_files.not_loaded
    )
    not_loaded = sorted(
        [*landing_files.not_loaded, *repeats], key=lambda item: item.path
    )
    log.info(
        "ingest %s: %d new file(s), %d already loaded, %d not loaded",
        landing,
        len(planned),
        len(skipped),
        len(not_loaded),
    )

    (zone,) = _one(connection, "select current_setting('TimeZone')")
    connection.execute("set TimeZone = 'UTC'")  # a timestamp without offset is UTC
    loads: list[FileLoad] = []

    def done(load: FileLoad) -> None:
        loads.append(load)
        if progress is not None:
            progress(_progress_line(landing, load))

    def load_source(source: str, rules: tuple[Rule, ...]) -> None:
        items = [item for item in planned if item.source == source]
        if not items:
            return
        loader = _SourceLoader(
            connection, source, load_id=load_id, rules=rules, chunk_rows=chunk_rows
        )
        try:
            loader.load(items, done)
        except LandingError as error:
            raise LandingError(
                f"{error}; this file and the file(s) loaded with it in one "
                f"transaction were rolled back ({len(loads)} file(s) of this run "
                "stay loaded); fix it and run again"
            ) from None

    span_line: str | None = None
    queue_catalog = ""
    moved: dict[str, Counter[str]] = {}
    try:
        # The queue catalog first: the other sources are checked against it.
        load_source("queues", rules_for("queues", settings))
        catalog, queue_catalog = catalog_in_force(connection, queues)
        register_catalog(connection, catalog or (), settings)
        for source in SOURCES:
            if source != "queues":
                load_source(
                    source, rules_for(source, settings, with_queues=bool(catalog))
                )
        span = plausible_span(
            connection,
            margin_days=settings.timestamp_span_margin_days,
            now=settings.now or datetime.now(UTC),
        )
        moved = set_aside_out_of_span(connection, load_id=load_id, span=span)
        span_line = span.describe()
    finally:
        for table in (STAGE, CHECKED, QUEUES_TABLE):
            connection.execute(f"drop table if exists temp.main.{table}")
        connection.execute(f"set TimeZone = {literal(str(zone))}")
    if moved:
        loads = [_with_moved(landing, load, moved) for load in loads]
        if progress is not None:
            count = sum(sum(counter.values()) for counter in moved.values())
            progress(
                f"{count:,} row(s) set aside: a timestamp outside the data's "
                f"plausible span {span_line}"
            )

    missing = tuple(
        source
        for source in SOURCES
        if source not in REQUIRED_SOURCES | DEFAULTED_SOURCES
        and _one(connection, f"select count(*) from raw.{source}")[0] == 0
    )
    return IngestReport(
        landing_dir=landing,
        load_id=load_id,
        file_format=file_format,
        files=tuple(loads),
        skipped=tuple(skipped),
        not_loaded=tuple(not_loaded),
        missing=missing,
        seconds=time.perf_counter() - started,
        plausible_span=span_line,
        queue_catalog=queue_catalog,
    )


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[object, ...]:
    row = connection.execute(sql).fetchone()
    assert row is not None  # an aggregate or setting always returns one row
    return tuple(row)


def _with_moved(
    landing: Path, load: FileLoad, moved: dict[str, Counter[str]]
) -> FileLoad:
    """`load` after the span check moved some of its rows to quarantine."""
    key = load.path.relative_to(landing).as_posix()
    extra = moved.get(key)
    if not extra:
        return load
    count = sum(extra.values())
    return dataclasses.replace(
        load,
        rows_loaded=load.rows_loaded - count,
        rows_quarantined=load.rows_quarantined + count,
        quarantined=dict(sorted((Counter(load.quarantined) + extra).items())),
    )


class _SourceLoader:
    """Loads the new files of one source in batches of about `chunk_rows` rows.

    Files are staged chunk by chunk into ``_ingest_stage``; whenever it holds
    `chunk_rows` rows the batch is checked in SQL and written to ``raw`` and
    ``audit.quarantine``. A transaction ends at the first file boundary after
    `chunk_rows` rows (and at the last file), recording its files in
    ``raw.loaded_files``: a file is loaded whole or not at all.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection,
        source: str,
        *,
        load_id: str,
        rules: tuple[Rule, ...],
        chunk_rows: int,
    ) -> None:
        self.connection = connection
        self.source = source
        self.load_id = load_id
        self.chunk_rows = chunk_rows
        self.names = [c.name for c in SOURCES[source]]
        self.checks = check_sql(source, rules)
        self.duplicates = duplicates_sql(source)
        self.to_raw = raw_insert_sql(source, load_id)
        self.to_quarantine = quarantine_insert_sql(source, load_id)
        self.staged = 0
        self.in_transaction = 0
        self.malformed: list[tuple[str, int, int, int, tuple[str, ...]]] = []
        self.pending: list[Planned] = []
        self.rows_read: Counter[str] = Counter()
        self.rows_loaded: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {}

    def load(self, items: list[Planned], done: Callable[[FileLoad], None]) -> None:
        """Load `items` (sorted by path), calling `done` for each committed file."""
        columns = ", ".join(f"{name} varchar" for name in self.names)
        self.connection.execute(
            f"create or replace temp table {STAGE} "
            f"({columns}, _source_file varchar, _source_row bigint)"
        )
        self.connection.begin()
        try:
            for item in items:
                self._read(item)
                self.pending.append(item)
                if self.in_transaction >= self.chunk_rows:
                    self._commit(done)
                    self.connection.begin()
            self._commit(done)
        except BaseException:
            self.connection.rollback()
            raise

    def _read(self, item: Planned) -> None:
        header = item.header
        path = item.key
        self.reasons[path] = Counter()
        render = ", ".join(
            header.render.get(name, "cast(null as varchar)") + f" as {name}"
            for name in self.names
        )
        stage = (
            f"insert into {STAGE} select {render}, {literal(path)}, _source_row "
            f"from {_CHUNK_VIEW}"
        )
        width = len(header.columns)
        for chunk in read_chunks(header, chunk_rows=self.chunk_rows):
            self.rows_read[path] += chunk.rows_read
            self.in_transaction += chunk.rows_read
            _stage(self.connection, stage, chunk, path)
            self.staged += int(chunk.table.num_rows)
            self.malformed += [(path, width, *record) for record in chunk.malformed]
            if self.staged + len(self.malformed) >= self.chunk_rows:
                self._flush()

    def _flush(self) -> None:
        """Check the staged rows and write them to raw and quarantine."""
        connection = self.connection
        if self.staged:
            connection.execute(self.checks)
            if self.duplicates is not None:
                connection.execute(self.duplicates)
            connection.execute(self.to_raw)
            connection.execute(self.to_quarantine)
            for path, code, count in connection.execute(counts_sql()).fetchall():
                if code is None:
                    self.rows_loaded[path] += int(count)
                else:
                    self.rows_loaded[path] -= int(count)
                    self.reasons[path][str(code)] += int(count)
            connection.execute(f"delete from {STAGE}")
            self.staged = 0
        if self.malformed:
            _quarantine_malformed(connection, self.malformed, self.source, self.load_id)
            for path, *_ in self.malformed:
                self.reasons[path][MALFORMED_ROW] += 1
            self.malformed = []

    def _commit(self, done: Callable[[FileLoad], None]) -> None:
        self._flush()
        loads = [self._file_load(item) for item in self.pending]
        for item, load in zip(self.pending, loads, strict=True):
            self.connection.execute(
                "insert into raw.loaded_files values (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    load.source,
                    item.key,
                    load.size_bytes,
                    load.sha256,
                    load.rows_read,
                    load.rows_loaded,
                    load.rows_quarantined,
                    self.load_id,
                ],
            )
        self.connection.commit()
        self.pending, self.in_transaction = [], 0
        for load in loads:
            log.info(
                "%s: %d read, %d loaded, %d quarantined",
                load.path,
                load.rows_read,
                load.rows_loaded,
                load.rows_quarantined,
            )
            done(load)

    def _file_load(self, item: Planned) -> FileLoad:
        path = item.key
        reasons = self.reasons.pop(path)
        load = FileLoad(
            source=self.source,
            path=item.header.path,
            size_bytes=item.size_bytes,
            sha256=item.sha256,
            rows_read=self.rows_read.pop(path, 0),
            rows_loaded=self.rows_loaded.pop(path, 0),
            rows_quarantined=sum(reasons.values()),
            quarantined=dict(sorted(reasons.items())),
            ignored_columns=item.header.ignored,
        )
        if load.rows_read != load.rows_loaded + load.rows_quarantined:
            raise RuntimeError(  # pragma: no cover - an internal invariant
                f"{path}: {load.rows_read} rows read but {load.rows_loaded} loaded "
                f"+ {load.rows_quarantined} quarantined"
            )
        return load


def _stage(
    connection: duckdb.DuckDBPyConnection, sql: str, chunk: Chunk, path: str
) -> None:
    connection.register(_CHUNK_VIEW, chunk.table)
    try:
        connection.execute(sql)
    except duckdb.Error as error:
        rows = chunk.table.column("_source_row")
        where = f"rows {rows[0]}-{rows[-1]}" if len(rows) else "rows"
        raise LandingError(
            f"{path}: {where} cannot be read as text ({error})"
        ) from None
    finally:
        connection.unregister(_CHUNK_VIEW)


def _quarantine_malformed(
    connection: duckdb.DuckDBPyConnection,
    malformed: list[tuple[str, int, int, int, tuple[str, ...]]],
    source: str,
    load_id: str,
) -> None:
    files, rows, reasons, records = [], [], [], []
    for path, width, first, last, fields in malformed:
        lines = f"line {first}" if first == last else f"lines {first}-{last}"
        files.append(path)
        rows.append(first)
        reasons.append(f"{lines}: {len(fields)} field(s) where the header has {width}")
        records.append(json.dumps({"_fields": list(fields)}, ensure_ascii=False))
    table = pa.table(
        {
            "source_file": pa.array(files, type=pa.string()),
            "source_row": pa.array(rows, type=pa.int64()),
            "reason": pa.array(reasons, type=pa.string()),
            "record": pa.array(records, type=pa.string()),
        }
    )
    connection.register(_MALFORMED_VIEW, table)
    try:
        connection.execute(malformed_insert_sql(source, load_id))
    finally:
        connection.unregister(_MALFORMED_VIEW)


def _progress_line(landing: Path, load: FileLoad) -> str:
    name = (
        load.path.relative_to(landing)
        if load.path.is_relative_to(landing)
        else load.path
    )
    return (
        f"{name}: {load.rows_read:,} read, {load.rows_loaded:,} loaded, "
        f"{load.rows_quarantined:,} quarantined"
    )
