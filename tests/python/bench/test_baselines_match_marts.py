"""The benchmark's baselines compute the same headline marts as the pipeline.

``opsmart.bench.floor`` (one DuckDB SQL script) and ``opsmart.bench.notebook``
(plain pandas) read the small simulated center's landing files; their tables must
equal the warehouse the pipeline built from the same files: the same keys, and on
every covered column the same values (counts and flags exactly, numbers within a
relative 1e-9: sums of doubles in another order, nothing more).

Known differences, by design of the baselines rather than of the definitions: they
do not ingest, so they neither quarantine rows that break the contract nor keep
only the latest version of a customer or cost row. The small center has no such
rows (checked below), so the tables must agree exactly.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml  # type: ignore[import-untyped]

from opsmart.bench import _shared, baseline, floor, notebook
from opsmart.nightly.dbt_runner import project_dir

pytestmark = pytest.mark.pipeline

RTOL = 1e-9

KEYS = {
    "fct_queue_intervals": ["queue_id", "interval_start_at"],
    "fct_queue_days": ["queue_id", "interval_date"],
    "rpt_cost_vs_satisfaction": [
        "dimension_type",
        "dimension_value",
        "period_grain",
        "period_start_date",
    ],
}

#: The columns each baseline must return and match, besides the keys.
COLUMNS = {
    "fct_queue_intervals": [
        "channel",
        "contacts_offered",
        "contacts_answered",
        "contacts_abandoned",
        "contacts_answered_within_threshold",
        "service_level_rate",
        "abandonment_rate",
        "asa_seconds",
        "aht_seconds",
        "avg_queue_length",
        "max_queue_length",
        "staffed_agents",
        "baseline_staffed_agents",
        "occupancy_rate",
        "utilization_rate",
        "staff_cost_amount",
        "allocated_staff_cost_amount",
        "cost_per_contact_amount",
        "cost_per_handle_second_amount",
        "patience_seconds",
        "traffic_erlangs",
        "erlang_c_service_level_rate",
        "erlang_c_asa_seconds",
        "erlang_a_service_level_rate",
        "erlang_a_abandonment_rate",
        "required_agents_erlang_c",
        "required_agents_erlang_a",
        "staffing_gap_agents",
        "is_staffing_estimated",
    ],
    "fct_queue_days": [
        "channel",
        "contacts_offered",
        "contacts_answered",
        "contacts_abandoned",
        "service_level_rate",
        "abandonment_rate",
        "asa_seconds",
        "aht_seconds",
        "occupancy_rate",
        "utilization_rate",
        "staffed_agent_hours",
        "required_agent_hours_erlang_a",
        "erlang_a_service_level_rate",
        "staff_cost_amount",
        "allocated_staff_cost_amount",
        "unallocated_staff_cost_amount",
        "cost_per_contact_amount",
        "has_estimated_staffing",
    ],
    "rpt_cost_vs_satisfaction": [
        "contacts_handled",
        "customers_served",
        "staff_cost_amount",
        "cost_per_contact_amount",
        "csat_responses",
        "csat_rate",
        "nps_responses",
        "nps",
        "customers_in_crm",
        "customers_churned",
        "churn_rate",
    ],
}

SCHEMAS = {
    "fct_queue_intervals": "marts",
    "fct_queue_days": "marts",
    "rpt_cost_vs_satisfaction": "reports",
}

#: The bench runs the floor twice: with DuckDB's default memory and under the
#: pipeline's cap; a cap changes how DuckDB computes (it may spill), not what.
FLOOR_CAP = "256MB"
BASELINES = {
    "floor": floor.compute,
    "floor_at_cap": partial(floor.compute, memory_limit=FLOOR_CAP),
    "notebook": notebook.compute,
}


def _normalized(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Keys as plain strings / microsecond timestamps, sorted and indexed."""
    out = frame.copy()
    for key in keys:
        if key.endswith(("_at", "_date")):
            out[key] = pd.to_datetime(out[key]).astype("datetime64[us]")
        else:
            out[key] = out[key].astype(str)
    return out.set_index(keys).sort_index()


def assert_same_table(
    actual: pd.DataFrame, expected: pd.DataFrame, keys: list[str], columns: list[str]
) -> None:
    """Assert equal keys, and equal values of `columns` (numbers within RTOL)."""
    missing = [c for c in [*keys, *columns] if c not in actual.columns]
    assert not missing, f"baseline lacks columns {missing}"
    left = _normalized(actual[[*keys, *columns]], keys)
    right = _normalized(expected[[*keys, *columns]], keys)
    assert left.index.is_unique, "baseline has duplicate keys"
    only_actual = left.index.difference(right.index)
    only_expected = right.index.difference(left.index)
    assert only_actual.empty and only_expected.empty, (
        f"keys only in the baseline: {list(only_actual[:5])}; "
        f"only in the mart: {list(only_expected[:5])}"
    )
    left = left.loc[right.index]
    for column in columns:
        got, want = left[column], right[column]
        if pd.api.types.is_bool_dtype(want) or not pd.api.types.is_numeric_dtype(want):
            same = (got.astype(object) == want.astype(object)) | (
                got.isna() & want.isna()
            )
        else:
            same = pd.Series(
                np.isclose(
                    got.astype("float64").to_numpy(),
                    want.astype("float64").to_numpy(),
                    rtol=RTOL,
                    atol=0.0,
                    equal_nan=True,
                ),
                index=want.index,
            )
        assert same.all(), (
            f"{column}: {int((~same).sum())} of {len(same)} rows differ, e.g.\n"
            + pd.DataFrame({"baseline": got, "mart": want})[~same].head().to_string()
        )


