"""opsmart.effects.staffing: value-optimal agents and the money at stake."""

from __future__ import annotations

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


def test_interval_adapter_prices_the_interval() -> None:
    row = dict(
        queue_id="q1",
        interval_start_at="2026-03-02 10:00",
        interval_seconds=1800,
        contacts_offered=60,
        aht_seconds=300.0,
        patience_seconds=180.0,
        staffed_agents=7.9,
        agent_cost_per_hour_amount=36.0,
        waiting_cost_per_second_amount=0.05,
        abandon_cost_amount=4.0,
    )
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
    assert np.isnan(out.iloc[1]["money_at_stake_amount"])
    assert out.iloc[1]["optimal_agents"] == first["optimal_agents"]
    with pytest.raises(KeyError, match="aht_seconds"):
        interval_staffing(pd.DataFrame([row]).drop(columns="aht_seconds"))
