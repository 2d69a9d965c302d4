"""opsmart.effects.staffing: value-optimal agents and the money at stake."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from opsmart.effects import STAFFING_OUTPUT_COLUMNS, interval_staffing, staffing_costs
from opsmart.queueing import erlang_a


def _cost(lam: float, s: float, c: int, ka: float, kw: float, kb: float, tau: float):
    m = erlang_a(lam, s, c, tau)
    return ka * c + kw * m.mean_queue_length + kb * lam * m.prob_abandon


@pytest.mark.parametrize("tau", [120.0, 600.0, np.inf])
@pytest.mark.parametrize("actual", [3, 8, 14])
def test_optimum_is_the_brute_force_minimum(tau: float, actual: int) -> None:
    lam, s, ka, kw, kb = 10 / 300, 300.0, 36 / 3600, 0.05, 4.0
    r = staffing_costs(
        lam,
        s,
        actual,
        agent_cost_rate=ka,
        waiting_cost_rate=kw,
        abandon_cost=kb,
        patience=tau,
    )
    start = 0 if np.isfinite(tau) else 11
    costs = {c: _cost(lam, s, c, ka, kw, kb, tau) for c in range(start, 40)}
    best = min(costs, key=costs.__getitem__)
    assert r.optimal_agents[0] == best
    assert r.cost_rate_at_optimal[0] == pytest.approx(costs[best])
    if actual in costs:
        assert r.cost_rate_at_actual[0] == pytest.approx(costs[actual])
    assert r.cost_rate_at_actual[0] >= r.cost_rate_at_optimal[0]


def test_unstable_actual_staffing_costs_infinity() -> None:
    r = staffing_costs(
        0.1,
        100.0,
        5,
        agent_cost_rate=0.01,
        waiting_cost_rate=0.01,
        abandon_cost=0.0,
        patience=np.nan,
    )
    assert np.isinf(r.cost_rate_at_actual[0])
    assert r.optimal_agents[0] > 10


def test_free_waiting_on_a_stable_queue_needs_the_fewest_agents() -> None:
    r = staffing_costs(
        0.1,
        100.0,
        20,
        agent_cost_rate=0.01,
        waiting_cost_rate=0.0,
        abandon_cost=0.0,
        patience=np.inf,
    )
    assert r.optimal_agents[0] == 11  # Erlang C needs c > A = 10
    assert r.cost_rate_at_actual[0] == pytest.approx(0.2)


def test_missing_or_bad_inputs_give_nan_per_row() -> None:
    r = staffing_costs(
        [0.1, np.nan, 0.1, 0.1, 0.1],
        [100.0, 100.0, -1.0, 100.0, 100.0],
        [12, 12, 12, np.nan, 2.5],
        agent_cost_rate=0.01,
        waiting_cost_rate=[0.01, 0.01, 0.01, 0.01, 0.01],
        abandon_cost=1.0,
        patience=300.0,
    )
    assert np.isfinite(r.optimal_agents[0]) and np.isfinite(r.cost_rate_at_actual[0])
    assert np.isnan(r.optimal_agents[1:3]).all()
    assert np.isnan(r.cost_rate_at_actual[1:]).all()
    assert np.isfinite(r.optimal_agents[3:]).all()


def test_vectorised_equals_scalar_loop() -> None:
    rng = np.random.default_rng(3)
    lam = rng.uniform(0, 0.1, 30)
    s = rng.uniform(100, 400, 30)
    c = rng.integers(0, 30, 30).astype(float)
    tau = rng.choice([60.0, 300.0, np.inf], 30)
    kw = rng.uniform(0, 0.2, 30)
    vec = staffing_costs(
        lam,
        s,
        c,
        agent_cost_rate=0.01,
        waiting_cost_rate=kw,
        abandon_cost=2.0,
        patience=tau,
    )
    for i in range(30):
        one = staffing_costs(
            lam[i],
            s[i],
            c[i],
            agent_cost_rate=0.01,
            waiting_cost_rate=kw[i],
            abandon_cost=2.0,
            patience=tau[i],
        )
        assert one.optimal_agents[0] == vec.optimal_agents[i]
        np.testing.assert_allclose(one.cost_rate_at_actual, vec.cost_rate_at_actual[i])


def _row(
    *,
    staffed: float = 7.9,
    wait: float = 0.05,
    abandon: float = 4.0,
    wait_range: tuple[float, float] | None = None,
    abandon_range: tuple[float, float] | None = None,
) -> dict[str, object]:
    """One interval: 60 contacts of 300 s in 30 minutes, patience 180 s, agents at
    36 an hour; a price's range is the price itself unless given."""
    wait_low, wait_high = wait_range or (wait, wait)
    abandon_low, abandon_high = abandon_range or (abandon, abandon)
    return {
        "queue_id": "q1",
        "interval_start_at": "2026-03-02 10:00",
        "interval_seconds": 1800,
        "contacts_offered": 60,
        "aht_seconds": 300.0,
        "patience_seconds": 180.0,
        "staffed_agents": staffed,
        "agent_cost_per_hour_amount": 36.0,
        "waiting_cost_per_second_amount": wait,
        "waiting_cost_per_second_lower_amount": wait_low,
        "waiting_cost_per_second_upper_amount": wait_high,
        "abandon_cost_amount": abandon,
        "abandon_cost_lower_amount": abandon_low,
        "abandon_cost_upper_amount": abandon_high,
    }


