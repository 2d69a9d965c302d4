"""Loading one source's new files: staged in batches, checked in SQL, committed whole.

The rows of a batch are checked together (:func:`~opsmart.ingest._sql.check_sql`), so
the rules run as a few set-based queries rather than once per row; transactions end
only at file boundaries, so a file is recorded in ``raw.loaded_files`` with all its
rows or not at all.

A batch of whole Parquet files that DuckDB reads itself is not copied: the stage is
a view of the files for that batch, read by each statement of the check and the
insert. Copying it was a quarter of a year's load, more than reading the files
again costs (issue 19).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import NoReturn

import duckdb
import pyarrow as pa

from opsmart.contract import SOURCES, LandingError
from opsmart.ingest._plan import Planned
from opsmart.ingest._readers import (
    SCAN_FILE,
    Chunk,
    FileHeader,
    duckdb_parquet_scan,
    read_chunks,
)
from opsmart.ingest._sql import (
    REPEATED,
    SEEN,
    STAGE,
    TYPED_PREFIX,
    check_sql,
    counts_sql,
    duplicates_sql,
    literal,
    malformed_insert_sql,
    quarantine_insert_sql,
    raw_insert_sql,
    stage_ddl,
    stage_insert_sql,
    stage_select_sql,
    stage_view_sql,
)
from opsmart.ingest.report import FileLoad
from opsmart.ingest.rules import MALFORMED_ROW, Rule

__all__ = ["SourceLoader"]

_CHUNK_VIEW = "_ingest_chunk"
_MALFORMED_VIEW = "_ingest_malformed"
#: The rows of a batch that is a view of whole Parquet files. Its statements stream
#: the files, so memory does not grow with it as with a copied batch; per-batch
#: costs (planning, reading each file's footer, the duplicate check's lookups) do
#: shrink: the bench year's load 15.6 -> 14.1-14.5 s against 400k-row batches, at
#: about the same peak (0.88-0.99 GB against 0.93).
VIEW_BATCH_ROWS = 1_000_000


class SourceLoader:
    """Loads the new files of one source in batches of about `chunk_rows` rows.

    Files are staged chunk by chunk into ``_ingest_stage``; whenever it holds
    `chunk_rows` rows the batch is checked in SQL and written to ``raw`` and
    ``audit.quarantine``. A batch of only whole Parquet files DuckDB reads is
    staged as a view of them instead (:meth:`_flush`), of up to
    :data:`VIEW_BATCH_ROWS` rows (:attr:`batch_rows`). A transaction ends at the
    first file boundary after a batch's rows (and at the last file), recording its
    files in ``raw.loaded_files``: a file is loaded whole or not at all.
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
        self.rules = rules
        #: The columns typed in every file staged since the last check (None:
        #: none staged yet): :func:`check_sql` checks less of their text.
        self.typed_text: frozenset[str] | None = None
        #: The columns staged typed, without text, in the batch (None: none staged
        #: yet); the same in every file of a batch.
        self.native: frozenset[str] | None = None
        self.duplicates = duplicates_sql(source)
        self.to_raw = raw_insert_sql(source, load_id)
        self.to_quarantine = quarantine_insert_sql(source, load_id)
        self.staged = 0
        #: Rows of the batch copied into the stage table (read by pyarrow).
        self.copied = 0
        #: Whether the transaction has copied rows: its batches are then of
        #: `chunk_rows` (:attr:`batch_rows`).
        self.copying = False
        self.in_transaction = 0
        #: Whole Parquet files counted as staged but not yet read, in runs of
        #: consecutive files of one group (:func:`_scan_group`): each run is read
        #: in one statement when the batch is checked, so raw keeps file order.
        self.unread: list[tuple[tuple[str, str], list[Planned]]] = []
        self.malformed: list[tuple[str, int, int, int, tuple[str, ...]]] = []
        self.pending: list[Planned] = []
        self.rows_read: Counter[str] = Counter()
        self.rows_loaded: Counter[str] = Counter()
        self.reasons: dict[str, Counter[str]] = {}

    def load(self, items: list[Planned], done: Callable[[FileLoad], None]) -> None:
        """Load `items` (sorted by path), calling `done` for each committed file."""
        self.connection.execute(stage_ddl(self.source))
        self.connection.begin()
        try:
            for item in items:
                self._read(item)
                self.pending.append(item)
                if self.in_transaction >= self.batch_rows:
                    self._commit(done)
                    self.connection.begin()
            self._commit(done)
        except BaseException:
            self.connection.rollback()
            raise

    @property
    def batch_rows(self) -> int:
        """Rows the batch takes before it is checked (and the transaction before it
        ends at a file boundary): `chunk_rows`, or :data:`VIEW_BATCH_ROWS` while the
        transaction has copied no rows (its batches are views of whole Parquet
        files, which copy nothing)."""
        return (
            self.chunk_rows if self.copying else max(self.chunk_rows, VIEW_BATCH_ROWS)
        )

    def _read(self, item: Planned) -> None:
        header = item.header
        path = item.key
        self.reasons[path] = Counter()
        native = frozenset(header.native)
        if self.native is not None and native != self.native:
            self._flush()  # a batch has one set of columns staged typed (check_sql)
        self.native = native
        typed = header.typed_text
        self.typed_text = typed if self.typed_text is None else self.typed_text & typed
        if header.duckdb_schema is not None and (header.rows or 0) <= self.chunk_rows:
            rows = header.rows or 0  # from the file's metadata; checked when read
            group = _scan_group(item)
            if self.unread and self.unread[-1][0] == group:
                self.unread[-1][1].append(item)
            else:
                self.unread.append((group, [item]))
            self.rows_read[path] += rows
            self.in_transaction += rows
            self.staged += rows
        else:
            stage = stage_insert_sql(
                self.source,
                f"select {self._render(header, literal(path))} from {_CHUNK_VIEW}",
                native,
            )
            width = len(header.columns)
            for chunk in read_chunks(header, chunk_rows=self.chunk_rows):
                self.rows_read[path] += chunk.rows_read
                self.in_transaction += chunk.rows_read
                _stage(self.connection, stage, chunk, path)
                self.staged += int(chunk.table.num_rows)
                self.copied += int(chunk.table.num_rows)
                self.copying = True
                self.malformed += [(path, width, *record) for record in chunk.malformed]
        if self.staged + len(self.malformed) >= self.batch_rows:
            self._flush()

    def _render(self, header: FileHeader, source_file: str) -> str:
        """SQL giving each contract column's text from the file's column (null for
        a column staged typed), the file, the row, and the typed values of the
        columns staged typed (:func:`stage_insert_sql`)."""
        text = [
            header.render.get(name, "cast(null as varchar)") + f" as {name}"
            for name in self.names
        ]
        typed = [
            f"{sql} as {TYPED_PREFIX}{name}" for name, sql in header.native.items()
        ]
        return ", ".join(
            [*text, f"{source_file} as _source_file", "_source_row", *typed]
        )

    def _read_unread(self) -> None:
        """Copy the counted Parquet files into the stage table, one DuckDB
        statement per run of consecutive files of one :func:`_scan_group`."""
        for group, items in self.unread:
            expected = sum(item.header.rows or 0 for item in items)
            try:
                (rows,) = _one(  # an insert returns the number of rows inserted
                    self.connection, f"insert into {STAGE} {self._scan(group, items)}"
                )
            except duckdb.Error as error:
                _unreadable(items, error, self.chunk_rows)
            if rows != expected:
                raise LandingError(
                    f"{items[0].header.path}: {expected} rows in the Parquet "
                    f"metadata of it and the {len(items) - 1} file(s) read with it, "
                    f"{rows} read"
                )
        self.unread = []

    def _scan(self, group: tuple[str, str], items: list[Planned]) -> str:
        """SQL selecting the rows of a run of Parquet files as the stage holds them.

        The key comes by a projection, not a join: the rows keep the files' order,
        as when each file was staged alone (raw stays date-sorted).
        """
        header = items[0].header
        scan = duckdb_parquet_scan([i.header.path for i in items], header.present)
        rows = f"select {self._render(header, group[1])} from ({scan})"
        return stage_select_sql(self.source, rows, header.native)

    def _flush(self) -> None:
        """Check the staged rows and write them to raw and quarantine.

        When the batch is only whole Parquet files not yet read, the stage is a
        view of them for the batch: a file DuckDB cannot read, or whose rows are
        not its metadata's, then stops the load at the first statement reading it.
        """
        connection = self.connection
        unread, as_view = self.unread, bool(self.unread) and not self.copied
        if as_view:
            connection.execute(f"drop table {STAGE}")
            connection.execute(
                stage_view_sql([self._scan(group, items) for group, items in unread])
            )
            self.unread = []
        else:
            self._read_unread()
        if self.staged or as_view:  # a view's row counts are checked, even none
            try:
                staged = self._check_and_write()
            except duckdb.Error as error:
                if not as_view:
                    raise
                files = [item for _, items in unread for item in items]
                _unreadable(files, error, self.chunk_rows)
            if as_view:
                _same_rows_as_metadata(unread, staged)
                connection.execute(f"drop view {STAGE}")
                connection.execute(stage_ddl(self.source))
            else:
                connection.execute(f"delete from {STAGE}")
            self.staged = self.copied = 0
        self.typed_text = self.native = None
        if self.malformed:
            _quarantine_malformed(connection, self.malformed, self.source, self.load_id)
            for path, *_ in self.malformed:
                self.reasons[path][MALFORMED_ROW] += 1
            self.malformed = []

    def _check_and_write(self) -> Counter[str]:
        """Check the batch, write it to raw and quarantine; the rows staged per file."""
        connection = self.connection
        connection.execute(
            check_sql(
                self.source,
                self.rules,
                self.typed_text or frozenset(),
                self.native or frozenset(),
            )
        )
        if self.duplicates is not None:
            self._check_duplicates()
        staged: Counter[str] = Counter()
        rejected = 0
        for path, code, count in connection.execute(counts_sql()).fetchall():
            if code is None:
                staged[path] += int(count)
                self.rows_loaded[path] += int(count)
            else:
                rejected += int(count)
                self.rows_loaded[path] -= int(count)
                self.reasons[path][str(code)] += int(count)
        connection.execute(self.to_raw)
        if rejected:  # else a join reading every staged row for none
            connection.execute(self.to_quarantine)
        return staged

    def _check_duplicates(self) -> None:
        """Add the batch's duplicates to the rejected rows (:class:`DuplicateCheck`).

        Usually a batch has none: no key twice in it, none in raw (where keys follow
        the files, raw has no row within the batch's key range at all). Then the
        statement that names each duplicate and its kept row does not run.
        """
        assert self.duplicates is not None
        connection = self.connection
        check = self.duplicates
        row = connection.execute(check.batch_bounds()).fetchone()
        bounds = tuple(row) if row is not None else ()
        (near,) = _one(connection, check.raw_near_exists(bounds))
        connection.execute(check.find_seen(bounds, near=bool(near)))
        connection.execute(check.find_repeated())
        (seen, repeated) = _one(
            connection,
            f"select (select count(*) from {SEEN}), (select count(*) from {REPEATED})",
        )
        if seen or repeated:
            connection.execute(check.insert(any_prior=seen > 0, bounds=bounds))

    def _commit(self, done: Callable[[FileLoad], None]) -> None:
        self._flush()
        loads = [self._file_load(item) for item in self.pending]
        if loads:  # one statement for the transaction's files: a year is 1,100
            values = ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(loads))
            self.connection.execute(
                f"insert into raw.loaded_files values {values}",
                [
                    value
                    for item, load in zip(self.pending, loads, strict=True)
                    for value in (
                        load.source,
                        item.key,
                        load.size_bytes,
                        load.sha256,
                        load.rows_read,
                        load.rows_loaded,
                        load.rows_quarantined,
                        self.load_id,
                        item.modified_ns,
                    )
                ],
            )
        self.connection.commit()
        self.pending, self.in_transaction, self.copying = [], 0, False
        for load in loads:
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


