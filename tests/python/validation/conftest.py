"""Fixtures: a good warehouse of marts and a good load of raw inputs, in memory."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from validation_helpers import build_good_marts, build_inputs, run_date_rows


@pytest.fixture
def marts() -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse whose marts pass every suite for the window DAY..DAY."""
    with duckdb.connect() as connection:
        build_good_marts(connection)
        yield connection


@pytest.fixture
def raw() -> Iterator[duckdb.DuckDBPyConnection]:
    """Raw tables whose load L1 passes every input suite for RUN_DATE."""
    with duckdb.connect() as connection:
        build_inputs(connection, run_date_rows())
        yield connection
