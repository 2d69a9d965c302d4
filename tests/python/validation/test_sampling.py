"""Suites over more than MAX_ROWS_PER_SUITE rows check a hash sample, and say so."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from opsmart.validation import runner
from opsmart.validation.suites import Rule, Suite

UNIQUE = Rule("expect_column_values_to_be_unique", {"column": "k"})
NON_NEGATIVE = Rule(
    "expect_column_values_to_be_between", {"column": "v", "min_value": 0}
)
SUITE = Suite(
    name="t", tables=("main.t",), sql="select * from t", rules=(UNIQUE, NON_NEGATIVE)
)


@pytest.fixture
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """1,000 distinct keys with v >= 0."""
    with duckdb.connect() as connection:
        connection.execute(
            "create table t as select 'k' || i as k, i * 1.0 as v from range(1000) r(i)"
        )
        yield connection


def _results(connection: duckdb.DuckDBPyConnection) -> list[runner.CheckResult]:
    return list(runner.run_suites(connection, [SUITE], {}).results)


def test_small_suites_are_checked_whole(connection: duckdb.DuckDBPyConnection) -> None:
    results = _results(connection)
    assert [r.success for r in results] == [True, True]
    assert not any("sample" in r.details for r in results)


def test_large_suites_check_a_stable_hash_sample(
    connection: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "MAX_ROWS_PER_SUITE", 300)
    first = _results(connection)
    assert [r.success for r in first] == [True, True]
    sampled = first[0].details.split(";")[0]
    assert sampled.startswith("hash sample of ") and sampled.endswith(" of 1,000 rows")
    share = int(sampled.split()[3].replace(",", ""))
    assert 200 <= share <= 400  # about 300 of 1,000
    assert _results(connection) == first  # the same rows every time


def test_duplicates_among_sampled_keys_are_still_found(
    connection: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every key of 50 appears twice: a row sample would split most pairs, a key
    # sample keeps both copies of each key it takes
    connection.execute("insert into t select 'k' || i, 1.0 from range(50) r(i)")
    monkeypatch.setattr(runner, "MAX_ROWS_PER_SUITE", 300)
    unique = _results(connection)[0]
    assert not unique.success
    assert "hash sample of" in unique.details
    duplicated = int(unique.observed.split(" of ")[0])
    assert duplicated >= 2 and duplicated % 2 == 0  # whole pairs


def test_a_bad_value_in_the_sample_fails(
    connection: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    connection.execute("update t set v = -1")
    monkeypatch.setattr(runner, "MAX_ROWS_PER_SUITE", 300)
    assert [r.success for r in _results(connection)] == [True, False]
