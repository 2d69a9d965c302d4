"""How `run_dbt` starts dbt: the environment its child process gets."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from opsmart.nightly import dbt_runner


def _child_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment run_dbt gives dbt (no dbt is started)."""
    seen: dict[str, Any] = {}

    def fake_run(
        command: list[str], **options: Any
    ) -> subprocess.CompletedProcess[str]:
        seen.update(options)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(dbt_runner.subprocess, "run", fake_run)
    warehouse = tmp_path / "opsmart.duckdb"
    assert dbt_runner.run_dbt(
        ["build"], warehouse=warehouse, state_dir=tmp_path, env=env
    )
    assert seen["cwd"] == tmp_path
    child: dict[str, str] = seen["env"]
    assert child["OPSMART_WAREHOUSE"] == "opsmart.duckdb"
    return child


def test_dbt_logs_to_its_file_at_info_level_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    assert _child_env(monkeypatch, tmp_path)["DBT_LOG_LEVEL_FILE"] == "info"


def test_the_environment_chooses_another_log_level(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    assert _child_env(monkeypatch, tmp_path)["DBT_LOG_LEVEL_FILE"] == "debug"
    run_env = {"DBT_LOG_LEVEL_FILE": "warn", "OPSMART_RUN_WINDOW_START": "2026-03-08"}
    child = _child_env(monkeypatch, tmp_path, run_env)
    assert child["DBT_LOG_LEVEL_FILE"] == "warn"
    assert child["OPSMART_RUN_WINDOW_START"] == "2026-03-08"
