"""Reading landing files in chunks of Arrow columns, with the row number of each row.

A file's format comes from the end of its name, in any case (:data:`FORMATS`): CSV,
gzip-compressed CSV (decompressed as it is read) or Parquet. CSV is parsed by the
:mod:`csv` module; every record keeps the physical line it starts on (header = line
1), and a byte that is not UTF-8 is reported with its line and column. A file whose
every line is one record (no blank line, no quoted newline, no stray quote: most
exports) is parsed by pyarrow's C++ reader instead, which reads the same records
several times faster (issue 19). Parquet is read
by row batches with pyarrow, or, for a file of plain column types that fits one
batch (daily exports), by DuckDB straight into the load's SQL, which costs a fraction
of it: files of one schema (:attr:`FileHeader.duckdb_schema`) are read together in
one statement (:func:`duckdb_parquet_scan`).
A chunk holds the file's contract columns (as the file types them: text for CSV) plus
``_source_row``; the SQL that turns each into text is in :attr:`FileHeader.render`:
an empty value (CSV ``,,`` or ``""``, Parquet ``''``) becomes NULL, and a Parquet
timestamp becomes ISO text in UTC (``2026-03-02T01:00:00Z``; without a time zone it is
taken as UTC, as the contract says). A Parquet column whose type holds exactly the
values its text would give is staged typed instead, without text
(:attr:`FileHeader.native`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import zlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from opsmart._text import one_line
from opsmart.contract import Column, LandingError
from opsmart.ingest._sql import RAW_TYPES

__all__ = [
    "FORMATS",
    "Chunk",
    "FileHeader",
    "duckdb_parquet_scan",
    "file_sha256",
    "landing_format",
    "read_chunks",
    "read_header",
]

#: Rows read, checked and written per batch. Each batch also checks its keys against
#: the rows already in raw (duplicates), so fewer, larger batches make a full rebuild
#: much cheaper: 100k -> 400k rows took a 3-month, 500-agent load from 45 s to 27 s;
#: 1M gained nothing more. A batch of 400k text rows stays well under the run's
#: DuckDB memory cap.
CHUNK_ROWS = 400_000

#: The name endings (any case) of the files the load step reads, and their format.
#: Gzip CSV costs nothing extra: the CSV reader reads the decompressed stream.
FORMATS: dict[str, str] = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet"}

#: A header name not in the contract is shown (ignored columns) cut to this length.
_NAME_CHARS = 64
#: A reader library's error text is quoted cut to this length.
_ERROR_CHARS = 200
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


@dataclass(frozen=True)
class FileHeader:
    """A file's columns checked against the contract."""

    path: Path
    file_format: str
    columns: tuple[str, ...]
    present: tuple[str, ...]
    ignored: tuple[str, ...]
    #: SQL giving a contract column's text from the chunk column of the same name.
    render: dict[str, str] = field(default_factory=dict)
    #: The Parquet file's whole schema as text when DuckDB's own reader reads it as
    #: the chunks would (:func:`duckdb_parquet_scan`); None: read in chunks. Files
    #: with the same one can be read in one statement.
    duckdb_schema: str | None = None
    #: The number of rows of a Parquet file (None for CSV).
    rows: int | None = None
    #: Contract columns whose text the load writes itself, from a Parquet value of
    #: the column's own type (:func:`renders_typed`) or as null (absent): that text
    #: is well formed by construction, so the text format rules need not read it.
    typed_text: frozenset[str] = frozenset()
    #: SQL giving a contract column's typed value (as raw keeps it) straight from a
    #: Parquet column of an exactly fitting type (:func:`native_sql`). Such a column
    #: is staged without text (not in `render`): the text round trip cost most of
    #: the load of a year of Parquet (issue 19).
    native: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chunk:
    """Rows of one file: contract columns + ``_source_row``; malformed CSV records."""

    table: pa.Table
    #: (first line, last line, fields) of CSV records with the wrong number of fields.
    malformed: tuple[tuple[int, int, tuple[str, ...]], ...] = ()

    @property
    def rows_read(self) -> int:
        return int(self.table.num_rows) + len(self.malformed)


