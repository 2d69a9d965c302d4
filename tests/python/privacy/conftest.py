"""Fixtures of the privacy tests: the real `mask_pii` macro, compiled by dbt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from opsmart.nightly.dbt_runner import dbt_arguments


def compile_inline(sql: str, state_dir: Path) -> str:
    """`sql` (Jinja) compiled by dbt for this project's DuckDB target."""
    args = dbt_arguments(
        ["compile", "--inline", sql, "--output", "json", "--quiet"],
        state_dir=state_dir,
    )
    env = {
        **os.environ,
        "OPSMART_TARGET": "duckdb",
        "OPSMART_WAREHOUSE": str(state_dir / "compile.duckdb"),
    }
    completed = subprocess.run(
        [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    compiled: str = json.loads(completed.stdout)["compiled"]
    return compiled


@pytest.fixture(scope="session")
def mask_pii_sql(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The SQL expression `{{ mask_pii('comment') }}` renders to on DuckDB."""
    return compile_inline(
        "{{ mask_pii('comment') }}", tmp_path_factory.mktemp("dbt_compile")
    )
