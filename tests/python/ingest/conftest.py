"""Fixtures of the load-step tests; their helpers are in ingest_helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from ingest_helpers import QUEUES, Ingest, Loaded, assert_reconciled

from opsmart.ingest import CatalogQueue, LoadSettings, ingest


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return tmp_path / "landing"


@pytest.fixture
def warehouse() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse."""
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def run_ingest(landing: Path, warehouse: duckdb.DuckDBPyConnection) -> Ingest:
    """Ingest into the test's warehouse; reconcile after every call."""

    def run(
        folder: Path | None = None,
        *,
        load_id: str = "r1",
        queues: tuple[CatalogQueue, ...] | None = QUEUES,
        settings: LoadSettings | None = None,
        chunk_rows: int | None = None,
    ) -> Loaded:
        options = {} if chunk_rows is None else {"chunk_rows": chunk_rows}
        report = ingest(
            warehouse,
            folder or landing,
            load_id=load_id,
            queues=queues,
            settings=settings,
            **options,
        )
        assert_reconciled(warehouse)
        return Loaded(warehouse, report)

    return run
