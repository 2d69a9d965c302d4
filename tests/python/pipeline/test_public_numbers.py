"""Public columns hold finite numbers or null, never +-inf or NaN (issue 17, item 6),
and each queueing baseline is null exactly when the docs say it is."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from public_numbers import non_finite_values

from opsmart.queueing.baselines import NULLED_COLUMNS

pytestmark = pytest.mark.pipeline


def test_small_center_publishes_finite_numbers_only(small_center: Path) -> None:
    scanned, found = non_finite_values(small_center / "opsmart.duckdb")
    assert scanned > 200  # every floating column of marts, reports and the export
    assert found == {}


def test_baselines_are_null_where_the_docs_say(small_center: Path) -> None:
    """A row's null baselines are among the columns its baseline_null_reason r
    nulls (NULLED_COLUMNS, as models/_kpi__docs.md `baseline_null_reason` lists
    them) or a later reason does (only the first is named), and include some of
    r's; a row without a reason has none."""
    reasons = list(NULLED_COLUMNS)
    every = sorted({c for columns in NULLED_COLUMNS.values() for c in columns})
    with duckdb.connect(str(small_center / "opsmart.duckdb"), read_only=True) as con:
        rows = con.execute(
            f"select baseline_null_reason, {', '.join(every)} "
            "from marts.fct_queue_intervals"
        ).fetchall()
    seen = set()
    for reason, *values in rows:
        nulls = {c for c, v in zip(every, values, strict=True) if v is None}
        if reason is None:
            assert not nulls
            continue
        seen.add(reason)
        later = reasons[reasons.index(reason) :]
        allowed = {c for r in later for c in NULLED_COLUMNS[r]}
        assert nulls <= allowed, (reason, nulls - allowed)
        assert nulls & set(NULLED_COLUMNS[reason]), reason
    assert {"no_handle_time", "no_contacts_offered"} <= seen
