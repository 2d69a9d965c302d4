"""What every adapter shares: contract-shaped rows, the queue map, the report, the
landing files.

An adapter turns one vendor record into one ``contacts`` row (a dict of contract
columns) or raises :class:`RecordError` with the reason; :func:`finish_contact` checks
and formats the row the same way for every vendor; :func:`write_landing` writes the
rows as CSV files that follow ``docs/data_contract.md`` and returns the
:class:`AdapterReport`, in which ``records_read = rows_written + rows_rejected``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml  # type: ignore[import-untyped]

from opsmart.contract import SOURCES, LandingError, source_columns

__all__ = [
    "JSON_SUFFIXES",
    "AdapterReport",
    "ContactTimes",
    "QueueMap",
    "RecordError",
    "RecordResult",
    "Rejection",
    "check_keys",
    "finish_contact",
    "format_value",
    "input_files",
    "load_queue_map",
    "load_yaml",
    "parse_timestamp",
    "queue_map_from_dict",
    "read_json_values",
    "seconds_between",
    "self_service_queue",
    "write_landing",
    "zone",
]

#: What a folder of JSON exports may hold: JSON, JSON lines, gzip, or Firehose
#: objects, which have no extension.
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", "")

#: The duration columns of ``contacts`` (never negative).
_DURATIONS = (
    "ivr_seconds",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)


class RecordError(ValueError):
    """One vendor record cannot become a contract row; the message is the reason."""


@dataclass(frozen=True)
class Rejection:
    """A record that was not written, with where it is and why.

    ``record`` is the 1-based position of the record in its file; ``line`` is the
    line it starts on (for CSV the header is line 1), when known.
    """

    file: Path
    record: int
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file} record {self.record}"
        if self.line is not None:
            where += f" (line {self.line})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class RecordResult:
    """What became of one input record: a formatted row, or the reason it has none."""

    file: Path
    record: int
    row: dict[str, str] | None
    reason: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class AdapterReport:
    """What one adapter run did; ``records_read = rows_written + rows_rejected``.

    Raises
    ------
    ValueError
        If the counts do not reconcile (a bug: a record was lost).
    """

    adapter: str
    source: str
    records_read: int
    rows_written: int
    rejections: tuple[Rejection, ...]
    files_read: tuple[Path, ...]
    files_written: tuple[Path, ...]
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.records_read != self.rows_written + len(self.rejections):
            raise ValueError(
                f"{self.adapter}: {self.records_read} records read but "
                f"{self.rows_written} written + {len(self.rejections)} rejected"
            )

    @property
    def rows_rejected(self) -> int:
        """How many records were not written (each one is in `rejections`)."""
        return len(self.rejections)

    def summary(self) -> str:
        """One line: records read, rows written, rows rejected."""
        files = "file" if len(self.files_read) == 1 else "files"
        return (
            f"{self.adapter}: {self.records_read} records read from "
            f"{len(self.files_read)} {files}, {self.rows_written} rows written to "
            f"{self.source}/, {self.rows_rejected} rejected"
        )

    def lines(self) -> list[str]:
        """The summary, the files written, the notes and every rejection."""
        out = [self.summary()]
        out += [f"  wrote {path}" for path in self.files_written]
        out += [f"  note: {note}" for note in self.notes]
        out += [f"  rejected {rejection}" for rejection in self.rejections]
        return out


# --------------------------------------------------------------------------- input


def input_files(paths: Sequence[Path | str], *, suffixes: Sequence[str]) -> list[Path]:
    """The files to read: each path given, or the matching files of a folder.

    Parameters
    ----------
    paths : sequence of path
        Files or folders (a folder contributes its files ending in one of
        `suffixes`, sorted by name, not recursively; files given by name are read
        whatever their name).
    suffixes : sequence of str
        File-name endings accepted inside folders, e.g. ``(".csv",)``; ``""``
        accepts names without any dot (Firehose objects have no extension).

    Returns
    -------
    list of Path
        The files, in the order given.

    Raises
    ------
    LandingError
        If a path does not exist or a folder holds no matching file.
    """
    endings = tuple(suffix.lower() for suffix in suffixes if suffix)

    def wanted(name: str) -> bool:
        if name.startswith("."):
            return False
        return name.lower().endswith(endings) or ("" in suffixes and "." not in name)

    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and wanted(p.name))
            if not found:
                shown = ", ".join(s or "(no extension)" for s in suffixes)
                raise LandingError(f"{path} holds no input file ({shown})")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise LandingError(f"input {path} does not exist")
    if not files:
        raise LandingError("no input files given")
    return files


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LandingError(f"cannot read {path}: {error.strerror}") from None
    if raw[:2] == b"\x1f\x8b":  # gzip, as Firehose can deliver
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise LandingError(f"{path}: broken gzip data: {error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LandingError(f"{path} line {line}: not UTF-8 text") from None


def read_json_values(path: Path | str) -> list[tuple[int, Any]]:
    """The JSON values of a file, each with the line it starts on.

    Reads newline-delimited JSON, JSON values simply concatenated (as Kinesis
    Firehose writes them when no delimiter is added), or one JSON array, whose
    elements are returned one by one. Gzip files are read transparently.

    Raises
    ------
    LandingError
        If the file cannot be read or is not JSON; the message names the file and
        the line.
    """
    path = Path(path)
    text = _read_text(path)
    decoder = json.JSONDecoder()
    values: list[tuple[int, Any]] = []

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        return pos

    def decode(pos: int) -> tuple[Any, int]:
        try:
            return decoder.raw_decode(text, pos)
        except json.JSONDecodeError as error:
            raise LandingError(
                f"{path} line {error.lineno} column {error.colno}: not valid JSON "
                f"({error.msg})"
            ) from None

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    pos = skip(0)
    if pos < len(text) and text[pos] == "[":
        pos = skip(pos + 1)
        while pos < len(text) and text[pos] != "]":
            value, end = decode(pos)
            values.append((line_of(pos), value))
            pos = skip(end)
            if pos < len(text) and text[pos] == ",":
                pos = skip(pos + 1)
            elif pos >= len(text) or text[pos] != "]":
                raise LandingError(
                    f"{path} line {line_of(pos)}: not valid JSON (expected , or ])"
                )
        if skip(pos + 1) < len(text):
            raise LandingError(
                f"{path} line {line_of(skip(pos + 1))}: not valid JSON "
                "(text after the closing ])"
            )
        return values
    while pos < len(text):
        value, end = decode(pos)
        values.append((line_of(pos), value))
        pos = skip(end)
    return values


def load_yaml(path: Path | str) -> dict[str, Any]:
    """Read a YAML mapping file; any problem is a :class:`LandingError` naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LandingError(f"cannot read {path}: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LandingError(f"{path}: not valid YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise LandingError(f"{path}: must be a YAML mapping (key: value lines)")
    return data


def check_keys(data: Mapping[str, Any], allowed: Iterable[str], *, where: str) -> None:
    """Raise :class:`LandingError` naming `where` and the first unknown key."""
    known = sorted(allowed)
    for key in data:
        if key not in known:
            raise LandingError(
                f"{where}: unknown key `{key}`; allowed keys are {', '.join(known)}"
            )


# ----------------------------------------------------------------------- queue map


@dataclass(frozen=True)
class QueueMap:
    """Vendor queue names, ARNs or ids → ``queue_id`` of ``seeds/queues.csv``.

    A contact whose queue is not in `queues` is rejected (reported), not written:
    the adapter knows the vendor's queue and can say which one is missing.
    `self_service_queue` is the ``queue_id`` given to contacts that never reached an
    agent queue (outcome ``contained``); without it they are rejected.
    """

    queues: Mapping[str, str]
    self_service_queue: str | None = None
    origin: str = "the queue map"

    def lookup(self, candidates: Sequence[str | None]) -> str:
        """The ``queue_id`` of the first candidate in the map.

        Raises
        ------
        RecordError
            If no candidate is in the map.
        """
        for candidate in candidates:
            if candidate is not None and candidate in self.queues:
                return self.queues[candidate]
        shown = " / ".join(repr(c) for c in candidates if c is not None) or "(none)"
        raise RecordError(f"queue {shown} is not in {self.origin}")


def self_service_queue(queue_map: QueueMap | None) -> str:
    """The ``queue_id`` of a contact that never reached a queue (outcome contained).

    Raises
    ------
    RecordError
        If there is no queue map or it sets no `self_service_queue`.
    """
    if queue_map is None or queue_map.self_service_queue is None:
        raise RecordError(
            "never reached a queue (outcome contained) and the queue map sets no "
            "`self_service_queue`"
        )
    return queue_map.self_service_queue


def queue_map_from_dict(
    data: Mapping[str, Any],
    *,
    where: str,
    known_queue_ids: Iterable[str] | None = None,
) -> QueueMap:
    """Build a :class:`QueueMap` from ``{queues: {...}, self_service_queue: ...}``.

    Raises
    ------
    LandingError
        On unknown keys, non-string entries, or a target that is not a queue of
        `known_queue_ids` (when given).
    """
    check_keys(data, ("queues", "self_service_queue"), where=where)
    queues = data.get("queues") or {}
    if not isinstance(queues, dict):
        raise LandingError(f"{where}: `queues` must map vendor queue → queue_id")
    known = set(known_queue_ids) if known_queue_ids is not None else None
    mapped: dict[str, str] = {}
    for vendor, target in queues.items():
        if not isinstance(target, str) or not target.strip():
            raise LandingError(
                f"{where}: queue {vendor!r} must map to a queue_id, got {target!r}"
            )
        mapped[str(vendor)] = target.strip()
    self_service = data.get("self_service_queue")
    if self_service is not None and not isinstance(self_service, str):
        raise LandingError(f"{where}: `self_service_queue` must be a queue_id")
    if known is not None:
        for key, target in [*mapped.items(), ("self_service_queue", self_service)]:
            if target is not None and target not in known:
                raise LandingError(
                    f"{where}: {key!r} maps to {target!r}, which is not a queue_id "
                    "of seeds/queues.csv"
                )
    return QueueMap(mapped, self_service, origin=where)


def load_queue_map(
    path: Path | str, *, known_queue_ids: Iterable[str] | None = None
) -> QueueMap:
    """Read a queue-map YAML file (see docs/adapters.md)."""
    return queue_map_from_dict(
        load_yaml(path), where=str(path), known_queue_ids=known_queue_ids
    )


# ----------------------------------------------------------------- times and values


def zone(name: str | None, *, where: str) -> ZoneInfo | None:
    """The IANA time zone `name` (None stays None); unknown is a LandingError."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LandingError(f"{where}: unknown time zone {name!r}") from None


def parse_timestamp(
    text: object, *, fmt: str | None = None, tz: ZoneInfo | None = None
) -> datetime:
    """Parse a vendor timestamp into an aware UTC datetime.

    Parameters
    ----------
    text : object
        The value; ISO-8601 (``2026-03-02T10:00:00Z``, ``...+09:00``, with or
        without milliseconds) unless `fmt` is given.
    fmt : str, optional
        A :func:`datetime.strptime` format, e.g. ``"%d/%m/%Y %H:%M:%S"``.
    tz : ZoneInfo, optional
        The zone of a timestamp without offset (default UTC).

    Returns
    -------
    datetime
        The instant, in UTC.

    Raises
    ------
    RecordError
        If `text` is not a timestamp in that format.

    Examples
    --------
    >>> parse_timestamp("2026-03-02T19:02:00+09:00").isoformat()
    '2026-03-02T10:02:00+00:00'
    """
    if not isinstance(text, str) or not text.strip():
        raise RecordError(f"{text!r} is not a timestamp")
    value = text.strip()
    try:
        if fmt is None:
            parsed = datetime.fromisoformat(value)
        else:
            parsed = datetime.strptime(value, fmt)
    except ValueError:
        expected = f"format {fmt!r}" if fmt else "ISO-8601"
        raise RecordError(f"{value!r} is not a timestamp ({expected})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or UTC)
    return parsed.astimezone(UTC)


def seconds_between(start: datetime, end: datetime) -> float:
    """``end - start`` in seconds."""
    return (end - start).total_seconds()


def format_value(value: object) -> str:
    """Write one value as the data contract reads it.

    None is an empty cell, booleans are ``true``/``false``, datetimes are UTC
    ISO-8601 with ``Z``, numbers have no trailing zeros.

    Examples
    --------
    >>> [format_value(v) for v in (None, True, 12.0, 12.25, 3)]
    ['', 'true', '12', '12.25', '3']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        text = value.astimezone(UTC).isoformat(timespec="milliseconds")
        text = text.replace("+00:00", "Z")
        return text.replace(".000Z", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RecordError(f"{value!r} is not a finite number")
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


@dataclass(frozen=True)
class ContactTimes:
    """A contact's outcome and the times that follow from it (durations in seconds).

    Each adapter works these out from its vendor's timestamps; the names are the
    contract's columns, so :meth:`columns` hands them to :func:`finish_contact`.
    """

    outcome: str
    answered_at: datetime | None
    ended_at: datetime
    ivr_seconds: float
    wait_seconds: float
    talk_seconds: float | None = None
    hold_seconds: float | None = None
    acw_seconds: float | None = None

    def columns(self) -> dict[str, object]:
        """Contract column → value."""
        return {column.name: getattr(self, column.name) for column in fields(self)}


def finish_contact(values: Mapping[str, object]) -> dict[str, str]:
    """Check a contacts row and format it in contract column order.

    Parameters
    ----------
    values : mapping
        Contract column → value (str, float, bool, datetime or None); columns not
        given are empty.

    Returns
    -------
    dict of str to str
        Every contract column of ``contacts``, formatted.

    Raises
    ------
    RecordError
        If a required column is empty, a duration is negative or the timestamps are
        out of order (the reason names the columns).
    """
    unknown = set(values) - set(source_columns("contacts"))
    if unknown:  # a bug in an adapter, not in the data
        raise ValueError(f"not contract columns: {sorted(unknown)}")
    for column in SOURCES["contacts"]:
        value = values.get(column.name)
        if column.required and (value is None or value == ""):
            raise RecordError(f"`{column.name}` is missing")
    for name in _DURATIONS:
        value = values.get(name)
        if isinstance(value, float | int) and not isinstance(value, bool) and value < 0:
            raise RecordError(
                f"`{name}` is negative ({value:g} s): timestamps out of order"
            )
    arrived, answered, ended = (
        values.get("arrived_at"),
        values.get("answered_at"),
        values.get("ended_at"),
    )
    if (
        isinstance(arrived, datetime)
        and isinstance(ended, datetime)
        and ended < arrived
    ):
        raise RecordError("`ended_at` is before `arrived_at`")
    if (
        isinstance(arrived, datetime)
        and isinstance(answered, datetime)
        and answered < arrived
    ):
        raise RecordError("`answered_at` is before `arrived_at`")
    return {name: format_value(values.get(name)) for name in source_columns("contacts")}


# ---------------------------------------------------------------------- the output


#: The columns that identify one row of each source (its grain).
_GRAIN: Mapping[str, tuple[str, ...]] = {
    "contacts": ("contact_id",),
    "agent_intervals": ("agent_id", "queue_id", "interval_start"),
    "survey_responses": ("response_id",),
    "customers": ("customer_id",),
    "costs": ("team_id", "effective_from"),
}


def write_landing(
    adapter: str,
    results: Sequence[RecordResult],
    out: Path | str,
    *,
    files_read: Sequence[Path],
    source: str = "contacts",
    notes: Sequence[str] = (),
) -> AdapterReport:
    """Write the rows as ``<out>/<source>/<adapter>__<input stem>.csv``; report.

    One CSV per input file (UTF-8, header, comma separated, contract column order).
    A row whose grain (``contact_id``; agent, queue and interval start for
    ``agent_intervals``; …) was already written in this run is rejected.
    An input file without rows writes no file. Landing files are append-only, so an
    existing output file is left alone when identical and is an error otherwise.

    Raises
    ------
    LandingError
        If an output file exists with different content.
    """
    folder = Path(out) / source
    grain = _GRAIN[source]
    columns = source_columns(source)
    seen: dict[tuple[str, ...], RecordResult] = {}
    rows: dict[Path, list[dict[str, str]]] = {}
    rejections: list[Rejection] = []
    for result in results:
        if result.row is None:
            reason = result.reason or "no row"
            rejections.append(
                Rejection(result.file, result.record, reason, result.line)
            )
            continue
        key = tuple(result.row[name] for name in grain)
        first = seen.get(key)
        if first is not None:
            shown = ", ".join(f"{n} {v!r}" for n, v in zip(grain, key, strict=True))
            reason = f"duplicate {shown} (first at {first.file} record {first.record})"
            rejections.append(
                Rejection(result.file, result.record, reason, result.line)
            )
            continue
        seen[key] = result
        rows.setdefault(result.file, []).append(result.row)
    written: list[Path] = []
    used: set[str] = set()
    for path, file_rows in rows.items():
        stem = path.name.split(".")[0] or "records"
        name = f"{adapter.replace('-', '_')}__{stem}"
        counter = 1
        while name in used:
            counter += 1
            name = f"{adapter.replace('-', '_')}__{stem}_{counter}"
        used.add(name)
        target = folder / f"{name}.csv"
        _write_csv(target, columns, file_rows)
        written.append(target)
    return AdapterReport(
        adapter=adapter,
        source=source,
        records_read=len(results),
        rows_written=sum(len(file_rows) for file_rows in rows.values()),
        rejections=tuple(rejections),
        files_read=tuple(files_read),
        files_written=tuple(written),
        notes=tuple(notes),
    )


def _write_csv(
    target: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    if target.exists():
        if target.read_text(encoding="utf-8") == text:
            return
        raise LandingError(
            f"{target} already exists with other rows; landing files are append-only "
            "(a loaded file may not change): write to a new --out folder or remove it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
