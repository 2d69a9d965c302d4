"""The run's DuckDB connections and dbt's share one memory cap and allocator setting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pytest
import yaml  # type: ignore[import-untyped]
from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.environments import create as create_environment

from opsmart.nightly.connection import DEFAULT_MEMORY_LIMIT, connect, memory_limit

PROFILES = Path(__file__).resolve().parents[3] / "profiles.yml"


def _setting(connection: duckdb.DuckDBPyConnection, name: str) -> object:
    row = connection.execute(f"select current_setting('{name}')").fetchone()
    assert row is not None
    return row[0]


def _duckdb_output(environment: dict[str, str]) -> dict[str, Any]:
    """profiles.yml's DuckDB output, rendered as dbt renders it in `environment`."""
    text = PROFILES.read_text(encoding="utf-8")
    output = yaml.safe_load(text)["opsmart"]["outputs"]["duckdb"]

    def env_var(name: str, default: str | None = None) -> str | None:
        return environment.get(name, default)

    def render(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: render(item) for key, item in value.items()}
        if isinstance(value, str):
            return jinja2.Template(value).render(env_var=env_var)
        return value

    rendered: dict[str, Any] = render(output)
    return rendered


def test_profile_defaults_to_the_runs_cap() -> None:
    # dbt's child and the run's own connections must fall back to the same cap.
    text = PROFILES.read_text(encoding="utf-8")
    defaults = re.findall(r"env_var\('OPSMART_MEMORY_LIMIT', '([^']+)'\)", text)
    assert defaults == [DEFAULT_MEMORY_LIMIT]
    assert _duckdb_output({})["config_options"]["memory_limit"] == DEFAULT_MEMORY_LIMIT


def test_dbt_sets_the_cap_once_and_every_cursor_has_it(tmp_path: Path) -> None:
    # The cap and the allocator's threads are database-wide: set when dbt-duckdb
    # opens the file (config_options), not again on each node's cursor (settings,
    # a statement per cursor). Every cursor must still see them, and UTC.
    output = _duckdb_output({"OPSMART_MEMORY_LIMIT": "1GB"})
    assert {"memory_limit", "allocator_background_threads"}.isdisjoint(
        output["settings"]
    )
    credentials = DuckDBCredentials.from_dict(
        {
            "path": str(tmp_path / "w.duckdb"),
            "database": "w",
            "schema": "main",
            "config_options": output["config_options"],
            "settings": output["settings"],
        }
    )
    environment = create_environment(credentials)
    handles = [environment.handle() for _ in range(2)]  # two nodes' cursors
    try:
        for handle in handles:
            cursor = handle.cursor()
            assert _setting(cursor, "memory_limit") == "953.6 MiB"  # 1 GB in MiB
            assert _setting(cursor, "allocator_background_threads") is True
            assert _setting(cursor, "TimeZone") == "UTC"
    finally:
        for handle in handles:
            handle.close()


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
