"""Erlang B/C and M/M/c: high-precision references and textbook cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _reference import erlang_b_mp, erlang_c_mp

from opsmart.queueing import erlang_b, erlang_c, mmc, service_level

LOADS = [0.1, 0.5, 1.0, 5.0, 20.0, 100.0, 500.0, 1000.0, 2500.0, 5000.0]
UTILS = [0.3, 0.5, 0.8, 0.9, 0.95, 0.99]


@pytest.mark.parametrize("traffic", LOADS)
@pytest.mark.parametrize("util", UTILS)
def test_erlang_b_c_match_mpmath(traffic: float, util: float) -> None:
    servers = max(1, math.ceil(traffic / util))
    ref_b = erlang_b_mp(traffic, servers)
    assert erlang_b(traffic, servers) == pytest.approx(ref_b, rel=1e-9)
    if traffic < servers:
        ref_c = erlang_c_mp(traffic, servers)
        assert erlang_c(traffic, servers) == pytest.approx(ref_c, rel=1e-9)


@pytest.mark.parametrize("servers", [1, 10, 100, 1000, 5000, 10000, 12000])
@pytest.mark.parametrize("traffic", [0.1, 3.0, 800.0, 5000.0, 9900.0])
def test_erlang_b_wide_grid(traffic: float, servers: int) -> None:
    ref = erlang_b_mp(traffic, servers)
    got = erlang_b(traffic, servers)
    if ref < 1e-300:
        assert got < 1e-290
    else:
        assert got == pytest.approx(ref, rel=1e-9)


def test_ten_thousand_agents_at_99_percent() -> None:
    ref = erlang_c_mp(9900.0, 10000)
    got = erlang_c(9900.0, 10000)
    assert math.isfinite(got) and got == pytest.approx(ref, rel=1e-9)
    r = mmc(9900.0 / 180.0, 180.0, 10000, threshold=20.0)
    assert r.mean_wait == pytest.approx(ref * 180.0 / 100.0, rel=1e-9)
    assert 0.0 < r.service_level < 1.0


def test_b_c_identity_vectorised() -> None:
    a = np.linspace(0.5, 300.0, 200)
    c = np.floor(a) + np.arange(200) % 7 + 1
    b = erlang_b(a, c)
    assert np.allclose(erlang_c(a, c), c * b / (c - a * (1 - b)), rtol=1e-12)
    assert np.all(np.asarray(erlang_c(a, c)) >= b)


def test_erlang_b_recurrence_small() -> None:
    b = 1.0
    for k in range(1, 31):
        b = 7.3 * b / (k + 7.3 * b)
        assert erlang_b(7.3, k) == pytest.approx(b, rel=1e-12)


def test_unstable_and_zero() -> None:
    assert erlang_c(5.0, 5) == 1.0
    assert erlang_c(5.0, 0) == 1.0
    assert erlang_b(5.0, 0) == 1.0
    assert erlang_c(0.0, 3) == 0.0
    assert erlang_b(0.0, 3) == 0.0
    r = mmc(1.0, 2.0, 2, threshold=10.0)
    assert (r.prob_wait, r.mean_wait, r.service_level, r.stable) == (
        1.0,
        math.inf,
        0.0,
        False,
    )
    assert r.occupancy == 1.0 and r.mean_queue_length == math.inf
    z = mmc(0.0, 2.0, 2, threshold=10.0)
    assert (z.prob_wait, z.mean_wait, z.service_level, z.occupancy) == (
        0.0,
        0.0,
        1.0,
        0.0,
    )
    assert mmc(1.0, 1.0, 0).stable is False
    assert service_level([0.0, 2.0, 0.5], 1.0, 1, 0.0).tolist() == [1.0, 0.0, 0.5]


def test_call_centre_worked_example() -> None:
    # The classic "100 calls per 30 minutes, AHT 3 minutes, 20-second target"
    # example: A = 10 Erlangs.  Hand values (Erlang C formula, 4 decimals):
    # 11 agents P_w = 0.6821, SL(20 s) = 0.3896, ASA = 122.8 s; 13 agents
    # SL(20 s) = 0.7956; 14 agents is the 80/20 staffing.
    lam = 100 / 1800
    r11 = mmc(lam, 180.0, 11, threshold=20.0)
    assert r11.prob_wait == pytest.approx(erlang_c_mp(10.0, 11), rel=1e-12)
    assert r11.prob_wait == pytest.approx(0.6821, abs=1e-4)
    assert r11.service_level == pytest.approx(0.3896, abs=1e-4)
    assert r11.mean_wait == pytest.approx(0.6821 * 180.0, abs=0.05)
    assert mmc(lam, 180.0, 13, threshold=20.0).service_level == pytest.approx(
        0.7956, abs=1e-4
    )


def test_hillier_lieberman_mms() -> None:
    # Hillier & Lieberman, Introduction to Operations Research, County Hospital
    # emergency-room example: lambda = 2/h, mu = 3/h. s = 1: L = 2, Lq = 4/3,
    # W = 1 h, Wq = 2/3 h; s = 2: P0 = 1/2, Lq = 1/12, L = 3/4.
    r1 = mmc(2.0, 1 / 3, 1)
    assert (r1.mean_in_system, r1.mean_queue_length) == pytest.approx((2.0, 4 / 3))
    assert (r1.mean_response_time, r1.mean_wait) == pytest.approx((1.0, 2 / 3))
    r2 = mmc(2.0, 1 / 3, 2)
    assert r2.mean_queue_length == pytest.approx(1 / 12)
    assert r2.mean_in_system == pytest.approx(0.75)


def test_seed_003_two_clerks() -> None:
    # one clerk at rho = 5/6 has L = 5; a second clerk brings L to 1.0084 (~1)
    one = mmc(5 / 6, 1.0, 1)
    two = mmc(5 / 6, 1.0, 2)
    assert one.mean_in_system == pytest.approx(5.0)
    assert two.mean_in_system == pytest.approx(120 / 119)
    assert 1.0 < two.mean_in_system < 1.05


def test_shapes_and_scalars() -> None:
    r = mmc(np.full((3, 1), 0.1), 5.0, np.array([1, 2, 3, 4]), threshold=[1.0, 2, 3, 4])
    assert np.shape(r.prob_wait) == (3, 4) and np.shape(r.stable) == (3, 4)
    assert r.stable.dtype == bool
    s = mmc(0.1, 5.0, 1)
    assert isinstance(s.prob_wait, float) and isinstance(s.stable, bool)
    assert s.service_level is None
    assert isinstance(erlang_b(1.0, 1), float)
    assert np.shape(erlang_c([1.0, 2.0], 3)) == (2,)