def _scan_group(item: Planned) -> tuple[str, str]:
    """The files DuckDB reads in one statement, and SQL giving each row's key.

    One schema, and one folder that each file's path is its key under (the
    landing folder): the key is the path after it. A path that does not end in
    its key (not on POSIX) is read alone: its key, a literal, is its group's own.
    """
    assert item.header.duckdb_schema is not None
    path = str(item.header.path)
    if path.endswith("/" + item.key):
        folder = path[: len(path) - len(item.key)]
        return item.header.duckdb_schema, f"substr({SCAN_FILE}, {len(folder) + 1})"
    return item.header.duckdb_schema, literal(item.key)


def _unreadable(items: list[Planned], error: duckdb.Error, chunk_rows: int) -> NoReturn:
    """Raise the LandingError of Parquet files DuckDB failed to read together.

    The pyarrow reader says which file breaks and where; if it reads them all,
    the error names the first file and DuckDB's message.
    """
    for item in items:
        for _ in read_chunks(item.header, chunk_rows=chunk_rows):
            pass  # raises the reader's LandingError where a file breaks
    raise LandingError(
        f"{items[0].header.path}: not a readable Parquet file, or one of the "
        f"{len(items)} read with it ({error})"
    ) from None


def _same_rows_as_metadata(
    runs: list[tuple[tuple[str, str], list[Planned]]], staged: Counter[str]
) -> None:
    """Refuse a Parquet file that gave another number of rows than its metadata."""
    for _, items in runs:
        for item in items:
            expected, read = item.header.rows or 0, staged.get(item.key, 0)
            if read != expected:
                raise LandingError(
                    f"{item.header.path}: {expected} rows in its Parquet metadata, "
                    f"{read} read"
                )


def _one(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    row = connection.execute(sql).fetchone()
    assert row is not None  # an aggregate returns one row
    return tuple(int(value) for value in row)


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
