"""Fixtures of the privacy tests: the real `mask_pii` macro, compiled by dbt."""

from __future__ import annotations

import pytest

from shared_helpers import SeedParse, compile_inline


@pytest.fixture(scope="session")
def mask_pii_sql(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> str:
    """The SQL expression `{{ mask_pii('comment') }}` renders to on DuckDB."""
    return compile_inline(
        "{{ mask_pii('comment') }}", seed_parse(tmp_path_factory.mktemp("dbt_compile"))
    )