def landing_format(path: Path) -> str | None:
    """The format `path` is read as (``csv`` or ``parquet``), by its name; else None.

    >>> landing_format(Path("contacts_2026-03-02.CSV.gz"))
    'csv'
    >>> landing_format(Path("notes.txt")) is None
    True
    """
    name = path.name.lower()
    return next((kind for end, kind in FORMATS.items() if name.endswith(end)), None)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_header(path: Path, columns: tuple[Column, ...]) -> FileHeader:
    """Read and check the header of `path` (required columns present, no repeats).

    Raises
    ------
    LandingError
        Empty file, not UTF-8, unreadable gzip or Parquet, a repeated column name or a
        missing required column; the message names the file (and line/column where
        known). It quotes contract column names only: a file that is no landing file
        at all (a key, a password file) must not reach a message through its header.
    """
    contract = [c.name for c in columns]
    duckdb_schema, rows = None, None
    typed: set[str] = set()
    native: dict[str, str] = {}
    if landing_format(path) == "parquet":
        schema, rows = _parquet_schema(path)
        names = tuple(schema.names)
        render = {
            name: _parquet_render(name, schema.field(name).type)
            for name in names
            if names.count(name) == 1
        }
        file_format = "parquet"
        if _duckdb_reads_alike(schema, contract):
            duckdb_schema = schema.to_string(show_schema_metadata=False)
        typed = {
            c.name
            for c in columns
            if c.name in render and renders_typed(c.type, schema.field(c.name).type)
        }
        native = {
            c.name: sql
            for c in columns
            if c.name in render
            and (sql := native_sql(c.name, c.type, schema.field(c.name).type))
        }
    else:
        names = _csv_header(path)
        render = {name: f"nullif({name}, '')" for name in names}
        file_format = "csv"
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise LandingError(
            f"{path}: column(s) {_contract_names(repeated, contract)} appear more "
            "than once in the header; each column must be named once"
        )
    absent = [c.name for c in columns if c.required and c.name not in names]
    if absent:
        raise LandingError(
            f"{path}: missing required column(s) {', '.join(absent)} "
            f"(found {len(names)} column(s): {_contract_names(names, contract)})"
        )
    return FileHeader(
        path=path,
        file_format=file_format,
        columns=names,
        present=tuple(name for name in contract if name in names),
        ignored=tuple(
            one_line(name, limit=_NAME_CHARS) for name in names if name not in contract
        ),
        render={
            name: render[name]
            for name in contract
            if name in names and name not in native
        },
        native=native,
        duckdb_schema=duckdb_schema,
        rows=rows,
        typed_text=frozenset(
            {*typed, *(c.name for c in columns if c.name not in names)}
        ),
    )


def _contract_names(names: Sequence[str], contract: Collection[str]) -> str:
    """`names` for a message: contract column names as they are, the others only
    counted ("contact_id, channel and 2 not in the contract")."""
    known = [name for name in names if name in contract]
    others = len(names) - len(known)
    parts = [", ".join(known)] if known else []
    if others:
        parts.append(f"{others} not in the contract")
    return " and ".join(parts) or "none"


