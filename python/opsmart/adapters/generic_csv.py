"""Any vendor's per-record CSV export → a landing source, through a YAML mapping.

The mapping file names, for each contract column, the export's column and how to
read it (timestamp format and zone, duration unit, a value map, a default), plus a
queue map. Example (docs/adapters.md explains every key)::

    source: contacts                 # the landing source written (default contacts)
    timezone: Europe/Berlin          # zone of timestamps without offset (default UTC)
    timestamp_format: "%d/%m/%Y %H:%M:%S"    # default format (default ISO-8601)
    columns:
      contact_id: CallID             # shorthand for {column: CallID}
      queue_id: Skill                # then through `queues`
      channel: {default: voice}      # a constant
      arrived_at: StartTime
      wait_seconds: {column: QueueTime, unit: "HH:MM:SS"}
      talk_seconds: {column: TalkMs, unit: milliseconds}
      outcome: {column: Result, values: {ANS: handled, ABN: abandoned}}
      is_resolved: {column: Solved, values: {"Y": true, "N": false}}
    queues:
      Sales EN: q_voice_sales
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from opsmart.adapters._landing import (
    AdapterReport,
    QueueMap,
    RecordError,
    RecordResult,
    check_keys,
    finish_contact,
    format_value,
    input_files,
    load_yaml,
    parse_timestamp,
    queue_map_from_dict,
    write_landing,
    zone,
)
from opsmart.contract import SOURCES, LandingError

__all__ = [
    "DURATION_UNITS",
    "ColumnRule",
    "CsvMapping",
    "adapt_csv",
    "load_csv_mapping",
    "row_from_record",
]

ADAPTER = "csv"

#: Duration units and their length in seconds; ``HH:MM:SS`` is parsed as a clock.
DURATION_UNITS: Mapping[str, float] = {
    "seconds": 1.0,
    "milliseconds": 0.001,
    "minutes": 60.0,
    "hours": 3600.0,
    "HH:MM:SS": 1.0,
}

_TOP_KEYS = (
    "source",
    "timezone",
    "timestamp_format",
    "delimiter",
    "encoding",
    "columns",
    "queues",
)
_RULE_KEYS = ("column", "format", "timezone", "unit", "values", "default")
_CLOCK = re.compile(r"^(\d+):([0-5]?\d):([0-5]?\d(?:\.\d+)?)$")
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


@dataclass(frozen=True)
class ColumnRule:
    """How one contract column is read from the export.

    `column` is the export's header name (None: the column is the constant
    `default`); `values` maps the export's texts to contract values before the type
    is applied; `default` fills empty cells.
    """

    target: str
    type: str
    column: str | None = None
    timestamp_format: str | None = None
    timezone: ZoneInfo | None = None
    unit: str = "seconds"
    values: Mapping[str, Any] | None = None
    default: Any = None


@dataclass(frozen=True)
class CsvMapping:
    """A parsed mapping file: target source, CSV dialect, column rules, queue map."""

    source: str
    rules: tuple[ColumnRule, ...]
    origin: str = "the mapping"
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    queue_map: QueueMap | None = None


def load_csv_mapping(
    path: Path | str, *, known_queue_ids: Iterable[str] | None = None
) -> CsvMapping:
    """Read and check a column-mapping file.

    Raises
    ------
    LandingError
        Naming the file and the key: an unknown key, a column that is not in the
        contract, an option that does not fit the column's type, an unknown unit or
        time zone, or a required contract column left unmapped.
    """
    where = str(path)
    data = load_yaml(path)
    check_keys(data, _TOP_KEYS, where=where)
    source = data.get("source", "contacts")
    if source not in SOURCES:
        known = ", ".join(sorted(SOURCES))
        raise LandingError(f"{where}: `source` must be one of {known}, got {source!r}")
    contract = {column.name: column for column in SOURCES[source]}
    default_zone = zone(data.get("timezone"), where=f"{where} timezone")
    default_format = data.get("timestamp_format")
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise LandingError(f"{where}: `columns` must map contract columns to the CSV's")
    rules: list[ColumnRule] = []
    for target, spec in columns.items():
        key = f"{where} columns.{target}"
        if target not in contract:
            raise LandingError(
                f"{key}: `{target}` is not a column of {source} ({', '.join(contract)})"
            )
        rules.append(
            _rule(
                target, contract[target].type, spec, key, default_zone, default_format
            )
        )
    mapped = {rule.target for rule in rules}
    for column in SOURCES[source]:
        if column.required and column.name not in mapped:
            raise LandingError(
                f"{where}: required column `{column.name}` is not mapped "
                "(give it a `column:` or a `default:`)"
            )
    queues = data.get("queues")
    queue_map = None
    if queues is not None:
        if not isinstance(queues, dict):
            raise LandingError(f"{where}: `queues` must map export queue → queue_id")
        queue_map = queue_map_from_dict(
            {"queues": queues}, where=f"{where} queues", known_queue_ids=known_queue_ids
        )
    delimiter = str(data.get("delimiter", ","))
    if len(delimiter) != 1:
        raise LandingError(f"{where}: `delimiter` must be one character")
    return CsvMapping(
        source=source,
        rules=tuple(rules),
        origin=where,
        delimiter=delimiter,
        encoding=str(data.get("encoding", "utf-8-sig")),
        queue_map=queue_map,
    )


def _rule(
    target: str,
    kind: str,
    spec: object,
    where: str,
    default_zone: ZoneInfo | None,
    default_format: object,
) -> ColumnRule:
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        raise LandingError(f"{where}: give a CSV column name or a mapping of options")
    check_keys(spec, _RULE_KEYS, where=where)
    if "column" not in spec and "default" not in spec:
        raise LandingError(f"{where}: needs `column` or `default`")
    if kind not in ("timestamp", "date") and ("format" in spec or "timezone" in spec):
        raise LandingError(f"{where}: `format`/`timezone` apply to timestamps only")
    unit = str(spec.get("unit", "seconds"))
    if "unit" in spec and kind != "number":
        raise LandingError(f"{where}: `unit` applies to durations (numbers) only")
    if unit not in DURATION_UNITS:
        raise LandingError(
            f"{where}: unknown unit {unit!r}; use one of {', '.join(DURATION_UNITS)}"
        )
    values = spec.get("values")
    if values is not None and not isinstance(values, dict):
        raise LandingError(f"{where}: `values` must map export texts to values")
    fmt = spec.get("format", default_format if kind in ("timestamp", "date") else None)
    column = spec.get("column")
    return ColumnRule(
        target=target,
        type=kind,
        column=None if column is None else str(column),
        timestamp_format=None if fmt is None else str(fmt),
        timezone=zone(spec["timezone"], where=where)
        if "timezone" in spec
        else default_zone,
        unit=unit,
        values=None if values is None else {str(k): v for k, v in values.items()},
        default=spec.get("default"),
    )


# -------------------------------------------------------------------- one record


def _seconds(text: str, unit: str) -> float:
    if unit == "HH:MM:SS":
        match = _CLOCK.match(text)
        if match is None:
            raise RecordError(f"{text!r} is not a duration HH:MM:SS")
        hours, minutes, seconds = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    try:
        value = float(text)
    except ValueError:
        raise RecordError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise RecordError(f"{text!r} is not a finite number")
    return value * DURATION_UNITS[unit]


def _typed(rule: ColumnRule, value: Any) -> Any:
    """Turn a (value-mapped) cell into the contract type of `rule.target`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if rule.type == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise RecordError(f"{value!r} is not a boolean (map it with `values`)")
    if isinstance(value, bool):
        raise RecordError(f"{value!r} is a boolean, `{rule.target}` is not")
    text = str(value).strip()
    if rule.type == "timestamp":
        return parse_timestamp(text, fmt=rule.timestamp_format, tz=rule.timezone)
    if rule.type == "date":
        try:
            if rule.timestamp_format is None:
                return date.fromisoformat(text)
            return datetime.strptime(text, rule.timestamp_format).date()
        except ValueError:
            expected = rule.timestamp_format or "YYYY-MM-DD"
            raise RecordError(f"{text!r} is not a date ({expected})") from None
    if rule.type == "number":
        return _seconds(text, rule.unit)
    if rule.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise RecordError(f"{text!r} is not a whole number") from None
    return text


