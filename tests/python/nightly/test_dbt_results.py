"""What the run log keeps of a dbt build's tests (`dbt_test_report`), on a
hand-made `target/`: a failed row_checks test names its failing checks from its
query run again on the warehouse, and says only its row count when the query is
missing or no longer runs; a passing test's checks are not read again."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly.dbt_results import dbt_test_report

#: The shape of macro failing_row_counts' query, over a one-row table.
FAILING_CHECKS = (
    "select * from (values ('rate < 0 or rate > 1', 2), ('queue_id is null', 1)) "
    "as failing(failing_when, failing_rows)"
)


def _target(tmp_path: Path, compiled_code: str | None, status: str = "fail") -> Path:
    """A target/ with one row_checks test of `status` on model m."""
    node = {
        "name": "row_checks_m_abc",
        "attached_node": "model.opsmart.m",
        "config": {"severity": "error"},
        "test_metadata": {
            "name": "row_checks",
            "kwargs": {
                "not_null": ["queue_id"],
                "ranges": [{"columns": ["rate", "queue_id"], "min_value": 0}],
                "accepted_values": {"channel": ["voice"]},
                "expressions": ["a <= b"],
            },
        },
        "compiled_code": compiled_code,
    }
    result = {"unique_id": "test.opsmart.row_checks_m_abc", "status": status}
    result["failures"] = 3 if status == "fail" else 0
    target = tmp_path / "target"
    target.mkdir()
    manifest = {"nodes": {result["unique_id"]: node}}
    (target / "manifest.json").write_text(json.dumps(manifest))
    (target / "run_results.json").write_text(json.dumps({"results": [result]}))
    return target


@pytest.mark.parametrize(
    ("compiled_code", "observed"),
    [
        (
            FAILING_CHECKS,
            "3 row(s): rate < 0 or rate > 1 (2); queue_id is null (1)",
        ),
        (None, "3 row(s)"),  # no query kept
        ("select * from marts.gone", "3 row(s)"),  # a table the build did not make
    ],
)
def test_a_failed_row_checks_test_names_its_failing_checks(
    tmp_path: Path, compiled_code: str | None, observed: str
) -> None:
    with duckdb.connect() as warehouse:
        (check,) = dbt_test_report(_target(tmp_path, compiled_code), warehouse).results
    assert (check.suite, check.expectation, check.success) == (
        "dbt.m",
        "row_checks",
        False,
    )
    assert check.column == "queue_id, rate, channel"
    assert check.observed == observed


def test_a_passing_test_is_not_queried_again(tmp_path: Path) -> None:
    with duckdb.connect() as warehouse:
        target = _target(tmp_path, FAILING_CHECKS, status="pass")
        (check,) = dbt_test_report(target, warehouse).results
    assert (check.success, check.observed) == (True, "0 rows")


def test_without_a_warehouse_only_the_count(tmp_path: Path) -> None:
    (check,) = dbt_test_report(_target(tmp_path, FAILING_CHECKS)).results
    assert check.observed == "3 row(s)"
