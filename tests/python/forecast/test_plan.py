"""The staffing plan = Erlang A of the forecast: agents checked against counts found
here independently (a scan of the Erlang A kernel over c, and a textbook Erlang C
formula written out), scheduled agents rounded up after shrinkage, the Erlang C
fallback flagged, a DST day rolled up to its 23 local hours, and empty input."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest

from opsmart.forecast import (
    PLAN_INPUT_COLUMNS,
    daily_staffing_plan,
    local_intervals,
    staffing_plan,
)
from opsmart.forecast.plan import daily_plan_columns, plan_columns
from opsmart.queueing import erlang_a

SECS = 1800.0


def _row(**changes: Any) -> dict[str, Any]:
    """One forecast row of a voice queue at 09:00 UTC with its queue's parameters."""
    row: dict[str, Any] = {
        "queue_id": "q1",
        "horizon_week": 1,
        "contacts_offered_forecast": 100.0,
        "contacts_offered_upper_80": 120.0,
        "contacts_offered_upper_95": 135.0,
        "aht_seconds_forecast": 180.0,
        "patience_seconds": 120.0,
        "sl_threshold_seconds": 20,
        "sl_target_rate": 0.8,
        "shrinkage_rate": 0.25,
        "agent_cost_per_hour_amount": 30.0,
        "waiting_cost_per_second_amount": 0.01,
        "abandon_cost_amount": 4.0,
        "interval_date": pd.Timestamp("2026-01-05"),
        "interval_start_local_at": pd.Timestamp("2026-01-05 09:00"),
        "interval_start_at": pd.Timestamp("2026-01-05 09:00"),
    }
    return row | changes


def _plan(*rows: dict[str, Any]) -> pd.DataFrame:
    return staffing_plan(pd.DataFrame(list(rows)))


def _scan_target(contacts: float, aht: float, tau: float) -> int:
    """Fewest c with Erlang A service level (answered within 20 s / offered) >= 0.8,
    by trying c = 1, 2, ... on the kernel."""
    for c in range(1, 200):
        r = erlang_a(contacts / SECS, aht, c, tau, threshold=20.0)
        if float(r.service_level) >= 0.8:  # type: ignore[arg-type]
            return c
    raise AssertionError("no c up to 200")


def _scan_optimum(contacts: float, aht: float, tau: float) -> int:
    """The c in 0..199 of least cost per second: 30/3600 per agent, 0.01 per
    waiting contact-second, 4 per abandon (the first of equal minima)."""
    lam = contacts / SECS
    costs = []
    for c in range(200):
        r = erlang_a(lam, aht, c, tau)
        costs.append(
            30.0 / 3600.0 * c
            + 0.01 * float(r.mean_queue_length)  # type: ignore[arg-type]
            + 4.0 * lam * float(r.prob_abandon)  # type: ignore[arg-type]
        )
    return int(np.argmin(costs))


def _erlang_c_target(traffic: float, aht: float) -> int:
    """Fewest c with 1 - P_w exp(-(c - A) 20 / AHT) >= 0.8, P_w by the textbook sum
    (Gans, Koole & Mandelbaum 2003): small A, so the factorials are exact."""
    for c in range(math.floor(traffic) + 1, 100):
        top = traffic**c / math.factorial(c) * c / (c - traffic)
        below = sum(traffic**k / math.factorial(k) for k in range(c))
        pw = top / (below + top)
        if 1.0 - pw * math.exp(-(c - traffic) * 20.0 / aht) >= 0.8:
            return c
    raise AssertionError("no c up to 100")


def test_erlang_a_row_matches_a_scan_of_the_kernel_at_each_quantile() -> None:
    out = _plan(_row()).iloc[0]
    for suffix, contacts in (("", 100.0), ("_upper_80", 120.0), ("_upper_95", 135.0)):
        target = _scan_target(contacts, 180.0, 120.0)
        optimum = _scan_optimum(contacts, 180.0, 120.0)
        assert out[f"required_agents{suffix}"] == target
        assert out[f"optimal_agents{suffix}"] == optimum
        assert out[f"scheduled_agents{suffix}"] == math.ceil(target / 0.75)
        assert out[f"scheduled_optimal_agents{suffix}"] == math.ceil(optimum / 0.75)
        assert out[f"staff_cost{suffix}_amount"] == pytest.approx(
            math.ceil(target / 0.75) * 30.0 * 0.5
        )
    # more contacts never need fewer agents, and patience lowers the need below
    # Erlang C's 14 at the point forecast (A = 10 Erlangs)
    assert out["required_agents"] <= out["required_agents_upper_80"]
    assert out["required_agents_upper_80"] <= out["required_agents_upper_95"]
    assert out["required_agents"] <= _erlang_c_target(10.0, 180.0) == 14
    assert out["staffing_model"] == "erlang_a"
    assert not out["is_erlang_c_fallback"]
    assert pd.isna(out["plan_null_reason"])