def row_from_record(
    record: Mapping[str, str], mapping: CsvMapping, *, queue_map: QueueMap | None = None
) -> dict[str, str]:
    """Map one CSV record (header name → text) to a formatted contract row.

    Parameters
    ----------
    record : mapping of str to str
        The record's cells by header name.
    mapping : CsvMapping
        The parsed mapping file.
    queue_map : QueueMap, optional
        Overrides the mapping's own ``queues``. A queue not in the map rejects the
        record; without any map the export's value is written unchanged.

    Returns
    -------
    dict of str to str
        Every contract column of the mapping's source, formatted.

    Raises
    ------
    RecordError
        If a cell cannot be read (the reason names the CSV column and the value) or
        the row breaks the contract (a required column empty, a negative duration,
        timestamps out of order).
    """
    queues = queue_map if queue_map is not None else mapping.queue_map
    values: dict[str, Any] = {}
    for rule in mapping.rules:
        raw: Any = record.get(rule.column) if rule.column is not None else None
        if isinstance(raw, str):
            raw = raw.strip()
        label = f"`{rule.column}`" if rule.column else "the default"
        if raw in (None, ""):
            raw = rule.default
        elif rule.values is not None:
            if raw not in rule.values:
                shown = ", ".join(repr(k) for k in rule.values)
                raise RecordError(
                    f"{label}={raw!r} is not in the `values` of {rule.target} ({shown})"
                )
            raw = rule.values[raw]
        try:
            value = _typed(rule, raw)
        except RecordError as error:
            raise RecordError(f"{label} → {rule.target}: {error}") from None
        if rule.target == "queue_id" and value is not None and queues is not None:
            value = queues.lookup([value])
        values[rule.target] = value
    if mapping.source == "contacts":
        return finish_contact(values)
    for column in SOURCES[mapping.source]:
        if column.required and values.get(column.name) in (None, ""):
            raise RecordError(f"`{column.name}` is missing")
    return {
        column.name: format_value(values.get(column.name))
        for column in SOURCES[mapping.source]
    }


