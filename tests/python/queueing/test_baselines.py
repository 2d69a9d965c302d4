"""The dbt adapter ``interval_baselines``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from opsmart.queueing import erlang_a, mmc, required_agents
from opsmart.queueing.baselines import (
    INPUT_COLUMNS,
    NULL_REASONS,
    NULLED_COLUMNS,
    OUTPUT_COLUMNS,
    interval_baselines,
)

#: The float columns (all but the keys and the reason).
MEASURES = OUTPUT_COLUMNS[2:-1]


def _frame() -> pd.DataFrame:
    base = dict(
        queue_id="q1",
        interval_start_at=pd.Timestamp("2024-01-01 08:00"),
        interval_seconds=1800,
        contacts_offered=100,
        aht_seconds=180.0,
        staffed_agents=14.6,
        patience_seconds=120.0,
        sl_threshold_seconds=20.0,
        sl_target_rate=0.8,
    )
    rows = [
        base,
        {**base, "queue_id": "no_aht", "aht_seconds=": None, "aht_seconds": np.nan},
        {**base, "queue_id": "no_staff", "staffed_agents": np.nan},
        {**base, "queue_id": "zero_staff", "staffed_agents": 0.4},
        {**base, "queue_id": "zero", "contacts_offered": 0},
        {**base, "queue_id": "no_patience", "patience_seconds": np.nan},
        {**base, "queue_id": "inf_patience", "patience_seconds": np.inf},
        {**base, "queue_id": "no_target", "sl_target_rate": np.nan},
        {**base, "queue_id": "overload", "staffed_agents": 8.0},
    ]
    return pd.DataFrame(rows)[list(INPUT_COLUMNS)]


def test_columns_types_and_values() -> None:
    out = interval_baselines(_frame())
    assert tuple(out.columns) == OUTPUT_COLUMNS and len(out) == 9
    assert all(out[c].dtype == np.float64 for c in MEASURES)
    r = out.iloc[0]
    lam = 100 / 1800
    c = mmc(lam, 180.0, 14, threshold=20.0)
    a = erlang_a(lam, 180.0, 14, 120.0, threshold=20.0)
    assert r.traffic_erlangs == pytest.approx(10.0)
    assert r.erlang_c_service_level_rate == pytest.approx(c.service_level)
    assert r.erlang_c_asa_seconds == pytest.approx(c.mean_wait)
    assert r.erlang_c_occupancy_rate == pytest.approx(10 / 14)
    assert r.erlang_a_service_level_rate == pytest.approx(a.service_level)
    assert r.erlang_a_abandonment_rate == pytest.approx(a.prob_abandon)
    assert r.erlang_a_asa_seconds == pytest.approx(a.mean_wait_answered)
    assert r.erlang_a_occupancy_rate == pytest.approx(a.occupancy)
    req_a = required_agents(
        lam, 180.0, threshold=20.0, target_service_level=0.8, patience=120.0
    ).agents
    assert r.required_agents_erlang_c == 14.0
    assert r.required_agents_erlang_a == req_a
    assert r.staffing_gap_agents == 14.0 - req_a


def test_nulls_never_zero() -> None:
    out = interval_baselines(_frame()).set_index("queue_id")
    assert out.loc["no_aht", list(MEASURES[1:])].isna().all()
    assert out.loc["no_aht", "arrival_rate_per_second"] == pytest.approx(100 / 1800)
    for q in ("no_staff", "zero_staff"):
        row = out.loc[q]
        assert (
            row[
                [
                    "erlang_c_service_level_rate",
                    "erlang_a_asa_seconds",
                    "erlang_c_occupancy_rate",
                    "staffing_gap_agents",
                ]
            ]
            .isna()
            .all()
        )
        assert row.required_agents_erlang_c == 14.0
    z = out.loc["zero"]
    assert (
        z[
            [
                "erlang_c_service_level_rate",
                "erlang_a_abandonment_rate",
                "erlang_a_asa_seconds",
            ]
        ]
        .isna()
        .all()
    )
    assert (z.erlang_c_occupancy_rate, z.required_agents_erlang_a) == (0.0, 0.0)
    assert out.loc["no_patience", "erlang_a_abandonment_rate"] == 0.0
    assert out.loc["no_patience", "required_agents_erlang_a"] == 14.0
    assert out.loc["inf_patience", "erlang_a_service_level_rate"] == pytest.approx(
        out.loc["inf_patience", "erlang_c_service_level_rate"]
    )
    assert math.isnan(out.loc["no_target", "required_agents_erlang_c"])
    ov = out.loc["overload"]
    assert ov.erlang_c_service_level_rate == 0.0
    assert math.isnan(ov.erlang_c_asa_seconds)  # unbounded: null, never +inf
    assert 0.0 < ov.erlang_a_service_level_rate < 1.0


def test_every_null_has_a_reason_and_no_value_is_infinite() -> None:
    out = interval_baselines(_frame()).set_index("queue_id")
    measures = out[list(MEASURES)]
    assert not np.isinf(measures.to_numpy()).any()
    complete = measures.notna().all(axis=1)
    reasons = out["baseline_null_reason"]
    assert (reasons.isna() == complete).all(), reasons
    assert reasons.dropna().isin(list(NULL_REASONS)).all()
    assert reasons.astype(object).where(reasons.notna(), None).to_dict() == {
        "q1": None,
        "no_aht": "no_handle_time",
        "no_staff": "no_staffing",
        "zero_staff": "no_staffing",
        "zero": "no_contacts_offered",
        # no patience estimate: Erlang A is Erlang C, both stable at 14 agents
        "no_patience": None,
        "inf_patience": None,
        "no_target": "no_service_target",
        "overload": "unstable_load",
    }


def test_nulls_are_those_the_reason_names() -> None:
    """Docs and behaviour agree: a row's null baselines are among those its reason
    (or a later one, as only the first is named) nulls, and include some of its
    reason's; with a single cause, exactly its reason's."""
    no_threshold = (
        _frame()
        .iloc[:1]
        .assign(
            queue_id="no_threshold", sl_threshold_seconds=np.nan, sl_target_rate=np.nan
        )
    )
    out = interval_baselines(pd.concat([_frame(), no_threshold], ignore_index=True))
    published = [c for c in MEASURES if c != "arrival_rate_per_second"]
    reasons = list(NULLED_COLUMNS)
    assert reasons == list(NULL_REASONS)
    assert {c for columns in NULLED_COLUMNS.values() for c in columns} == set(published)
    nulls_of: dict[str, set[str]] = {}
    for _, row in out.iterrows():
        nulls = {c for c in published if math.isnan(row[c])}
        nulls_of[row.queue_id] = nulls
        reason = row.baseline_null_reason
        if pd.isna(reason):
            assert not nulls, row.queue_id
            continue
        later = {c for r in reasons[reasons.index(reason) :] for c in NULLED_COLUMNS[r]}
        assert nulls <= later, (row.queue_id, nulls - later)
        assert nulls & set(NULLED_COLUMNS[reason]), row.queue_id
    for queue, reason in {
        "no_aht": "no_handle_time",
        "no_staff": "no_staffing",
        "zero": "no_contacts_offered",
        "no_threshold": "no_service_target",
    }.items():
        assert nulls_of[queue] == set(NULLED_COLUMNS[reason]), queue
    # unbounded Erlang C with a patience estimate: only Erlang C's ASA
    assert nulls_of["overload"] == {"erlang_c_asa_seconds"}


def test_zero_handle_time_is_a_reason_not_a_zero() -> None:
    """Calls answered and dropped at once: AHT 0 gives no traffic, with the reason."""
    frame = _frame().iloc[:1].assign(aht_seconds=0.0)
    out = interval_baselines(frame).iloc[0]
    assert math.isnan(out.traffic_erlangs)
    assert out.baseline_null_reason == "no_handle_time"


def test_missing_column() -> None:
    with pytest.raises(KeyError, match="missing columns"):
        interval_baselines(_frame().drop(columns="aht_seconds"))


def test_empty_and_index_preserved() -> None:
    f = _frame().iloc[:0]
    assert len(interval_baselines(f)) == 0
    g = _frame().set_axis(range(10, 19))
    assert list(interval_baselines(g).index) == list(range(10, 19))
