"""Helpers for the load-step tests: write small landing files, reconcile.

A module of its own name, not conftest: `from conftest import ...` finds whichever
conftest was imported first, so a run of several test folders failed to import.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from opsmart.ingest import IngestReport, seed_queues

PROJECT = Path(__file__).resolve().parents[3]
QUEUES = seed_queues(PROJECT)

#: One valid row per source; tests copy and change it.
GOOD: dict[str, dict[str, str]] = {
    "queues": {
        "queue_id": "q_voice_sales",
        "queue_name": "Sales line",
        "channel": "voice",
        "team_id": "team_sales",
        "timezone": "Asia/Seoul",
        "sl_threshold_seconds": "20",
        "sl_target_rate": "0.8",
        "asa_target_seconds": "30",
        "abandonment_target_rate": "0.05",
    },
    "contacts": {
        "contact_id": "c1",
        "queue_id": "q_voice_sales",
        "channel": "voice",
        "arrived_at": "2026-03-02T10:00:00Z",
        "answered_at": "2026-03-02T10:00:20Z",
        "ended_at": "2026-03-02T10:05:00Z",
        "outcome": "handled",
        "talk_seconds": "280",
        "is_resolved": "true",
    },
    "agent_intervals": {
        "agent_id": "a1",
        "team_id": "team_sales",
        "queue_id": "q_voice_sales",
        "interval_start": "2026-03-02T10:00:00Z",
        "interval_minutes": "15",
        "staffed_seconds": "900",
        "available_seconds": "300",
        "handling_seconds": "500",
        "aux_seconds": "100",
    },
    "survey_responses": {
        "response_id": "r1",
        "survey_type": "csat",
        "responded_at": "2026-03-02T11:00:00Z",
        "score": "4",
        "scale_min": "1",
        "scale_max": "5",
        "comment": "fine",
    },
    "customers": {
        "customer_id": "cu1",
        "segment": "consumer",
        "signed_up_at": "2025-01-01T00:00:00Z",
        "churned_at": "",
        "monthly_revenue": "30.5",
    },
    "costs": {
        "team_id": "team_sales",
        "effective_from": "2026-01-01",
        "loaded_cost_per_agent_hour": "38",
        "currency": "USD",
    },
}

#: The column that makes a row of GOOD distinct (part of the key of event sources).
ID = {
    "queues": "queue_id",
    "contacts": "contact_id",
    "agent_intervals": "agent_id",
    "survey_responses": "response_id",
    "customers": "customer_id",
    "costs": "team_id",
}


def row(source: str, **changes: str) -> dict[str, str]:
    """GOOD[source] with some values changed."""
    values = dict(GOOD[source])
    values.update(changes)
    return values


def csv_text(rows: Sequence[Mapping[str, str]], header: Sequence[str] = ()) -> str:
    """A CSV file of `rows` (plain fields: the tests use no commas or quotes)."""
    names = list(header or dict.fromkeys(name for r in rows for name in r))
    lines = [",".join(names)] + [",".join(r.get(n, "") for n in names) for r in rows]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str | bytes) -> Path:
    """Write `text` (UTF-8) or bytes to `path`, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def contacts_file(landing: Path, name: str = "contacts.csv", **changes: str) -> Path:
    """A one-row contacts file (contacts is the required source)."""
    return write(landing / "contacts" / name, csv_text([row("contacts", **changes)]))


@dataclass
class Loaded:
    """A warehouse after `ingest`, with the report."""

    connection: duckdb.DuckDBPyConnection
    report: IngestReport

    def quarantine(self) -> list[tuple[str, int, str, str | None]]:
        """(file name, row, reason_code, column_name) of every quarantined row."""
        rows = self.connection.execute(
            "select source_file, source_row, reason_code, column_name "
            "from audit.quarantine order by source_file, source_row"
        ).fetchall()
        return [(Path(f).name, int(r), str(c), n) for f, r, c, n in rows]

    def reasons(self) -> list[str]:
        """The `reason` of every quarantined row, in file and row order."""
        rows = self.connection.execute(
            "select reason from audit.quarantine order by source_file, source_row"
        ).fetchall()
        return [str(r) for (r,) in rows]

    def loaded_rows(self, source: str) -> list[tuple[str, int]]:
        """(file name, row) of every row of raw.<source>."""
        rows = self.connection.execute(
            f"select _source_file, _source_row from raw.{source} "
            "order by _source_file, _source_row"
        ).fetchall()
        return [(Path(f).name, int(r)) for f, r in rows]

    def raw(self, source: str, *columns: str) -> list[tuple[object, ...]]:
        """Columns of raw.<source> in file and row order."""
        return [
            tuple(r)
            for r in self.connection.execute(
                f"select {', '.join(columns)} from raw.{source} "
                "order by _source_file, _source_row"
            ).fetchall()
        ]


def assert_reconciled(connection: duckdb.DuckDBPyConnection) -> None:
    """Per loaded file: read = loaded + quarantined, equal to the table counts."""
    from opsmart.contract import SOURCES

    raw_counts = " union all ".join(
        f"select _source_file as f, count(*) as n from raw.{s} group by 1"
        for s in SOURCES
    )
    rows = connection.execute(
        f"""
        with r as ({raw_counts}),
        q as (select source_file as f, count(*) as n from audit.quarantine group by 1)
        select l.source_file, l.rows_read, l.rows_loaded, l.rows_quarantined,
            coalesce(r.n, 0), coalesce(q.n, 0)
        from raw.loaded_files as l
        left join r on r.f = l.source_file
        left join q on q.f = l.source_file
        """
    ).fetchall()
    for path, read, loaded, quarantined, in_raw, in_quarantine in rows:
        assert read == loaded + quarantined, path
        assert (loaded, quarantined) == (in_raw, in_quarantine), path
    orphans = connection.execute(
        f"""
        select f from ({raw_counts})
        union all select source_file from audit.quarantine
        except select source_file from raw.loaded_files
        """
    ).fetchall()
    assert orphans == []


Ingest = Callable[..., Loaded]
