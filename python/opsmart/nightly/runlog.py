"""The run log: what one run did, as JSON beside the warehouse and a row inside it.

Schedulers and people ask the same questions of a nightly run: which dates, how long
each step took, how many rows were read, loaded and quarantined, what the validation
said, which KPI definitions (dbt vars) were in force, and how it ended. A `RunLog`
collects the answers as the run goes; `write_json` saves it whatever the outcome (whole
or not at all), and `store` appends it to `audit.run_log` in the warehouse that is
about to be published.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from opsmart._text import one_line
from opsmart.nightly._durable import write_atomically

__all__ = ["RunLog", "Step", "has_run_log", "is_run_id", "new_run_id"]

#: A run id: the UTC start time, then random hex (two runs in one second differ).
_RUN_ID = re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{6}")


def new_run_id() -> str:
    """A new run id, e.g. ``20260303T023000Z-1a2b3c``; ids sort by start time."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)


def is_run_id(name: str) -> bool:
    """Whether `name` is a run id (the name of a run's log and export folder).

    >>> is_run_id("20260303T023000Z-1a2b3c"), is_run_id("current")
    (True, False)
    """
    return _RUN_ID.fullmatch(name) is not None


@dataclass
class Step:
    """One timed step of a run."""

    name: str
    seconds: float
    status: str  # ok | failed


@dataclass
class RunLog:
    """Everything one run records; see docs/nightly.md for the fields."""

    run_id: str
    command: str
    run_date: date | None
    window_start: date | None
    full_refresh: bool
    dbt_vars: dict[str, Any]
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    status: str = "running"
    exit_code: int | None = None
    error: str | None = None
    steps: list[Step] = field(default_factory=list)
    ingest: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    table_rows: dict[str, int] = field(default_factory=dict)
    #: Whether this run refitted the whole-history statistics, and as of when they
    #: are (opsmart.nightly.refit.Refit.to_dict).
    history_statistics: dict[str, Any] = field(default_factory=dict)
    published: bool = False
    report: str | None = None

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step `name`; a raised error marks it failed."""
        started = time.perf_counter()
        try:
            yield
        except BaseException:
            self.steps.append(Step(name, time.perf_counter() - started, "failed"))
            raise
        self.steps.append(Step(name, time.perf_counter() - started, "ok"))

    def finish(self, exit_code: int, error: str | None = None) -> None:
        """Record how the run ended; `error` is kept as one printable line."""
        self.exit_code = exit_code
        self.error = None if error is None else one_line(error)
        self.status = "success" if exit_code == 0 else "failed"
        self.finished_at = datetime.now(UTC)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates and times as ISO text)."""
        plain: dict[str, Any] = json.loads(json.dumps(asdict(self), default=_iso))
        return plain

    def write_json(self, folder: Path) -> Path:
        """Write `<folder>/<run_id>.json`, whole or not at all; return its path.

        Raises
        ------
        OSError
            If the folder cannot be written (full disk, read-only, no permission).
        """
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.run_id}.json"
        write_atomically(path, json.dumps(self.to_dict(), indent=2) + "\n")
        return path

    def store(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Append this run to `audit.run_log` (created on first use)."""
        connection.execute("create schema if not exists audit")
        connection.execute(
            """
            create table if not exists audit.run_log (
                run_id varchar primary key,
                command varchar,
                status varchar,
                run_date date,
                window_start_date date,
                is_full_refresh boolean,
                started_at timestamptz,
                seconds double,
                rows_read bigint,
                rows_loaded bigint,
                rows_quarantined bigint,
                validation_errors integer,
                validation_warnings integer,
                log_json json
            )
            """
        )
        totals = self.ingest.get("totals", {})
        failures = [
            result
            for results in self.validation.values()
            for result in results
            if not result["success"]
        ]
        connection.execute(
            "insert into audit.run_log values "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                self.run_id,
                self.command,
                self.status,
                self.run_date,
                self.window_start,
                self.full_refresh,
                self.started_at,
                sum(step.seconds for step in self.steps),
                sum(t.get("rows_read", 0) for t in totals.values()),
                sum(t.get("rows_loaded", 0) for t in totals.values()),
                sum(t.get("rows_quarantined", 0) for t in totals.values()),
                sum(1 for f in failures if f["severity"] == "error"),
                sum(1 for f in failures if f["severity"] == "warn"),
                json.dumps(self.to_dict()),
            ],
        )

    def summary_lines(self) -> list[str]:
        """Short human-readable lines for the terminal."""
        lines = [
            f"run {self.run_id}: {self.status}"
            + (f" (exit {self.exit_code})" if self.exit_code else "")
        ]
        lines += [f"  {s.name:<16}{s.seconds:8.1f} s  {s.status}" for s in self.steps]
        if self.error:
            lines.append(f"  error: {self.error}")
        return lines


def has_run_log(connection: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has `audit.run_log` (an empty or older one may not)."""
    row = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'audit' and table_name = 'run_log'"
    ).fetchone()
    return bool(row and row[0])


def _iso(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to the run log")
