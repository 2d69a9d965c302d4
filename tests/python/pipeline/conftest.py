"""Fixtures that build the dbt project into throw-away warehouses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from opsmart.cli import main

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

Query = Callable[[str], list[tuple[object, ...]]]


def _build(
    landing: Path, warehouse: Path, dbt_vars: str | None = None, *extra: str
) -> int:
    """Run `opsmart build` in-process and return its exit code."""
    argv = ["build", "--landing", str(landing), "--warehouse", str(warehouse), *extra]
    if dbt_vars:
        argv += ["--vars", dbt_vars]
    return main(argv)


def _query(warehouse: Path) -> Query:
    """A read-only query function over a built warehouse."""

    def run(sql: str) -> list[tuple[object, ...]]:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    return run


@pytest.fixture(scope="session")
def build() -> Callable[..., int]:
    """`build(landing, warehouse, dbt_vars=None)` runs `opsmart build`."""
    return _build


@pytest.fixture(scope="session")
def query() -> Callable[[Path], Query]:
    """`query(warehouse)(sql)` returns all rows of `sql` on a built warehouse."""
    return _query


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures."""
    return FIXTURES