def read_chunks(header: FileHeader, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[Chunk]:
    """Yield the records of the file in chunks of at most `chunk_rows` records."""
    if header.file_format == "parquet":
        yield from _parquet_chunks(header, chunk_rows)
        return
    plain = _plain_csv_table(header)
    if plain is None:
        yield from _csv_chunks(header, chunk_rows)
    else:
        yield from _plain_csv_chunks(plain, chunk_rows)


# ----------------------------------------------------------------------------- CSV


def _is_gzip(path: Path) -> bool:
    return path.name.lower().endswith(".gz")


def _open_text(path: Path) -> IO[str]:
    """The CSV file as text for the csv module (decompressed if gzip)."""
    if _is_gzip(path):
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def _open_bytes(path: Path) -> io.BufferedIOBase:
    if _is_gzip(path):
        return gzip.open(path, "rb")
    return path.open("rb")


def _not_gzip(path: Path, error: Exception) -> LandingError:
    return LandingError(
        f"{path}: not a readable gzip file ({_error_text(error)}); compress it with "
        "gzip again, or deliver it uncompressed"
    )


def _error_text(error: Exception) -> str:
    """A library's error text for a message: one line, cut short."""
    return one_line(str(error) or type(error).__name__, limit=_ERROR_CHARS)


def _not_utf8(path: Path) -> LandingError:
    """The error for the first line of `path` that is not UTF-8 (line and column)."""
    with _open_bytes(path) as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as error:
                prefix = raw[: error.start].decode("utf-8", errors="replace")
                if number == 1:
                    prefix = prefix.removeprefix("\ufeff")
                return LandingError(
                    f"{path}: line {number}, column {len(prefix) + 1}: not UTF-8 "
                    f"text (byte 0x{raw[error.start]:02x}: {error.reason}); save the "
                    "file as UTF-8"
                )
    return LandingError(f"{path}: not UTF-8 text; save the file as UTF-8")


def _csv_error(path: Path, line: int, error: csv.Error) -> LandingError:
    return LandingError(
        f"{path}: line {line}: not readable as CSV ({_error_text(error)})"
    )


def _csv_header(path: Path) -> tuple[str, ...]:
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            for fields in reader:
                if fields:
                    return tuple(name.strip() for name in fields)
        except csv.Error as error:
            raise _csv_error(path, reader.line_num, error) from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except _GZIP_ERRORS as error:
            raise _not_gzip(path, error) from None
    raise LandingError(f"{path}: empty file, expected a header row")


def _csv_chunks(header: FileHeader, chunk_rows: int) -> Iterator[Chunk]:
    """Records of the right width go to Arrow columns; the others to `malformed`.

    A record starts on the line after the previous record ended (``line_num`` counts
    the physical lines read), so a quoted field spanning lines keeps the record's
    first line, and blank lines (no record) are skipped but counted.
    """
    width = len(header.columns)
    positions = [header.columns.index(name) for name in header.present]
    names = [*header.present, "_source_row"]

    def chunk(
        values: list[str],
        starts: list[int],
        malformed: list[tuple[int, int, tuple[str, ...]]],
    ) -> Chunk:
        flat = pa.array(values, type=pa.string())
        rows = len(starts)
        # numpy builds the take indices in C; a Python range was a third of the read.
        arrays = [flat.take(np.arange(i, rows * width, width)) for i in positions]
        arrays.append(pa.array(starts, type=pa.int64()))
        return Chunk(pa.Table.from_arrays(arrays, names=names), tuple(malformed))

    path = header.path
    values: list[str] = []
    starts: list[int] = []
    malformed: list[tuple[int, int, tuple[str, ...]]] = []
    with _open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            for fields in reader:  # the header (checked by read_header)
                if fields:
                    break
            previous = reader.line_num
            for fields in reader:
                start, previous = previous + 1, reader.line_num
                if len(fields) == width:
                    values.extend(fields)
                    starts.append(start)
                elif fields:  # a blank line is no record
                    malformed.append((start, previous, tuple(fields)))
                if len(starts) + len(malformed) >= chunk_rows:
                    yield chunk(values, starts, malformed)
                    values, starts, malformed = [], [], []
        except csv.Error as error:
            raise _csv_error(path, reader.line_num, error) from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None
        except _GZIP_ERRORS as error:
            raise _not_gzip(path, error) from None
    if starts or malformed:
        yield chunk(values, starts, malformed)


# ------------------------------------------------------- plain CSV (the fast path)

#: Files up to this many bytes (decompressed) may take the fast path, which holds the
#: whole file in memory; a daily export is far smaller.
_PLAIN_CSV_MAX_BYTES = 512 << 20
#: Bytes that make a CSV file need the csv module's reading (carriage returns; NUL,
#: which the csv module refuses) or its line bookkeeping (blank lines).
_NOT_PLAIN = (b"\r", b"\x00", b"\n\n")
_QUOTE, _COMMA, _NEWLINE = ord('"'), ord(","), ord("\n")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class _PlainCsv:
    """A CSV file parsed whole by pyarrow: its records and the line of each."""

    table: pa.Table
    #: The physical line of each row of `table` (every line after the header is one).
    lines: npt.NDArray[np.int64]
    malformed: tuple[tuple[int, int, tuple[str, ...]], ...]


def _plain_csv_bytes(path: Path) -> bytes | None:
    """The file's bytes (decompressed, BOM removed) when they are plain CSV, else None.

    Plain: UTF-8, no carriage return, no NUL, no blank line, and quotes only as
    RFC 4180 puts them (:func:`_quotes_plain`). Then every line is one record, read
    by pyarrow's C++ reader exactly as by the csv module, with line number = record
    number + 1. Anything else (or a file that cannot be read) goes the csv module's
    way, which also reports the errors.
    """
    try:
        if path.stat().st_size > _PLAIN_CSV_MAX_BYTES:
            return None
        data = (
            gzip.decompress(path.read_bytes()) if _is_gzip(path) else path.read_bytes()
        )
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError, *_GZIP_ERRORS):
        return None
    data = data.removeprefix(_UTF8_BOM)
    if (
        len(data) > _PLAIN_CSV_MAX_BYTES
        or data.startswith(b"\n")
        or any(part in data for part in _NOT_PLAIN)
        or not _quotes_plain(data)
    ):
        return None
    return data


