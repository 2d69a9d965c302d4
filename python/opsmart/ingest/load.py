"""`ingest`: load new landing files into ``raw.<source>``, bad rows to quarantine."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from opsmart.contract import (
    DEFAULTED_SOURCES,
    REQUIRED_SOURCES,
    SOURCES,
    LandingError,
)
from opsmart.ingest._landing import survey
from opsmart.ingest._loader import SourceLoader
from opsmart.ingest._plan import Planned, plan_files, single_format
from opsmart.ingest._readers import CHUNK_ROWS
from opsmart.ingest._sql import (
    CHECKED,
    REPEATED,
    SEEN,
    STAGE,
    create_tables,
    literal,
)
from opsmart.ingest.catalog import (
    CatalogQueue,
    catalog_in_force,
    register_catalog,
    seed_queue_ids,
    seed_queues,
)
from opsmart.ingest.report import FileLoad, IngestReport, NotLoadedFile, SkippedFile
from opsmart.ingest.rules import QUEUES_TABLE, Rule, rules_for
from opsmart.ingest.settings import LoadSettings
from opsmart.ingest.span import plausible_span, set_aside_out_of_span

__all__ = ["CatalogQueue", "ingest", "seed_queue_ids", "seed_queues"]

log = logging.getLogger(__name__)


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
    ``raw.<source>``, each contract column typed by the contract (a TIMESTAMPTZ, a
    DOUBLE, a BIGINT, a BOOLEAN, a DATE or text; then ``_source_file``,
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
    _check_arguments(load_id=load_id, chunk_rows=chunk_rows, queues=queues)
    settings = settings or LoadSettings()
    plan = _plan_landing(connection, landing_dir)
    committed = _Committed(plan.landing, progress)
    with _load_session(connection):
        queue_catalog = _load_sources(
            connection,
            plan.planned,
            queues=queues,
            settings=settings,
            load_id=load_id,
            chunk_rows=chunk_rows,
            committed=committed,
        )
        span_line, moved = _set_aside_out_of_span(
            connection, load_id=load_id, settings=settings
        )
    loads = committed.loads
    if moved:
        loads = [_with_moved(plan.landing, load, moved) for load in loads]
        if progress is not None:
            progress(_moved_line(moved, span_line))
    return IngestReport(
        landing_dir=plan.landing,
        load_id=load_id,
        file_format=plan.file_format,
        files=tuple(loads),
        skipped=tuple(plan.skipped),
        not_loaded=tuple(plan.not_loaded),
        missing=_missing_sources(connection),
        seconds=time.perf_counter() - started,
        plausible_span=span_line,
        queue_catalog=queue_catalog,
    )


@dataclass(frozen=True)
class _LandingPlan:
    """The landing folder sorted out before anything is loaded."""

    landing: Path
    file_format: str
    planned: list[Planned]
    skipped: list[SkippedFile]
    #: Every file not loaded, the re-deliveries included, sorted by path.
    not_loaded: list[NotLoadedFile]


class _Committed:
    """The files committed so far, each logged and reported the moment it lands.

    Kept outside the loaders because a failing file's message counts the files of
    the whole run that stay loaded, whichever source they belong to.
    """

    def __init__(self, landing: Path, progress: Callable[[str], None] | None) -> None:
        self.landing = landing
        self.progress = progress
        self.loads: list[FileLoad] = []

    def record(self, load: FileLoad) -> None:
        """Keep `load` for the report, and say it was loaded: on the progress
        callback when there is one (the command line), else in the log; not both,
        which printed every file twice."""
        self.loads.append(load)
        if self.progress is not None:
            self.progress(_progress_line(self.landing, load))
            return
        log.info(
            "%s: %d read, %d loaded, %d quarantined",
            load.path,
            load.rows_read,
            load.rows_loaded,
            load.rows_quarantined,
        )


def _check_arguments(
    *, load_id: str, chunk_rows: int, queues: Collection[CatalogQueue] | None
) -> None:
    """Refuse the arguments :func:`ingest` documents as errors, before any work."""
    if not isinstance(load_id, str) or not load_id.strip():
        raise ValueError(f"`load_id` must be a non-empty string, got {load_id!r}")
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int):
        raise TypeError(f"`chunk_rows` must be an int, got {chunk_rows!r}")
    if chunk_rows < 1:
        raise ValueError(f"`chunk_rows` must be >= 1, got {chunk_rows}")
    if isinstance(queues, str):
        raise TypeError(f"`queues` must be a collection of queues, got {queues!r}")


def _plan_landing(
    connection: duckdb.DuckDBPyConnection, landing_dir: Path | str
) -> _LandingPlan:
    """List and hash the landing files, and decide which to load (:mod:`._plan`).

    Every whole-file problem (a missing folder, mixed formats, a bad header, a file
    changed since it was loaded) is raised here, before a row is written.
    """
    landing = Path(landing_dir).resolve()
    if not landing.is_dir():
        raise LandingError(f"landing directory {landing} does not exist")
    landing_files = survey(landing)
    found = landing_files.found
    file_format = single_format(landing, found)

    for table in create_tables(connection):
        log.warning("%s: raw columns converted from text to their types", table)
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
    return _LandingPlan(landing, file_format, planned, skipped, not_loaded)


@contextmanager
def _load_session(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Read timestamps in UTC while loading; leave the session as it was found."""
    (zone,) = _one(connection, "select current_setting('TimeZone')")
    connection.execute("set TimeZone = 'UTC'")  # a timestamp without offset is UTC
    try:
        yield
    finally:
        for table in (STAGE, CHECKED, SEEN, REPEATED, QUEUES_TABLE):
            connection.execute(f"drop table if exists temp.main.{table}")
        connection.execute(f"set TimeZone = {literal(str(zone))}")


