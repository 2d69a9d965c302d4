"""What every adapter shares: contract-shaped rows, the queue map, the report, the
landing files.

An adapter turns one vendor record into one ``contacts`` row (a dict of contract
columns) or raises :class:`RecordError` with the reason; :func:`finish_contact` checks
and formats the row the same way for every vendor; :func:`write_landing` writes the
rows as CSV files that follow ``docs/data_contract.md`` and returns the
:class:`AdapterReport`, in which ``records_read = rows_written + rows_rejected``.

This module reads the vendor's side (input files, JSON streams, mapping files, the
queue map) and re-exports the rest, so an adapter imports from one place: the row
from :mod:`opsmart.adapters._contact_row`, the files and the report from
:mod:`opsmart.adapters._landing_writer`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from opsmart.adapters._contact_row import (
    ContactTimes,
    RecordError,
    finish_contact,
    format_value,
    parse_timestamp,
    seconds_between,
    zone,
)
from opsmart.adapters._landing_writer import (
    AdapterReport,
    RecordResult,
    Rejection,
    write_landing,
)
from opsmart.contract import LandingError

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
