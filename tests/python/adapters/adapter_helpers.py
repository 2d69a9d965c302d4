"""Shared paths and readers for the adapter tests (a plain module, not a conftest,
so its name cannot clash with the other folders' ``conftest`` imports)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from opsmart.adapters import load_queue_map
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


def written(path: Path, text: str) -> Path:
    """*path*, written with *text* (UTF-8): a mapping or queue map file for a loader
    to read, so that a test of a bad file is the loader's call and its error."""
    path.write_text(text, encoding="utf-8")
    return path


def values_of(row: Mapping[str, str], *columns: str) -> tuple[str, ...]:
    """The values of *columns* in a landing row, in order: one tuple to compare with
    the hand-computed one."""
    return tuple(row[c] for c in columns)


def read_rows(path: Path) -> dict[str, dict[str, str]]:
    """A landing CSV as contact_id → row."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["contact_id"]: row for row in csv.DictReader(handle)}


def adapt_fixture(
    adapt: Callable[..., Any],
    load_mapping: Callable[[Path], Any],
    folder: Path,
    files: Sequence[Path],
    out: Path,
) -> tuple[Any, Path]:
    """Run a JSON adapter on fixture files into *out* with the mapping.yaml and
    queue_map.yaml of its fixture *folder*: (the adapter's report, *out*)."""
    report = adapt(
        list(files),
        out,
        options=load_mapping(folder / "mapping.yaml"),
        queue_map=load_queue_map(
            folder / "queue_map.yaml", known_queue_ids=SEED_QUEUES
        ),
    )
    return report, out


def assert_row_matches_expected(
    written: Path, expected: Mapping[str, tuple[str, ...]], contact_id: str
) -> None:
    """The landing CSV *written* holds exactly the contacts of *expected*, and that of
    *contact_id* has its JSON_EXPECTED_COLUMNS values."""
    rows = read_rows(written)
    assert set(rows) == set(expected)
    row = rows[contact_id]
    assert values_of(row, *JSON_EXPECTED_COLUMNS) == expected[contact_id]