def _load_sources(
    connection: duckdb.DuckDBPyConnection,
    planned: list[Planned],
    *,
    queues: Collection[CatalogQueue] | None,
    settings: LoadSettings,
    load_id: str,
    chunk_rows: int,
    committed: _Committed,
) -> str:
    """Load the planned files of every source; where the queue catalog came from."""

    def load(source: str, rules: tuple[Rule, ...]) -> None:
        items = [item for item in planned if item.source == source]
        _load_source(
            connection,
            source,
            items,
            load_id=load_id,
            rules=rules,
            chunk_rows=chunk_rows,
            committed=committed,
        )

    # The queue catalog first: the other sources are checked against it.
    load("queues", rules_for("queues", settings))
    catalog, queue_catalog = catalog_in_force(connection, queues)
    register_catalog(connection, catalog or (), settings)
    for source in SOURCES:
        if source != "queues":
            load(source, rules_for(source, settings, with_queues=bool(catalog)))
    return queue_catalog


def _load_source(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    items: list[Planned],
    *,
    load_id: str,
    rules: tuple[Rule, ...],
    chunk_rows: int,
    committed: _Committed,
) -> None:
    """Load the new files of one source, saying what stays loaded if one fails."""
    if not items:
        return
    loader = SourceLoader(
        connection, source, load_id=load_id, rules=rules, chunk_rows=chunk_rows
    )
    try:
        loader.load(items, committed.record)
    except LandingError as error:
        raise LandingError(
            f"{error}; this file and the file(s) loaded with it in one "
            f"transaction were rolled back ({len(committed.loads)} file(s) of this "
            "run stay loaded); fix it and run again"
        ) from None


def _set_aside_out_of_span(
    connection: duckdb.DuckDBPyConnection, *, load_id: str, settings: LoadSettings
) -> tuple[str, dict[str, Counter[str]]]:
    """The span check (:mod:`.span`): the span as text, and the rows moved per file."""
    span = plausible_span(
        connection,
        margin_days=settings.timestamp_span_margin_days,
        now=settings.now or datetime.now(UTC),
    )
    moved = set_aside_out_of_span(connection, load_id=load_id, span=span)
    return span.describe(), moved


def _missing_sources(connection: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The optional sources with no rows at all, from this load or an earlier one."""
    return tuple(
        source
        for source in SOURCES
        if source not in REQUIRED_SOURCES | DEFAULTED_SOURCES
        and _one(connection, f"select count(*) from raw.{source}")[0] == 0
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


def _moved_line(moved: dict[str, Counter[str]], span_line: str) -> str:
    """The progress line for the rows the span check set aside, of every file."""
    count = sum(sum(counter.values()) for counter in moved.values())
    return (
        f"{count:,} row(s) set aside: a timestamp outside the data's "
        f"plausible span {span_line}"
    )


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
