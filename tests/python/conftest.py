"""Warehouses shared by the whole session: each is built once, read by many modules.

Building the dbt project is the slow part of the suite, so tests that only *read* a
warehouse share these instead of building their own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from opsmart.cli import main
from opsmart.synth import generate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: The small simulated center: 35 days (five full weeks) of a 20-agent center.
SMALL_DAYS, SMALL_AGENTS, SMALL_SEED = 35, 20, 5


@pytest.fixture(scope="session")
def per_call_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made per-call export (only `contacts`, no duration columns) built."""
    warehouse = tmp_path_factory.mktemp("per_call") / "opsmart.duckdb"
    landing = FIXTURES / "per_call_export"
    argv = ["build", "--landing", str(landing), "--warehouse", str(warehouse)]
    assert main([*argv, "--docs"]) == 0
    return warehouse


@pytest.fixture(scope="session")
def small_center(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with `landing/` and the `opsmart.duckdb` built from it (all tests)."""
    root = tmp_path_factory.mktemp("small_center")
    generate(root / "landing", days=SMALL_DAYS, agents=SMALL_AGENTS, seed=SMALL_SEED)
    warehouse = root / "opsmart.duckdb"
    argv = ["build", "--landing", str(root / "landing"), "--warehouse", str(warehouse)]
    assert main(argv) == 0
    return root