def _quotes_plain(data: bytes) -> bool:
    """Whether every quote in `data` opens or closes a field on one line, or doubles.

    Numbering the quotes of each line from 0, an even one opens a field (after a comma
    or the line's start) and the odd one after it closes it (before a comma or the
    line's end), unless the two stand side by side (``""``, a quote inside a quoted
    field); each line has an even number, so no quoted field spans lines. Where this
    holds, the csv module and pyarrow read the same fields; a stray quote (``ab"c``,
    ``"ab"c``, ``a"``) sends the file the csv module's way. Vectorised: a year of
    daily files is millions of lines.
    """
    if b'"' not in data:
        return True
    codes = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(codes == _QUOTE)
    # The line of each quote: how many newlines precede it (a cumulative sum over
    # every byte would cost eight bytes per byte).
    line_of_quote = np.searchsorted(np.flatnonzero(codes == _NEWLINE), quotes)
    if np.any(np.bincount(line_of_quote) % 2):
        return False
    rank = np.arange(len(quotes)) - np.searchsorted(line_of_quote, line_of_quote)
    padded = np.concatenate(([_NEWLINE], codes, [_NEWLINE]))
    before, after = padded[quotes], padded[quotes + 2]
    opens = rank % 2 == 0
    opens_ok = np.isin(before, (_COMMA, _NEWLINE)) | (before == _QUOTE)
    closes_ok = np.isin(after, (_COMMA, _NEWLINE)) | (after == _QUOTE)
    return bool(np.all(np.where(opens, opens_ok, closes_ok)))


def _plain_csv_table(header: FileHeader) -> _PlainCsv | None:
    """The file's records parsed by pyarrow, when it is plain CSV; else None."""
    data = _plain_csv_bytes(header.path)
    if data is None:
        return None
    width = len(header.columns)
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int, int, tuple[str, ...]]] = []

    def keep_invalid(row: pa_csv.InvalidRow) -> str:
        if row.number is None:  # pragma: no cover - known single-threaded
            raise LandingError(f"{header.path}: a record without a line number")
        fields = next(csv.reader([row.text]), [])  # the line as the csv module reads it
        invalid.append((row.number, row.number, tuple(fields)))
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(
                column_names=names, skip_rows=1, use_threads=False, block_size=1 << 24
            ),
            parse_options=pa_csv.ParseOptions(
                quote_char='"',
                double_quote=True,
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=keep_invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, LandingError):
        return None
    return _plain_csv(header, data, table, invalid)


def _plain_csv(
    header: FileHeader,
    data: bytes,
    table: pa.Table,
    invalid: list[tuple[int, int, tuple[str, ...]]],
) -> _PlainCsv | None:
    """Line numbers for the parsed rows; None if anything would differ from csv."""
    records = data.count(b"\n") + (not data.endswith(b"\n")) - 1
    if table.num_rows + len(invalid) != records or not _fields_fit(table, invalid):
        return None
    lines = np.arange(2, records + 2, dtype=np.int64)
    if invalid:
        lines = np.setdiff1d(lines, [line for line, _, _ in invalid])
    positions = [header.columns.index(name) for name in header.present]
    columns = [table.column(i) for i in positions]
    return _PlainCsv(
        pa.Table.from_arrays(columns, names=list(header.present)),
        lines,
        tuple(invalid),
    )


