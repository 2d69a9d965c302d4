"""Every DuckDB connection of a run, with the run's memory cap.

DuckDB's default cap is 80 % of the machine's memory, and a run has two processes
with a DuckDB each (this one, and dbt's child). The cap, `$OPSMART_MEMORY_LIMIT`
(default 1792MB, also applied to dbt through profiles.yml), keeps a full rebuild of a
year of a 500-agent center under 3 GB in all (2.7 GB; docs/performance.md), where
uncapped processes would take what the machine has; DuckDB spills what it can to
disk. Beside the cap the dbt child holds dbt itself and the Python models' frames.
Lower caps can fail: at 1536MB the year builds, but the nightly run of a 2,000-agent
month ran out of memory in rpt_cost_vs_satisfaction. Raise it on a bigger machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

__all__ = ["DEFAULT_MEMORY_LIMIT", "connect", "memory_limit"]

DEFAULT_MEMORY_LIMIT = "1792MB"


def memory_limit() -> str:
    """DuckDB's memory cap for this run: $OPSMART_MEMORY_LIMIT, else 1792MB."""
    return os.environ.get("OPSMART_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file `path` with the run's memory cap, in UTC.

    UTC as in dbt's profile: a timestamp without an offset is UTC by the data
    contract, and no check may depend on the machine's time zone (``TZ``).
    """
    connection = duckdb.connect(
        str(path),
        read_only=read_only,
        # Background threads hand freed memory back to the system (profiles.yml).
        config={"memory_limit": memory_limit(), "allocator_background_threads": True},
    )
    connection.execute("set TimeZone = 'UTC'")
    return connection