def test_queue_without_patience_falls_back_to_erlang_c_and_is_flagged() -> None:
    out = _plan(
        _row(patience_seconds=None, contacts_offered_upper_80=60.0),
        _row(patience_seconds=float("nan"), contacts_offered_forecast=40.0),
    )
    # A = 100 x 180 / 1800 = 10 -> 14; 60 contacts: A = 6; 40: A = 4
    assert out["required_agents"].tolist() == [
        _erlang_c_target(10.0, 180.0),
        _erlang_c_target(4.0, 180.0),
    ]
    assert out["required_agents_upper_80"].iloc[0] == _erlang_c_target(6.0, 180.0)
    assert out["required_agents"].iloc[0] == 14
    assert out["staffing_model"].tolist() == ["erlang_c", "erlang_c"]
    assert out["is_erlang_c_fallback"].tolist() == [True, True]
    assert out["patience_seconds"].isna().all()
    # the fallback still has a value-optimal level (Erlang C: above the load)
    assert (out["optimal_agents"] > out["contacts_offered_forecast"] * 0.1).all()


@pytest.mark.parametrize(
    ("shrinkage", "scheduled"),
    [
        (0.0, 14.0),
        (0.2, 18.0),  # 17.5 rounds up
        (0.3, 20.0),  # 14 / 0.7 = 20.000000000000004 in floats: still 20
        (0.5, 28.0),
    ],
)
def test_scheduled_agents_round_up_after_shrinkage(
    shrinkage: float, scheduled: float
) -> None:
    out = _plan(_row(patience_seconds=None, shrinkage_rate=shrinkage)).iloc[0]
    assert out["required_agents"] == 14.0
    assert out["scheduled_agents"] == scheduled
    assert out["staff_cost_amount"] == pytest.approx(scheduled * 30.0 * 0.5)


def test_unknown_shrinkage_gives_no_schedule_and_says_why() -> None:
    out = _plan(_row(shrinkage_rate=None), _row(shrinkage_rate=1.0))
    assert out["required_agents"].notna().all()
    assert out["scheduled_agents"].isna().all()
    assert out["staff_cost_amount"].isna().all()
    assert out["plan_null_reason"].tolist() == ["no_shrinkage", "no_shrinkage"]


def test_missing_inputs_null_what_needs_them_never_fail() -> None:
    out = _plan(
        _row(contacts_offered_forecast=0.0, contacts_offered_upper_80=0.0,
             contacts_offered_upper_95=0.0, aht_seconds_forecast=None),
        _row(queue_id="q9", aht_seconds_forecast=None),  # no AHT all day
        _row(sl_target_rate=None),
        _row(waiting_cost_per_second_amount=None),
    )  # fmt: skip
    # nothing forecast: 0 agents, with or without an AHT
    assert (
        out.loc[0, ["required_agents", "optimal_agents", "scheduled_agents"]]
        .eq(0.0)
        .all()
    )
    assert pd.isna(out.loc[0, "plan_null_reason"])
    assert out.loc[1, ["required_agents", "optimal_agents"]].isna().all()
    # no target: no agents for it, but the value-optimal level stands
    assert np.isnan(out.loc[2, "required_agents"])
    assert out.loc[2, "optimal_agents"] == _scan_optimum(100.0, 180.0, 120.0)
    assert np.isnan(out.loc[3, "optimal_agents"])
    assert out.loc[3, "required_agents"] == _scan_target(100.0, 180.0, 120.0)
    assert out["plan_null_reason"].fillna("").tolist() == [
        "",
        "no_handle_time",
        "no_service_target",
        "no_prices",
    ]