def _fields_fit(
    table: pa.Table, invalid: list[tuple[int, int, tuple[str, ...]]]
) -> bool:
    """Whether no field exceeds the csv module's size limit (it would refuse it)."""
    limit = csv.field_size_limit()
    for column in table.columns:
        if len(column) and pc.max(pc.binary_length(column)).as_py() > limit:
            return False
    return all(len(field) <= limit for *_, fields in invalid for field in fields)


def _plain_csv_chunks(plain: _PlainCsv, chunk_rows: int) -> Iterator[Chunk]:
    """The records in chunks of `chunk_rows` records, as the csv module path cuts them.

    Record k is on line k + 2, so chunk j holds lines [2 + j*chunk_rows, ...).
    """
    records = len(plain.lines) + len(plain.malformed)
    for first in range(2, records + 2, chunk_rows):
        last = first + chunk_rows
        start, stop = np.searchsorted(plain.lines, [first, last])
        rows = plain.table.slice(int(start), int(stop - start))
        table = rows.append_column(
            "_source_row", pa.array(plain.lines[start:stop], type=pa.int64())
        )
        malformed = tuple(m for m in plain.malformed if first <= m[0] < last)
        yield Chunk(table, malformed)


# ------------------------------------------------------------------------- Parquet


def _parquet_schema(path: Path) -> tuple[pa.Schema, int]:
    """The file's Arrow schema and its number of rows."""
    if path.stat().st_size == 0:
        raise LandingError(f"{path}: empty file, expected Parquet")
    try:
        parquet = pq.ParquetFile(path)
        return parquet.schema_arrow, int(parquet.metadata.num_rows)
    except (pa.ArrowException, OSError) as error:
        raise LandingError(
            f"{path}: not a readable Parquet file ({_error_text(error)})"
        ) from None


#: The Arrow types of Parquet columns that DuckDB's Parquet reader gives the type
#: DuckDB gives the same column read through pyarrow, so :func:`_parquet_render`
#: makes the same text of them either way (tests/python/ingest/test_ingest_formats.py
#: compares the two). Other types (nanosecond or INT96 timestamps, durations,
#: decimals, nested values) keep the pyarrow reader.
_DUCKDB_SAME_TYPES = (
    pa.string(),
    pa.large_string(),
    pa.int32(),
    pa.int64(),
    pa.float64(),
    pa.bool_(),
    pa.date32(),
)


def _same_in_duckdb(arrow_type: pa.DataType) -> bool:
    if pa.types.is_timestamp(arrow_type):  # Parquet keeps seconds as milliseconds
        return bool(arrow_type.unit in ("s", "ms", "us"))
    return any(arrow_type.equals(kind) for kind in _DUCKDB_SAME_TYPES)


def _duckdb_reads_alike(schema: pa.Schema, contract: Sequence[str]) -> bool:
    """Whether DuckDB's Parquet reader gives the file's contract columns the text
    pyarrow's would: each of a type in :data:`_DUCKDB_SAME_TYPES`, and no two
    columns whose names differ only in case (SQL names ignore case).

    Staging a Parquet file through pyarrow cost about as much as checking its rows
    (issue 19); DuckDB reads it several times cheaper. The loader uses it for a
    file of one batch at most; a larger one is read in chunks, as before.
    """
    folded = [name.casefold() for name in schema.names]
    if len(set(folded)) != len(folded):
        return False
    present = [name for name in contract if name in schema.names]
    return all(_same_in_duckdb(schema.field(name).type) for name in present)


#: The column :func:`duckdb_parquet_scan` names each row's file in.
SCAN_FILE = "_opsmart_scan_file"


def duckdb_parquet_scan(paths: Sequence[Path], present: Sequence[str]) -> str:
    """SQL selecting the `present` contract columns, the file (:data:`SCAN_FILE`)
    and ``_source_row`` (from 1) of every row of `paths`, read by DuckDB.

    The files must share one :attr:`FileHeader.duckdb_schema`. Read together,
    DuckDB spreads a day's small files over its threads, which one statement
    per file could not (issue 19).
    """
    locations = ", ".join("'" + str(path).replace("'", "''") + "'" for path in paths)
    columns = "".join(f"{name}, " for name in present)
    return (
        f"select {columns}{SCAN_FILE}, file_row_number + 1 as _source_row "
        f"from read_parquet([{locations}], filename = '{SCAN_FILE}', "
        "file_row_number = true)"
    )