@pytest.fixture(scope="module")
def marts(small_center: Path) -> dict[str, pd.DataFrame]:
    """The pipeline's marts (the covered columns) from the small center's warehouse."""
    out: dict[str, pd.DataFrame] = {}
    with duckdb.connect(str(small_center / "opsmart.duckdb"), read_only=True) as con:
        for name, keys in KEYS.items():
            columns = ", ".join([*keys, *COLUMNS[name]])
            out[name] = con.sql(f"select {columns} from {SCHEMAS[name]}.{name}").df()
    return out


@pytest.fixture(scope="module")
def baselines(small_center: Path) -> dict[str, dict[str, pd.DataFrame]]:
    """Each baseline's tables, computed once from the small center's landing."""
    return {
        name: compute(small_center / "landing") for name, compute in BASELINES.items()
    }


def test_baselines_implement_the_project_defaults() -> None:
    project = yaml.safe_load((project_dir() / "dbt_project.yml").read_text())
    defaults = project["vars"]
    for name, value in {**_shared.VARS, **_shared.CHOICES}.items():
        assert defaults[name] == value, name


def test_small_center_has_nothing_for_ingest_to_drop(small_center: Path) -> None:
    """The baselines skip ingest: the comparison holds only for a clean landing."""
    with duckdb.connect(str(small_center / "opsmart.duckdb"), read_only=True) as con:
        quarantined = con.execute("select count(*) from audit.quarantine").fetchone()
        assert quarantined == (0,)
        for table, key in [
            ("customers", "customer_id"),
            ("costs", "team_id, effective_from"),
        ]:
            sql = f"select count(*) - count(distinct ({key})) from raw.{table}"
            assert con.execute(sql).fetchone() == (0,), table


@pytest.mark.parametrize("mart", list(KEYS))
@pytest.mark.parametrize("baseline", list(BASELINES))
def test_baseline_equals_mart(
    baseline: str,
    mart: str,
    baselines: dict[str, dict[str, pd.DataFrame]],
    marts: dict[str, pd.DataFrame],
) -> None:
    expected = marts[mart]
    assert len(expected) > 100
    assert_same_table(baselines[baseline][mart], expected, KEYS[mart], COLUMNS[mart])


def test_comparison_fails_on_a_wrong_value_or_row(
    baselines: dict[str, dict[str, pd.DataFrame]], marts: dict[str, pd.DataFrame]
) -> None:
    keys, columns = KEYS["fct_queue_intervals"], COLUMNS["fct_queue_intervals"]
    good = baselines["notebook"]["fct_queue_intervals"]
    expected = marts["fct_queue_intervals"]
    known = (
        good["erlang_a_service_level_rate"].notna() & good["staff_cost_amount"].notna()
    )
    row = int(np.flatnonzero(known)[0])

    wrong_value = good.copy()
    wrong_value.loc[row, "erlang_a_service_level_rate"] *= 1 + 1e-7
    with pytest.raises(AssertionError, match="erlang_a_service_level_rate"):
        assert_same_table(wrong_value, expected, keys, columns)

    wrong_null = good.copy()
    wrong_null.loc[row, "staff_cost_amount"] = np.nan
    with pytest.raises(AssertionError, match="staff_cost_amount"):
        assert_same_table(wrong_null, expected, keys, columns)

    wrong_flag = good.copy()
    wrong_flag.loc[row, "is_staffing_estimated"] = not good.loc[
        row, "is_staffing_estimated"
    ]
    with pytest.raises(AssertionError, match="is_staffing_estimated"):
        assert_same_table(wrong_flag, expected, keys, columns)

    with pytest.raises(AssertionError, match="only in the mart"):
        assert_same_table(good.drop(index=row), expected, keys, columns)


def test_the_floor_runs_under_the_memory_cap_it_is_given(tmp_path: Path) -> None:
    def cap(connection: duckdb.DuckDBPyConnection) -> str:
        row = connection.execute("select current_setting('memory_limit')").fetchone()
        connection.close()
        assert row is not None
        return str(row[0])

    assert cap(floor.connect(FLOOR_CAP)) == "244.1 MiB"  # 256 * 10**6 bytes
    assert cap(floor.connect()) != "244.1 MiB"  # DuckDB's default
    # The notebook is pandas: a DuckDB cap is no setting of it.
    argv = ["notebook", "--landing", str(tmp_path), "--json", str(tmp_path / "j")]
    with pytest.raises(SystemExit) as exit_:
        baseline.main([*argv, "--memory-limit", FLOOR_CAP])
    assert exit_.value.code == 2
