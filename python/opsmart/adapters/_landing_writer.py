"""The landing files of one adapter run: each record's result, the CSV files
written from them, and the report in which ``records_read = rows_written +
rows_rejected``."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from opsmart.contract import LandingError, source_columns

__all__ = ["AdapterReport", "RecordResult", "Rejection", "write_landing"]


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