def renders_typed(contract_type: str, arrow_type: pa.DataType) -> bool:
    """Whether :func:`_parquet_render` of an `arrow_type` value gives the text format
    of `contract_type` (rules.TEXT_PATTERNS) for every value it renders.

    It may still render a value the contract rejects (a double's ``inf``, the year
    10000); the typed form of each rule keeps those checks (rules.type_rules).

    >>> renders_typed("timestamp", pa.timestamp("ms", tz="Asia/Seoul"))
    True
    >>> renders_typed("integer", pa.string())
    False
    """
    types = pa.types
    matches = {
        "timestamp": types.is_timestamp,
        "date": types.is_date32,
        "integer": types.is_integer,
        "number": lambda t: types.is_integer(t) or types.is_floating(t),
        "boolean": types.is_boolean,
    }
    return contract_type in matches and bool(matches[contract_type](arrow_type))


def native_sql(name: str, contract_type: str, arrow_type: pa.DataType) -> str | None:
    """SQL giving the typed value of Parquet column `name` as raw keeps it, where
    its type holds exactly the values its text would give; else None (the column
    goes through text, :func:`_parquet_render`).

    Left to text, so that both ways give one value: nanosecond timestamps (the
    text is cut to microseconds, a cast rounds), float32 (``0.1`` is
    0.10000000149011612 as a double, 0.1 through its shortest text) and uint64
    (beyond BIGINT: ``invalid_integer``). A naive timestamp is UTC, as the
    contract says.

    >>> native_sql("arrived_at", "timestamp", pa.timestamp("ms", tz="Asia/Seoul"))
    'cast(arrived_at as TIMESTAMP WITH TIME ZONE)'
    >>> native_sql("score", "number", pa.float32()) is None
    True
    """
    types = pa.types
    exact_int = types.is_signed_integer(arrow_type) or (
        types.is_unsigned_integer(arrow_type) and arrow_type.bit_width < 64
    )
    if contract_type == "timestamp":
        fits = types.is_timestamp(arrow_type) and arrow_type.unit != "ns"
    else:
        fits = {
            "date": types.is_date32(arrow_type),
            "integer": exact_int,
            "number": exact_int or types.is_float64(arrow_type),
            "boolean": types.is_boolean(arrow_type),
        }.get(contract_type, False)
    if not fits:
        return None
    if contract_type == "timestamp" and arrow_type.tz is None:
        return f"timezone('UTC', cast({name} as timestamp))"
    return f"cast({name} as {RAW_TYPES[contract_type]})"


def _parquet_render(name: str, arrow_type: pa.DataType) -> str:
    """SQL giving ISO text for a Parquet value (timestamps in UTC with ``Z``)."""
    if pa.types.is_timestamp(arrow_type):
        utc = f"timezone('UTC', {name})" if arrow_type.tz is not None else name
        return f"nullif(replace(cast({utc} as varchar), ' ', 'T') || 'Z', '')"
    return f"nullif(cast({name} as varchar), '')"


def _parquet_chunks(header: FileHeader, chunk_rows: int) -> Iterator[Chunk]:
    path = header.path
    names = [*header.present, "_source_row"]
    first_row = 1
    try:
        parquet = pq.ParquetFile(path)
        batches = parquet.iter_batches(
            batch_size=chunk_rows, columns=list(header.present)
        )
        for batch in batches:
            rows = batch.num_rows
            source_row = pa.array(range(first_row, first_row + rows), type=pa.int64())
            arrays = [*batch.columns, source_row]
            first_row += rows
            yield Chunk(pa.Table.from_arrays(arrays, names=names))
    except (pa.ArrowException, OSError) as error:
        raise LandingError(
            f"{path}: not a readable Parquet file after row {first_row - 1} "
            f"({_error_text(error)})"
        ) from None
