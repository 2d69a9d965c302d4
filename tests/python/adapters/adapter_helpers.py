"""Shared paths and readers for the adapter tests (a plain module, not a conftest,
so its name cannot clash with the other folders' ``conftest`` imports)."""

from __future__ import annotations

import csv
from pathlib import Path

from opsmart.ingest import seed_queue_ids

PROJECT = Path(__file__).resolve().parents[3]
FIXTURES = PROJECT / "tests" / "fixtures" / "adapters"
CONNECT = FIXTURES / "amazon_connect"
GENESYS = FIXTURES / "genesys_cloud"
GENERIC = FIXTURES / "generic_csv"

#: The landing columns the JSON adapters' tables of expected values list, in order.
JSON_EXPECTED_COLUMNS = (
    "outcome",
    "queue_id",
    "ivr_seconds",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "answered_at",
    "ended_at",
)

#: The queue ids of seeds/queues.csv, which queue maps must point to.
SEED_QUEUES = frozenset(seed_queue_ids(PROJECT))


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    """A landing CSV as contact_id → row."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["contact_id"]: row for row in csv.DictReader(handle)}
