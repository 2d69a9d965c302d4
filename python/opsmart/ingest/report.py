"""What one `ingest` call did: files loaded and skipped, rows kept and quarantined."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opsmart.contract import MISSING_SOURCE_EFFECTS, SOURCES

__all__ = ["MIN_LOST_ROWS", "FileLoad", "IngestReport", "SkippedFile"]

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
class IngestReport:
    """The result of :func:`opsmart.ingest.ingest`.

    ``missing`` lists the optional sources with no rows in ``raw`` at all (from this
    or any earlier load); their metrics are null (``MISSING_SOURCE_EFFECTS``).
    """

    landing_dir: Path
    load_id: str
    file_format: str
    files: tuple[FileLoad, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
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
        lines = [
            f"ingest {self.landing_dir} ({self.file_format}), load {self.load_id}: "
            f"{len(self.files)} file(s) loaded, {len(self.skipped)} already loaded, "
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
                f"  {path}: ignored column(s) not in the contract: "
                + ", ".join(repr(c) for c in columns)
            )
        for source in self.missing:
            lines.append(f"  {source}: missing -> {MISSING_SOURCE_EFFECTS[source]}")
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
            "missing": {
                source: MISSING_SOURCE_EFFECTS[source] for source in self.missing
            },
            "ignored_columns": {
                path: list(columns) for path, columns in self.ignored_columns.items()
            },
            "plausible_span": self.plausible_span,
            "queue_catalog": self.queue_catalog,
        }
