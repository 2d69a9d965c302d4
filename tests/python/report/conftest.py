"""Fixtures of the report tests: the tiny warehouse of `report_warehouse`."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from report_warehouse import create_contract_tables, fill_tiny_center


@pytest.fixture(scope="session")
def _tiny_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny_report") / "tiny.duckdb"
    with duckdb.connect(str(path)) as connection:
        create_contract_tables(connection)
        fill_tiny_center(connection)
    return path


@pytest.fixture
def tiny_warehouse(_tiny_template: Path, tmp_path: Path) -> Path:
    """A warehouse file with the contracted tables, a few rows and no audit tables.

    Each test gets its own copy, so it may add rows.
    """
    path = tmp_path / "tiny.duckdb"
    shutil.copyfile(_tiny_template, path)
    return path


@pytest.fixture
def tiny_connection(tiny_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to `tiny_warehouse`."""
    with duckdb.connect(str(tiny_warehouse), read_only=True) as connection:
        yield connection
