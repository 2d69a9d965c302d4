"""The dbt sources list exactly the contract's columns, in the contract's order."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from opsmart.contract import SOURCES, source_columns

STAGING = Path(__file__).resolve().parents[2] / "models" / "staging"


def _source_tables() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for path in STAGING.glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text())["sources"]:
            for table in source["tables"]:
                tables[table["name"]] = [c["name"] for c in table["columns"]]
    return tables


def test_sources_match_contract() -> None:
    tables = _source_tables()
    assert set(tables) == set(SOURCES)
    for name, columns in tables.items():
        assert columns == source_columns(name), name


def test_unknown_source_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="`source` must be one of"):
        source_columns("tickets")
