"""The queue catalog the row rules check contacts and agent intervals against.

The catalog in force is the landing folder's ``queues/`` (loaded first, in this or an
earlier load) when there is one, else the project's ``seeds/queues.csv``. The rules
join it as a temporary table (:data:`~opsmart.ingest.rules.QUEUES_TABLE`).
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from opsmart.ingest.rules import QUEUES_TABLE
from opsmart.ingest.settings import LoadSettings

__all__ = [
    "CatalogQueue",
    "catalog_in_force",
    "register_catalog",
    "seed_queue_ids",
    "seed_queues",
]


@dataclass(frozen=True)
class CatalogQueue:
    """A queue of the queue catalog, as far as the row rules need it."""

    queue_id: str
    channel: str | None = None
    timezone: str | None = None


def seed_queues(project_dir: Path | str) -> tuple[CatalogQueue, ...]:
    """The queue catalog of ``<project_dir>/seeds/queues.csv`` (the demo's queues).

    Raises
    ------
    ValueError
        If the file has no ``queue_id`` column.
    """
    path = Path(project_dir) / "seeds" / "queues.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "queue_id" not in (reader.fieldnames or []):
            raise ValueError(f"{path} has no `queue_id` column")
        return tuple(
            CatalogQueue(
                queue_id=row["queue_id"].strip(),
                channel=(row.get("channel") or "").strip().lower() or None,
                timezone=(row.get("timezone") or "").strip() or None,
            )
            for row in reader
            if row["queue_id"]
        )


def seed_queue_ids(project_dir: Path | str) -> set[str]:
    """The ``queue_id`` values of ``<project_dir>/seeds/queues.csv``."""
    return {queue.queue_id for queue in seed_queues(project_dir)}


def catalog_in_force(
    connection: duckdb.DuckDBPyConnection, queues: Collection[CatalogQueue] | None
) -> tuple[tuple[CatalogQueue, ...] | None, str]:
    """The queue catalog in force and where it comes from (for the report).

    The landing's catalog (``raw.queues``, from this load or an earlier one; the
    latest version of each queue wins, as in staging) replaces `queues`.
    """
    landed = connection.execute(
        """
        select queue_id, lower(trim(channel)), nullif(trim(timezone), '')
        from (
            select *, row_number() over (
                partition by queue_id
                order by _load_id desc, _source_file desc, _source_row desc
            ) as version_rank
            from raw.queues
        )
        where version_rank = 1
        order by queue_id
        """
    ).fetchall()
    if landed:
        found = tuple(CatalogQueue(str(q), c, z) for q, c, z in landed)
        return found, f"landing queues/ ({len(found)} queues)"
    if queues is None:
        return None, "none (queues not checked)"
    return tuple(queues), f"the project's seeds/queues.csv ({len(queues)} queues)"


def register_catalog(
    connection: duckdb.DuckDBPyConnection,
    catalog: Collection[CatalogQueue],
    settings: LoadSettings,
) -> None:
    """(Re)create the temporary catalog table the row rules join (maybe empty)."""
    unique = {queue.queue_id: queue for queue in catalog}
    table = pa.table(
        {
            "queue_id": pa.array(list(unique), type=pa.string()),
            "channel": pa.array([q.channel for q in unique.values()], pa.string()),
            "timezone": pa.array(
                [q.timezone or settings.reporting_timezone for q in unique.values()],
                pa.string(),
            ),
        }
    )
    connection.register("_ingest_queues_view", table)
    try:
        connection.execute(
            f"create or replace temp table {QUEUES_TABLE} as "
            "select * from _ingest_queues_view where queue_id is not null"
        )
    finally:
        connection.unregister("_ingest_queues_view")
