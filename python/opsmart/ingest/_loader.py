"""Loading one source's new files: staged in batches, checked in SQL, committed whole.

The rows of a batch are checked together (:func:`~opsmart.ingest._sql.check_sql`), so
the rules run as a few set-based queries rather than once per row; transactions end
only at file boundaries, so a file is recorded in ``raw.loaded_files`` with all its
rows or not at all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

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
)
from opsmart.ingest.report import FileLoad
from opsmart.ingest.rules import MALFORMED_ROW, Rule

__all__ = ["SourceLoader"]

_CHUNK_VIEW = "_ingest_chunk"
_MALFORMED_VIEW = "_ingest_malformed"


class SourceLoader:
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
                self.malformed += [(path, width, *record) for record in chunk.malformed]
        if self.staged + len(self.malformed) >= self.chunk_rows:
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
        """Stage the counted Parquet files, one DuckDB statement per run of
        consecutive files of one :func:`_scan_group`.

        If DuckDB cannot read one, the pyarrow reader says which file breaks and
        where (the transaction is rolled back by the caller either way).
        """
        for (_, key), items in self.unread:
            header = items[0].header
            scan = duckdb_parquet_scan([i.header.path for i in items], header.present)
            expected = sum(item.header.rows or 0 for item in items)
            # The key comes by a projection, not a join: the rows keep the files'
            # order, as when each file was staged alone (raw stays date-sorted).
            try:
                (rows,) = _one(  # an insert returns the number of rows inserted
                    self.connection,
                    stage_insert_sql(
                        self.source,
                        f"select {self._render(header, key)} from ({scan})",
                        header.native,
                    ),
                )
            except duckdb.Error as error:
                for item in items:
                    for _ in read_chunks(item.header, chunk_rows=self.chunk_rows):
                        pass  # raises the reader's LandingError where a file breaks
                raise LandingError(
                    f"{header.path}: not a readable Parquet file, or one of the "
                    f"{len(items)} read with it ({error})"
                ) from None
            if rows != expected:
                raise LandingError(
                    f"{header.path}: {expected} rows in the Parquet metadata of it "
                    f"and the {len(items) - 1} file(s) read with it, {rows} read"
                )
        self.unread = []

    def _flush(self) -> None:
        """Check the staged rows and write them to raw and quarantine."""
        connection = self.connection
        self._read_unread()
        if self.staged:
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
        self.typed_text = self.native = None
        if self.malformed:
            _quarantine_malformed(connection, self.malformed, self.source, self.load_id)
            for path, *_ in self.malformed:
                self.reasons[path][MALFORMED_ROW] += 1
            self.malformed = []

    def _check_duplicates(self) -> None:
        """Add the batch's duplicates to the rejected rows (:class:`DuplicateCheck`)."""
        assert self.duplicates is not None
        connection = self.connection
        dates_sql = self.duplicates.batch_dates()
        dates: tuple[str | None, ...] = ()
        if dates_sql is not None:
            row = connection.execute(dates_sql).fetchone()
            dates = tuple(row) if row is not None else ()
        connection.execute(self.duplicates.find_seen(dates))
        row = connection.execute(f"select count(*) > 0 from {SEEN}").fetchone()
        any_prior = bool(row and row[0])
        connection.execute(self.duplicates.insert(any_prior=any_prior, dates=dates))

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
        self.pending, self.in_transaction = [], 0
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
