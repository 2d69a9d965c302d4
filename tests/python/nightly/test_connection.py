"""The run's DuckDB connections and dbt's share one memory cap and allocator setting."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly.connection import DEFAULT_MEMORY_LIMIT, connect, memory_limit

PROFILES = Path(__file__).resolve().parents[3] / "profiles.yml"


def _setting(connection: duckdb.DuckDBPyConnection, name: str) -> object:
    row = connection.execute(f"select current_setting('{name}')").fetchone()
    assert row is not None
    return row[0]


def test_profile_defaults_to_the_runs_cap() -> None:
    # dbt's child and the run's own connections must fall back to the same cap.
    text = PROFILES.read_text(encoding="utf-8")
    defaults = re.findall(r"env_var\('OPSMART_MEMORY_LIMIT', '([^']+)'\)", text)
    assert defaults == [DEFAULT_MEMORY_LIMIT]
    assert "allocator_background_threads: true" in text


def test_connect_applies_the_cap_and_background_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPSMART_MEMORY_LIMIT", "1GB")
    assert memory_limit() == "1GB"
    connection = connect(tmp_path / "w.duckdb")
    try:
        assert _setting(connection, "memory_limit") == "953.6 MiB"  # 1 GB in MiB
        assert _setting(connection, "allocator_background_threads") is True
        assert _setting(connection, "TimeZone") == "UTC"
    finally:
        connection.close()