def test_interval_adapter_prices_the_interval() -> None:
    row = _row()
    out = interval_staffing(pd.DataFrame([row, {**row, "staffed_agents": None}]))
    assert list(out.columns) == list(STAFFING_OUTPUT_COLUMNS)
    first = out.iloc[0]
    assert first["actual_agents"] == 7
    lam = 60 / 1800
    assert first["cost_at_actual_amount"] == pytest.approx(
        1800 * _cost(lam, 300.0, 7, 0.01, 0.05, 4.0, 180.0)
    )
    assert first["money_at_stake_amount"] == pytest.approx(
        first["cost_at_actual_amount"] - first["cost_at_optimal_amount"]
    )
    assert first["money_at_stake_amount"] >= 0
    # one price, so no range; the staff part of each cost is k_a x agents x 1800 s
    for figure in ("cost_at_actual", "cost_at_optimal", "money_at_stake"):
        assert first[f"{figure}_lower_amount"] == first[f"{figure}_amount"]
        assert first[f"{figure}_upper_amount"] == first[f"{figure}_amount"]
    assert first["staff_cost_at_actual_amount"] == pytest.approx(7 * 18.0)
    assert first["staff_cost_at_optimal_amount"] == pytest.approx(
        first["optimal_agents"] * 18.0
    )
    assert np.isnan(out.iloc[1]["money_at_stake_amount"])
    assert np.isnan(out.iloc[1]["money_at_stake_lower_amount"])
    assert np.isnan(out.iloc[1]["staff_cost_at_actual_amount"])
    assert out.iloc[1]["optimal_agents"] == first["optimal_agents"]
    with pytest.raises(KeyError, match="aht_seconds"):
        interval_staffing(pd.DataFrame([row]).drop(columns="aht_seconds"))


def _staffing(**row: Any) -> pd.Series:
    return interval_staffing(pd.DataFrame([_row(**row)])).iloc[0]


@pytest.mark.parametrize(
    ("staffed", "case"),
    [
        (4.0, "short of the optimum at every price: rises with the prices"),
        (16.0, "above it at every price: falls with them"),
        (13.0, "optimal at some price in the range: starts at 0"),
    ],
)
def test_money_ranges_hold_every_price_in_the_intervals(
    staffed: float, case: str
) -> None:
    # The optimum is 11 agents at the low prices (0.03 a second, 3 an abandon)
    # and 15 at the high ones (0.20, 10).
    out = _staffing(staffed=staffed, wait_range=(0.03, 0.2), abandon_range=(3.0, 10.0))
    for figure in ("cost_at_actual", "cost_at_optimal", "money_at_stake"):
        low, high = out[f"{figure}_lower_amount"], out[f"{figure}_upper_amount"]
        assert low <= out[f"{figure}_amount"] <= high, (case, figure)
    # costs at the low and high prices are the ends of the cost ranges
    at_low = _staffing(staffed=staffed, wait=0.03, abandon=3.0)
    assert out["cost_at_actual_lower_amount"] == at_low["cost_at_actual_amount"]
    assert out["cost_at_optimal_lower_amount"] == at_low["cost_at_optimal_amount"]
    # the money at stake at any price between the ends lies in its range, and
    # the range is as narrow as those prices allow
    stakes = [
        _staffing(staffed=staffed, wait=0.03 + t * 0.17, abandon=3.0 + t * 7.0)[
            "money_at_stake_amount"
        ]
        for t in np.linspace(0, 1, 41)
    ]
    low, high = out["money_at_stake_lower_amount"], out["money_at_stake_upper_amount"]
    assert low - 1e-9 <= min(stakes) and max(stakes) <= high + 1e-9, case
    assert max(stakes) == pytest.approx(high), case
    assert min(stakes) == pytest.approx(low, abs=1e-9), case


def test_money_range_starts_at_zero_when_the_optimum_crosses_the_actual() -> None:
    # Between cheap prices (the optimum is no agent: let everyone abandon) and
    # dear ones (11 and more), the optimum jumps past 4: the range's low end is
    # 0, a lower bound, below the money at stake at every price in between.
    out = _staffing(staffed=4.0, wait_range=(0.01, 0.2), abandon_range=(1.0, 10.0))
    stakes = [
        _staffing(staffed=4.0, wait=0.01 + t * 0.19, abandon=1.0 + t * 9.0)[
            "money_at_stake_amount"
        ]
        for t in np.linspace(0, 1, 41)
    ]
    assert out["money_at_stake_lower_amount"] == 0.0 < min(stakes)
    assert out["money_at_stake_upper_amount"] == pytest.approx(max(stakes))