def test_unreachable_target_is_said_not_published(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the search finds no count meeting the target (here: its limit cut to
    5 agents, below the 12 or so needed), the row says so and keeps its other
    figures."""
    from opsmart.forecast import plan as plan_module
    from opsmart.queueing import required_agents

    def limited(*args: Any, **kwargs: Any) -> Any:
        return required_agents(*args, **kwargs, max_agents=5)

    monkeypatch.setattr(plan_module, "required_agents", limited)
    out = _plan(_row(), _row(contacts_offered_forecast=0.0))
    assert np.isnan(out.loc[0, "required_agents"])
    assert out.loc[0, "optimal_agents"] == _scan_optimum(100.0, 180.0, 120.0)
    assert out.loc[0, "plan_null_reason"] == "unreachable_target"
    assert out.loc[1, "required_agents"] == 0.0  # nothing forecast at the point


def test_an_interval_without_aht_takes_its_queues_aht_of_the_day() -> None:
    """A quiet interval whose answered forecast is 0 has no AHT forecast; it is
    planned at the day's AHT, (180 x 100 + 300 x 50) / 150 = 220 s, flagged."""
    quiet = _row(
        contacts_offered_forecast=0.4,
        contacts_offered_upper_80=1.0,
        contacts_offered_upper_95=2.0,
        aht_seconds_forecast=None,
    )
    out = _plan(
        _row(),
        _row(contacts_offered_forecast=50.0, aht_seconds_forecast=300.0),
        quiet,
        quiet | {"interval_date": pd.Timestamp("2026-01-06")},  # alone that day
        quiet
        | {
            "contacts_offered_forecast": 0.0,
            "contacts_offered_upper_80": 0.0,
            "contacts_offered_upper_95": 0.0,
        },  # closed: nothing is planned with an AHT, so none is shown
    )
    assert out["aht_seconds_forecast"].tolist()[:3] == [180.0, 300.0, 220.0]
    assert np.isnan(out.loc[4, "aht_seconds_forecast"])
    assert out["is_aht_fallback"].tolist() == [False, False, True, False, False]
    assert out.loc[4, "required_agents_upper_95"] == 0.0
    assert out.loc[2, "required_agents"] == _scan_target(0.4, 220.0, 120.0)
    assert out.loc[2, "required_agents_upper_95"] == _scan_target(2.0, 220.0, 120.0)
    assert pd.isna(out.loc[2, "plan_null_reason"])
    assert np.isnan(out.loc[3, "required_agents"])
    assert out.loc[3, "plan_null_reason"] == "no_handle_time"


def test_infinite_patience_is_no_estimate() -> None:
    """Erlang C, flagged, and no infinity in the output."""
    out = _plan(_row(patience_seconds=float("inf"))).iloc[0]
    assert out["staffing_model"] == "erlang_c"
    assert bool(out["is_erlang_c_fallback"])
    assert np.isnan(out["patience_seconds"])
    assert out["required_agents"] == 14


def test_dst_day_rolls_up_to_its_23_local_hours() -> None:
    grid = local_intervals(
        dt.date(2026, 3, 7), 2, timezone="America/New_York", interval_minutes=30
    )
    frame = pd.DataFrame(
        [
            _row(
                patience_seconds=None,
                shrinkage_rate=0.2,
                interval_date=g.interval_date,
                interval_start_local_at=g.interval_start_local_at,
                interval_start_at=g.interval_start_at,
            )
            for g in grid.itertuples()
        ]
    )
    plan = staffing_plan(frame)
    daily = daily_staffing_plan(plan)
    assert daily["intervals"].tolist() == [48, 46]  # Saturday, then spring forward
    assert daily["hours"].tolist() == [24.0, 23.0]
    sunday = daily.iloc[1]
    # every interval: 14 agents (Erlang C at A = 10), 18 scheduled at 20 % shrinkage
    assert sunday["required_agent_hours"] == pytest.approx(14 * 46 * 0.5)
    assert sunday["scheduled_agent_hours"] == pytest.approx(18 * 23.0)
    assert sunday["staff_cost_amount"] == pytest.approx(18 * 23.0 * 30.0)
    assert sunday["contacts_offered_forecast"] == pytest.approx(100.0 * 46)
    assert bool(sunday["is_erlang_c_fallback"])
    assert list(daily.columns) == daily_plan_columns()


def test_daily_sum_is_null_when_an_interval_is() -> None:
    plan = _plan(_row(), _row(shrinkage_rate=None, interval_start_at="x"))
    daily = daily_staffing_plan(plan)
    assert len(daily) == 1
    assert daily["required_agent_hours"].iloc[0] == pytest.approx(
        plan["required_agents"].sum() * 0.5
    )
    assert np.isnan(daily["scheduled_agent_hours"].iloc[0])
    assert np.isnan(daily["staff_cost_amount"].iloc[0])


def test_empty_input_gives_typed_empty_frames() -> None:
    empty = pd.DataFrame({name: [] for name in PLAN_INPUT_COLUMNS})
    plan = staffing_plan(empty)
    daily = daily_staffing_plan(plan)
    assert list(plan.columns) == plan_columns() and plan.empty
    assert list(daily.columns) == daily_plan_columns() and daily.empty
    assert plan["required_agents_upper_95"].dtype == np.float64
    assert plan["horizon_week"].dtype == np.int64
    assert plan["is_erlang_c_fallback"].dtype == bool
    assert plan["interval_start_at"].dtype.kind == "M"
    assert daily["intervals"].dtype == np.int64
    assert daily["interval_date"].dtype.kind == "M"


def test_missing_column_raises() -> None:
    with pytest.raises(KeyError, match="shrinkage_rate"):
        staffing_plan(pd.DataFrame([_row()]).drop(columns=["shrinkage_rate"]))