# -------------------------------------------------------------------- many files


def _records(
    path: Path, mapping: CsvMapping
) -> Iterator[tuple[int, list[str], list[str]]]:
    """(starting line, header, fields) per record; header problems raise."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LandingError(f"cannot read {path}: {error.strerror}") from None
    try:
        text = raw.decode(mapping.encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LandingError(
            f"{path} line {line}: not {mapping.encoding} text (set `encoding`)"
        ) from None
    except LookupError:
        raise LandingError(
            f"{mapping.origin}: unknown encoding {mapping.encoding!r}"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    line = 1
    try:
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise LandingError(f"{path} is empty (no header line)") from None
        for column, target in ((r.column, r.target) for r in mapping.rules):
            if column is not None and column not in header:
                raise LandingError(
                    f"{path}: column {column!r} (mapped to `{target}` in "
                    f"{mapping.origin}) is not in the header; the header has "
                    f"{', '.join(header)}"
                )
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            if fields:
                yield line, header, fields
    except csv.Error as error:
        raise LandingError(
            f"{path} line {line}: not readable as CSV: {error}"
        ) from None


def adapt_csv(
    paths: Sequence[Path | str],
    out: Path | str,
    *,
    mapping: CsvMapping,
    queue_map: QueueMap | None = None,
) -> AdapterReport:
    """Convert CSV exports into ``<out>/<source>/csv__*.csv`` through `mapping`.

    Parameters
    ----------
    paths : sequence of path
        CSV files, or folders of ``*.csv`` files.
    out : path
        The landing directory.
    mapping : CsvMapping
        From :func:`load_csv_mapping`.
    queue_map : QueueMap, optional
        Overrides the mapping's ``queues``.

    Returns
    -------
    AdapterReport
        Records read, rows written, and every record not written with its file,
        record number, the line it starts on (the header is line 1) and reason.

    Raises
    ------
    LandingError
        If an input is missing, unreadable, or lacks a mapped column (naming the CSV
        file and the column).
    """
    files = input_files(paths, suffixes=(".csv", ".txt"))
    results: list[RecordResult] = []
    for path in files:
        records = enumerate(_records(path, mapping), start=1)
        for number, (line, header, fields) in records:
            if len(fields) != len(header):
                reason = (
                    f"malformed: {len(fields)} fields where the header has "
                    f"{len(header)} (check the quoting)"
                )
                results.append(RecordResult(path, number, None, reason, line))
                continue
            record = dict(zip(header, fields, strict=True))
            try:
                row = row_from_record(record, mapping, queue_map=queue_map)
            except RecordError as error:
                results.append(RecordResult(path, number, None, str(error), line))
                continue
            results.append(RecordResult(path, number, row, line=line))
    notes = []
    has_queue = any(rule.target == "queue_id" for rule in mapping.rules)
    if has_queue and queue_map is None and mapping.queue_map is None:
        notes.append("no queue map: queue values written as queue_id unchanged")
    return write_landing(
        ADAPTER, results, out, files_read=files, source=mapping.source, notes=notes
    )
