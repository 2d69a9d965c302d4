"""Staffing searches, properties (hypothesis) and argument validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsmart.queueing import (
    erlang_a,
    erlang_b,
    erlang_c,
    mmc,
    optimal_agents,
    required_agents,
    service_level,
)

loads = st.floats(0.05, 300.0)
ahts = st.floats(10.0, 900.0)
thresholds = st.floats(0.0, 120.0)
targets = st.floats(0.05, 0.99)


@settings(max_examples=60, deadline=None)
@given(loads, ahts, thresholds, targets)
def test_required_agents_is_minimal_erlang_c(
    a: float, s: float, t: float, target: float
) -> None:
    r = required_agents(a / s, s, threshold=t, target_service_level=target)
    c = r.agents
    assert c is not None and c > a
    assert service_level(a / s, s, c, t) >= target
    if c - 1 > a:
        assert service_level(a / s, s, c - 1, t) < target


@settings(max_examples=30, deadline=None)
@given(loads, ahts, thresholds, targets, st.floats(10.0, 1000.0))
def test_required_agents_is_minimal_erlang_a(
    a: float, s: float, t: float, target: float, tau: float
) -> None:
    r = required_agents(
        a / s, s, threshold=t, target_service_level=target, patience=tau
    )
    c = r.agents
    assert c is not None and c >= 1
    assert erlang_a(a / s, s, c, tau, threshold=t).service_level >= target
    if c > 1:
        assert erlang_a(a / s, s, c - 1, tau, threshold=t).service_level < target


@settings(max_examples=40, deadline=None)
@given(loads, ahts, thresholds, st.integers(1, 400))
def test_monotone_in_agents(a: float, s: float, t: float, c: int) -> None:
    r = mmc(a / s, s, [c, c + 1], threshold=t)
    assert r.service_level[1] >= r.service_level[0]
    assert r.prob_wait[1] <= r.prob_wait[0]
    ra = erlang_a(a / s, s, [c, c + 1], 120.0, threshold=t)
    assert ra.service_level[1] >= ra.service_level[0] - 1e-12
    assert ra.prob_abandon[1] <= ra.prob_abandon[0] + 1e-12
    assert erlang_b(a, c + 1) <= erlang_b(a, c)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(loads, ahts, st.integers(0, 300)), min_size=1, max_size=8))
def test_scalar_equals_vectorised(rows: list[tuple[float, float, int]]) -> None:
    a, s, c = (np.array(x, dtype=float) for x in zip(*rows, strict=True))
    vec = erlang_a(a / s, s, c, 90.0, threshold=20.0)
    vc = mmc(a / s, s, c, threshold=20.0)
    for i in range(len(rows)):
        one = erlang_a(a[i] / s[i], s[i], int(c[i]), 90.0, threshold=20.0)
        assert one.prob_abandon == pytest.approx(vec.prob_abandon[i], rel=1e-12)
        assert one.service_level == pytest.approx(vec.service_level[i], rel=1e-12)
        assert mmc(a[i] / s[i], s[i], int(c[i])).prob_wait == vc.prob_wait[i]
        assert erlang_c(a[i], int(c[i])) == pytest.approx(vc.prob_wait[i], rel=1e-12)


def test_broadcast_shapes() -> None:
    lam = np.full((2, 1, 1), 0.05)
    r = erlang_a(lam, np.array([150.0, 180.0, 200.0])[:, None], [10, 12], 60.0)
    assert np.shape(r.prob_abandon) == (2, 3, 2)
    req = required_agents(lam, [150.0, 180.0], threshold=20.0, target_service_level=0.8)
    assert np.shape(req.agents) == (2, 1, 2)


def test_required_agents_targets_and_edges() -> None:
    lam, s = 100 / 1800, 180.0
    assert required_agents(lam, s, max_occupancy=0.8).agents == 13.0
    asa = required_agents(lam, s, max_mean_wait=10.0).agents
    assert mmc(lam, s, asa).mean_wait <= 10.0 < mmc(lam, s, asa - 1).mean_wait
    ab = required_agents(lam, s, max_abandon_rate=0.02, patience=120.0)
    assert erlang_a(lam, s, ab.agents, 120.0).prob_abandon <= 0.02
    assert erlang_a(lam, s, ab.agents - 1, 120.0).prob_abandon > 0.02
    w = required_agents(lam, s, max_mean_wait=5.0, max_occupancy=0.9, patience=120.0)
    assert erlang_a(lam, s, w.agents, 120.0).mean_wait_answered <= 5.0
    assert required_agents(0.0, s, threshold=20.0, target_service_level=0.8).agents == 0
    assert required_agents(lam, s, max_abandon_rate=0.0).agents == 11.0
    assert (
        required_agents(
            lam, s, threshold=20.0, target_service_level=0.8, max_agents=12
        ).agents
        is None
    )
    arr = required_agents(
        [lam, lam],
        s,
        threshold=20.0,
        target_service_level=0.8,
        max_agents=[12, 20],
        shrinkage=0.3,
    )
    assert np.isnan(arr.agents[0]) and arr.agents[1] == 14.0
    assert arr.scheduled_agents[1] == 20.0
    assert (
        required_agents(
            lam, s, patience=[60.0, math.inf], threshold=20.0, target_service_level=0.8
        ).agents[1]
        == 14.0
    )
    assert (
        required_agents(
            lam,
            s,
            patience=60.0,
            threshold=20.0,
            target_service_level=0.8,
            max_agents=3,
        ).agents
        is None
    )
    idle = required_agents([0.0, 0.0], s, patience=60.0, max_abandon_rate=0.1)
    assert idle.agents.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="`threshold` must be given"):
        required_agents(lam, s, target_service_level=0.8)


def test_optimal_agents_brute_force() -> None:
    lam, s = 5 / 6, 1.0
    r = optimal_agents(lam, s, agent_cost_rate=1.0, waiting_cost_rate=1.0)
    assert (r.agents, r.cost) == (2.0, pytest.approx(2 + 1 / 119 * 0 + 0.175070028))
    rng = np.random.default_rng(1)
    a = rng.uniform(0.5, 80.0, 40)
    ka, kw = rng.uniform(0.1, 2.0, 40), rng.uniform(0.1, 20.0, 40)
    opt = optimal_agents(a / 100.0, 100.0, agent_cost_rate=ka, waiting_cost_rate=kw)
    for i in range(40):
        cs = np.arange(math.floor(a[i]) + 1, math.floor(a[i]) + 120)
        costs = ka[i] * cs + kw[i] * np.asarray(
            mmc(a[i] / 100.0, 100.0, cs).mean_queue_length
        )
        assert opt.agents[i] == cs[np.argmin(costs)]
        assert opt.cost[i] == pytest.approx(costs.min(), rel=1e-12)
    e = optimal_agents(
        [0.2, 0.0],
        100.0,
        agent_cost_rate=1.0,
        waiting_cost_rate=0.5,
        abandon_cost=30.0,
        patience=120.0,
    )
    cs = np.arange(0, 80)
    ea = erlang_a(0.2, 100.0, cs, 120.0)
    costs = cs + 0.5 * ea.mean_queue_length + 30.0 * 0.2 * ea.prob_abandon
    assert e.agents[0] == cs[np.argmin(costs)] and e.agents[1] == 0.0
    assert e.cost[1] == 0.0
    cap = optimal_agents(
        1.0, 10.0, agent_cost_rate=0.0, waiting_cost_rate=1.0, max_agents=15
    )
    assert cap.agents == 15.0


BAD = [
    (lambda: mmc(-1.0, 1.0, 1), ValueError, "`arrival_rate` must be >= 0, got -1"),
    (lambda: mmc(1.0, 0.0, 1), ValueError, "`service_time` must be > 0, got 0"),
    (lambda: mmc(1.0, -3, 1), ValueError, "`service_time` must be > 0, got -3"),
    (lambda: mmc(1.0, 1.0, 1.5), ValueError, "`servers` must be a whole number"),
    (lambda: mmc(math.nan, 1.0, 1), ValueError, "`arrival_rate` must not be NaN"),
    (lambda: mmc(math.inf, 1.0, 1), ValueError, "`arrival_rate` must be finite"),
    (
        lambda: mmc(1.0, 1.0, 1, join_probability=1.2),
        ValueError,
        "`join_probability` must be <= 1",
    ),
    (lambda: mmc(1.0, 1.0, 1, capacity=0), ValueError, "`capacity` must be >= 1"),
    (lambda: mmc(1.0, 1.0, 1, threshold=-1), ValueError, "`threshold` must be >= 0"),
    (lambda: erlang_b(1.0, -1), ValueError, "`servers` must be >= 0"),
    (lambda: erlang_a(1.0, 1.0, 1, 0.0), ValueError, "`patience` must be > 0"),
    (
        lambda: required_agents(1.0, 1.0, shrinkage=1.0),
        ValueError,
        "`shrinkage` must be < 1",
    ),
    (
        lambda: required_agents(1.0, 1.0, max_occupancy=0.0),
        ValueError,
        "`max_occupancy` must be > 0",
    ),
    (
        lambda: required_agents(1.0, 1.0, max_abandon_rate=2.0),
        ValueError,
        "`max_abandon_rate` must be <= 1",
    ),
    (
        lambda: optimal_agents(1.0, 1.0, agent_cost_rate=-1.0, waiting_cost_rate=1.0),
        ValueError,
        "`agent_cost_rate` must be >= 0",
    ),
    (lambda: mmc(1.0, 1.0, True), TypeError, "`servers` must be a number, got bool"),
    (lambda: erlang_c(np.array([True]), 1), TypeError, "`traffic` must be numeric"),
    (lambda: erlang_c("3", 1), TypeError, "`traffic` must be numeric"),
]


@pytest.mark.parametrize("call,exc,msg", BAD)
def test_bad_arguments(call, exc, msg) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc, match=msg):
        call()
