"""Every dbt unit test passes, run once per test session.

Unit tests pin the SQL's logic on fixed rows: they test the code, not a night's data,
so `opsmart build` and `opsmart run` leave them out (as dbt advises for production)
and they run here, against a copy of the small built center (dbt reads the column
types of a unit test's inputs from the warehouse).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from opsmart.nightly.dbt_runner import run_dbt
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline


def test_every_unit_test_passes(
    small_center: Path, tmp_path: Path, seed_parse: SeedParse
) -> None:
    warehouse = seed_parse(tmp_path) / "opsmart.duckdb"
    shutil.copy(small_center / "opsmart.duckdb", warehouse)

    passed = run_dbt(
        ["test", "--select", "test_type:unit"], warehouse=warehouse, state_dir=tmp_path
    )

    target = tmp_path / "target"
    declared = json.loads((target / "manifest.json").read_text())["unit_tests"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    statuses = {result["unique_id"]: result["status"] for result in results}
    failed = {name: status for name, status in statuses.items() if status != "pass"}
    assert passed, failed
    assert failed == {}
    # every declared unit test ran: a selector that matched nothing would pass too
    assert sorted(statuses) == sorted(declared)
    assert len(declared) >= 30


def test_builds_leave_the_unit_tests_out(small_center: Path) -> None:
    results = json.loads((small_center / "target" / "run_results.json").read_text())[
        "results"
    ]
    kinds = {result["unique_id"].split(".")[0] for result in results}
    assert "unit_test" not in kinds
    assert {"model", "test"} <= kinds
