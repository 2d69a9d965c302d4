"""What one `ingest` call did: files loaded, skipped and not loaded, rows kept and
quarantined."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsmart._text import one_line
from opsmart.contract import MISSING_SOURCE_EFFECTS, SOURCES

__all__ = [
    "MIN_LOST_ROWS",
    "NOT_LOADED_REASONS",
    "SAME_CONTENT",
    "FileLoad",
    "IngestReport",
    "NotLoadedFile",
    "SkippedFile",
]

#: A re-delivery: the bytes of a file already loaded, under another name.
SAME_CONTENT = "same_content"

#: Why a file under the landing folder was not loaded (docs/quarantine.md).
NOT_LOADED_REASONS: dict[str, str] = {
    SAME_CONTENT: "the same bytes as a file already loaded: a re-delivery",
    "symlink": "a symbolic link; links are not followed",
    "hidden": "a hidden file or folder (its name starts with a dot)",
    "not_in_source_folder": "directly in the landing folder, not in a source folder",
    "unknown_source_folder": "in a folder that is not a source",
    "in_sub_folder": "in a sub-folder of a source folder",
    "not_a_file": "not a regular file (a pipe, socket or device)",
    "name_not_utf8": "the file name is not UTF-8 text",
    "compressed": "compressed other than gzip CSV (.csv.gz)",
    "unsupported_format": "not .csv, .csv.gz or .parquet",
}

#: Files not loaded listed one per line by `IngestReport.describe`; the run log
#: (`to_dict`) lists them all.
_LISTED = 20

#: A source trips the quarantine threshold only when it lost at least this many rows
#: (or all it read): a handful of odd rows in a small load never stops the night.
MIN_LOST_ROWS = 50


@dataclass(frozen=True)
class FileLoad:
    """One loaded file: its identity, row counts and what was set aside.

    ``rows_read == rows_loaded + rows_quarantined`` always holds; the same numbers are
    written to ``raw.loaded_files``.
    """

    source: str
    path: Path
    size_bytes: int
    sha256: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    quarantined: Mapping[str, int] = field(default_factory=dict)
    ignored_columns: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "source": self.source,
            "path": str(self.path),
            "size_bytes": self.size_bytes,
            "sha256": self.sha256,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_quarantined": self.rows_quarantined,
            "quarantined": dict(self.quarantined),
            "ignored_columns": list(self.ignored_columns),
        }


@dataclass(frozen=True)
class SkippedFile:
    """A file already loaded, with the same content, by an earlier run."""

    source: str
    path: Path
    load_id: str


@dataclass(frozen=True)
class NotLoadedFile:
    """A file under the landing folder that no load reads, and why.

    `reason` is a key of :data:`NOT_LOADED_REASONS`; `detail` says what the code
    alone cannot (the file a re-delivery repeats). `source` is None outside the
    source folders.
    """

    source: str | None
    path: Path
    reason: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "source": self.source,
            "path": str(self.path),
            "reason": self.reason,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class IngestReport:
    """The result of :func:`opsmart.ingest.ingest`.

    ``missing`` lists the optional sources with no rows in ``raw`` at all (from this
    or any earlier load); their metrics are null (``MISSING_SOURCE_EFFECTS``).
    Every file under the landing folder is in ``files`` (loaded now), ``skipped``
    (loaded before) or ``not_loaded`` (with the reason).
    """

    landing_dir: Path
    load_id: str
    file_format: str
    files: tuple[FileLoad, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    not_loaded: tuple[NotLoadedFile, ...] = ()
    missing: tuple[str, ...] = ()
    seconds: float = 0.0
    #: The plausible span of timestamps this load was checked against (UTC text).
    plausible_span: str | None = None
    #: Where the queue catalog the rows were checked against came from.
    queue_catalog: str = ""

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        """Rows read, loaded and quarantined per source by this load."""
        totals = {
            source: {
                "files": 0,
                "rows_read": 0,
                "rows_loaded": 0,
                "rows_quarantined": 0,
            }
            for source in SOURCES
        }
        for load in self.files:
            total = totals[load.source]
            total["files"] += 1
            total["rows_read"] += load.rows_read
            total["rows_loaded"] += load.rows_loaded
            total["rows_quarantined"] += load.rows_quarantined
        return totals

    @property
    def quarantined(self) -> dict[str, dict[str, int]]:
        """Rows quarantined by this load, per source and reason code."""
        counts: dict[str, Counter[str]] = {}
        for load in self.files:
            counts.setdefault(load.source, Counter()).update(load.quarantined)
        return {
            source: dict(sorted(counter.items()))
            for source, counter in counts.items()
            if counter
        }

    @property
    def ignored_columns(self) -> dict[str, tuple[str, ...]]:
        """Columns not in the contract, per file that had any (they are not loaded)."""
        return {
            str(load.path): load.ignored_columns
            for load in self.files
            if load.ignored_columns
        }

    @property
    def not_loaded_counts(self) -> dict[str, int]:
        """Files not loaded, per reason code."""
        return dict(sorted(Counter(f.reason for f in self.not_loaded).items()))

    @property
    def rows_read(self) -> int:
        """Rows read from every file of this load."""
        return sum(load.rows_read for load in self.files)

    def over_quarantine_rate(
        self, max_rate: float, *, min_rows: int = MIN_LOST_ROWS
    ) -> list[str]:
        """Sources that lost more than `max_rate` of this load's rows, as
        "<source> <lost>/<read>"; empty when none did.

        The threshold is there to catch a broken feed, not an odd row: a source
        trips it only when it lost at least `min_rows` rows, or every row it read.
        Identical duplicates are quarantined but lose nothing (an export that
        overlaps the previous one), so they do not count as lost.
        """
        over = []
        for source, total in self.totals.items():
            identical = self.quarantined.get(source, {}).get("duplicate_identical", 0)
            lost, read = total["rows_quarantined"] - identical, total["rows_read"]
            if read and lost / read > max_rate and (lost >= min_rows or lost == read):
                over.append(f"{source} {lost}/{read}")
        return over

    def describe(self) -> list[str]:
        """Human-readable lines for the CLI and the run log."""
        rate = self.rows_read / self.seconds if self.seconds > 0 else 0.0
        not_loaded = f"{len(self.not_loaded)} not loaded, " if self.not_loaded else ""
        lines = [
            f"ingest {one_line(str(self.landing_dir))} ({self.file_format}), "
            f"load {self.load_id}: {len(self.files)} file(s) loaded, "
            f"{len(self.skipped)} already loaded, {not_loaded}"
            f"{self.rows_read:,} rows in {self.seconds:.1f} s ({rate:,.0f} rows/s)"
        ]
        quarantined = self.quarantined
        for source, total in self.totals.items():
            if not total["files"]:
                continue
            line = (
                f"  {source}: {total['files']} file(s), {total['rows_read']:,} read, "
                f"{total['rows_loaded']:,} loaded, "
                f"{total['rows_quarantined']:,} quarantined"
            )
            if source in quarantined:
                reasons = ", ".join(
                    f"{code} {count:,}" for code, count in quarantined[source].items()
                )
                line += f" ({reasons})"
            lines.append(line)
        for path, columns in self.ignored_columns.items():
            lines.append(
                f"  {one_line(path)}: ignored column(s) not in the contract: "
                + ", ".join(repr(c) for c in columns)
            )
        for source in self.missing:
            lines.append(f"  {source}: missing -> {MISSING_SOURCE_EFFECTS[source]}")
        lines += self._not_loaded_lines()
        if self.queue_catalog:
            lines.append(f"  queue catalog: {self.queue_catalog}")
        if self.plausible_span:
            lines.append(f"  plausible timestamps: {self.plausible_span}")
        if quarantined:
            lines.append(
                "  quarantined rows are in audit.quarantine "
                f"(load_id = '{self.load_id}'); see docs/quarantine.md"
            )
        return lines

    def _not_loaded_lines(self) -> list[str]:
        """The count per reason, then the first `_LISTED` files with their reason."""
        if not self.not_loaded:
            return []
        counts = ", ".join(f"{code} {n}" for code, n in self.not_loaded_counts.items())
        lines = [f"  not loaded: {len(self.not_loaded)} file(s) ({counts})"]
        for item in self.not_loaded[:_LISTED]:
            shown = (
                item.path.relative_to(self.landing_dir).as_posix()
                if item.path.is_relative_to(self.landing_dir)
                else str(item.path)
            )
            why = item.detail or NOT_LOADED_REASONS[item.reason]
            lines.append("    " + one_line(f"{shown}: {item.reason} ({why})"))
        if len(self.not_loaded) > _LISTED:
            lines.append(
                f"    ... and {len(self.not_loaded) - _LISTED} more "
                "(the run log lists every file)"
            )
        return lines

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict for the run log."""
        return {
            "landing_dir": str(self.landing_dir),
            "load_id": self.load_id,
            "file_format": self.file_format,
            "seconds": round(self.seconds, 3),
            "totals": self.totals,
            "quarantined": self.quarantined,
            "files": [load.to_dict() for load in self.files],
            "skipped": [
                {"source": s.source, "path": str(s.path), "load_id": s.load_id}
                for s in self.skipped
            ],
            "not_loaded": [item.to_dict() for item in self.not_loaded],
            "not_loaded_counts": self.not_loaded_counts,
            "missing": {
                source: MISSING_SOURCE_EFFECTS[source] for source in self.missing
            },
            "ignored_columns": {
                path: list(columns) for path, columns in self.ignored_columns.items()
            },
            "plausible_span": self.plausible_span,
            "queue_catalog": self.queue_catalog,
        }
