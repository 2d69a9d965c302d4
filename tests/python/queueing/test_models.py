"""Balking/finite capacity, Erlang A, M/G/1 and priority against references."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _reference import erlang_a_chain, erlang_c_mp, mmck_chain

from opsmart.queueing import (
    erlang_a,
    erlang_c,
    estimate_patience,
    mg1,
    mmc,
    priority_mmc,
)

MMCK_CASES = [
    # lam, s, c, p, K, t
    (0.8, 1.0, 1, 1.0, 5, 0.7),  # r < 1
    (2.0, 1.0, 1, 1.0, 6, 0.5),  # r > 1
    (3.0, 1.0, 3, 1.0, 9, 0.4),  # r = 1 exactly
    (3.0 + 1e-9, 1.0, 3, 1.0, 9, 0.4),  # r ~ 1
    (0.05, 180.0, 10, 0.6, 30, 20.0),  # balking + capacity
    (0.08, 180.0, 10, 0.5, 400, 20.0),  # balking, r > 1, long room
    (0.05, 180.0, 10, 1.0, 10, 20.0),  # Erlang loss (K = c)
    (0.05, 180.0, 10, 1.0, 4, 20.0),  # K < c
    (0.05, 180.0, 10, 1.0, 11, 20.0),  # one waiting place
]


@pytest.mark.parametrize("case", MMCK_CASES)
def test_mmck_balking_against_chain(case: tuple[float, ...]) -> None:
    lam, s, c, p, k, t = case
    ref = mmck_chain(lam, s, int(c), p, int(k), t)
    r = mmc(lam, s, c, threshold=t, join_probability=p, capacity=k)
    for key, val in ref.items():
        assert getattr(r, key) == pytest.approx(val, rel=1e-7, abs=1e-12), key
    assert r.stable is True


def test_balking_infinite_room() -> None:
    # unstable without balking (A = 12 > 10) but stable with p = 0.5
    lam, s, c, p = 12 / 180, 180.0, 10, 0.5
    ref = mmck_chain(lam, s, c, p, 400, 20.0)
    r = mmc(lam, s, c, threshold=20.0, join_probability=p)
    assert r.stable is True and r.prob_blocked == 0.0
    for key in ("prob_wait", "mean_wait", "mean_queue_length", "service_level"):
        assert getattr(r, key) == pytest.approx(ref[key], rel=1e-9), key
    bad = mmc(lam, s, c, join_probability=0.9)
    assert bad.stable is False and bad.mean_wait == math.inf


def test_capacity_inf_equals_plain_and_zero_servers() -> None:
    a = mmc(0.05, 180.0, 11, threshold=20.0, capacity=np.inf)
    b = mmc(0.05, 180.0, 11, threshold=20.0)
    assert a == b
    z = mmc(0.05, 180.0, 0, capacity=5)
    assert z.stable is False and z.prob_blocked == 1.0


ERLANG_A_CASES = [
    (1.0, 1.0, 1, 1.0, 0.5),
    (0.1, 180.0, 20, 120.0, 20.0),
    (0.2, 180.0, 30, 60.0, 20.0),  # overloaded, A = 36 > 30
    (0.05, 300.0, 10, 600.0, 30.0),
    (2.0, 1.0, 1, 5.0, 1.0),
    (0.01, 100.0, 40, 5000.0, 10.0),  # x << a: series branch of the tail ratio
]


@pytest.mark.parametrize("case", ERLANG_A_CASES)
def test_erlang_a_against_chain(case: tuple[float, ...]) -> None:
    lam, s, n, tau, t = case
    ref = erlang_a_chain(lam, s, int(n), tau, t)
    r = erlang_a(lam, s, n, tau, threshold=t)
    for key in (
        "prob_wait",
        "prob_abandon",
        "service_level",
        "mean_wait_answered",
        "service_level_virtual",
        "mean_queue_length",
    ):
        assert getattr(r, key) == pytest.approx(ref[key], rel=1e-8, abs=1e-13), key
    assert r.throughput == pytest.approx(lam * ref["served"], rel=1e-9)
    assert r.mean_wait == pytest.approx(r.prob_abandon * tau, rel=1e-12)
    assert r.service_level_answered == pytest.approx(
        ref["service_level"] / ref["served"], rel=1e-8
    )
    assert r.stable is True


def test_erlang_a_tends_to_erlang_c() -> None:
    lam, s, n, t = 15.0 / 100.0, 100.0, 18, 20.0
    c = mmc(lam, s, n, threshold=t)
    taus = np.array([1e4, 1e6, 1e8])
    r = erlang_a(lam, s, n, taus, threshold=t)
    err = np.abs(np.asarray(r.prob_wait) - c.prob_wait)
    assert np.all(np.diff(err) < 0) and err[-1] < 1e-6
    assert r.mean_wait_answered[-1] == pytest.approx(c.mean_wait, rel=1e-5)
    assert r.service_level[-1] == pytest.approx(c.service_level, rel=1e-6)
    inf = erlang_a(lam, s, n, math.inf, threshold=t)
    assert inf.prob_wait == pytest.approx(erlang_c_mp(15.0, 18), rel=1e-9)
    assert inf.prob_abandon == 0.0 and inf.service_level == c.service_level
    assert inf.mean_wait_answered == c.mean_wait


def test_erlang_a_edges() -> None:
    z = erlang_a(0.0, 100.0, 3, 60.0, threshold=10.0)
    assert (z.prob_wait, z.prob_abandon, z.mean_wait, z.service_level) == (0, 0, 0, 1)
    none = erlang_a(0.1, 100.0, 0, 60.0, threshold=10.0)
    assert none.prob_abandon == pytest.approx(1.0) and none.throughput == 0.0
    assert math.isnan(none.mean_wait_answered) and none.service_level == 0.0
    big = erlang_a(np.array([50.0, 0.5]), 100.0, [4000, 40], 300.0, threshold=20.0)
    assert np.all(np.isfinite(big.prob_wait)) and np.all(big.stable)
    # heavy overload with long patience (tail ratio overflows without log space)
    heavy = erlang_a(10.0, 10.0, 20, 3000.0)
    assert heavy.throughput == pytest.approx(2.0, rel=1e-6)
    assert heavy.prob_abandon == pytest.approx(0.8, rel=1e-6)
    unstable_c = erlang_a([0.5, 0.0], 10.0, 3, math.inf, threshold=5.0)
    assert unstable_c.stable.tolist() == [False, True]
    assert unstable_c.throughput.tolist() == [0.3, 0.0]
    assert erlang_a(0.1, 10.0, 3, 60.0).service_level is None


def test_estimate_patience() -> None:
    assert estimate_patience(4, 1000.0) == 250.0
    assert estimate_patience(0, 10.0) == math.inf
    assert math.isnan(estimate_patience(0, 0.0))
    assert np.shape(estimate_patience([1, 2], [3.0, 4.0])) == (2,)


def test_mg1() -> None:
    mm1 = mmc(0.7, 1.0, 1)
    g = mg1(0.7, 1.0, 1.0)
    for key in ("prob_wait", "mean_wait", "mean_queue_length", "mean_in_system"):
        assert getattr(g, key) == pytest.approx(getattr(mm1, key), rel=1e-12)
    assert g.mean_response_time == pytest.approx(mm1.mean_response_time)
    assert mg1(0.7, 1.0, 0.0).mean_wait == pytest.approx(mm1.mean_wait / 2)
    u = mg1([0.5, 1.5], 1.0, 2.0)
    assert u.stable.tolist() == [True, False] and u.mean_wait[1] == math.inf
    assert u.mean_wait[0] == pytest.approx(1.5)


def test_priority_cobham() -> None:
    # single class equals Erlang C
    r = priority_mmc([0.05], 180.0, 11)
    assert r.mean_wait[0] == pytest.approx(mmc(0.05, 180.0, 11).mean_wait, rel=1e-12)
    # conservation: rate-weighted mean equals the FCFS mean (same service law)
    rates = np.array([0.01, 0.02, 0.025])
    p = priority_mmc(rates, 180.0, 11)
    assert p.mean_wait_overall == pytest.approx(mmc(rates.sum(), 180.0, 11).mean_wait)
    assert np.all(np.diff(p.mean_wait) > 0)
    assert p.prob_wait == pytest.approx(erlang_c(rates.sum() * 180.0, 11))
    # overload: top class still stable
    o = priority_mmc([[0.03, 0.05], [0.0, 0.0]], 180.0, [10, 0])
    assert o.stable.tolist() == [[True, False], [True, True]]
    assert o.mean_wait_overall.tolist()[0] == math.inf
    assert o.mean_wait[1].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="`arrival_rates` must have a class axis"):
        priority_mmc(0.1, 1.0, 1)
