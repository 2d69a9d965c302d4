"""The simulation core against queueing theory: Erlang A (M/M/c+M) and Erlang C."""

from __future__ import annotations

import numpy as np
import pytest

from opsmart.synth.simulate import (
    ABANDONED,
    FLOWOUT,
    HANDLED,
    NEVER,
    AgentShift,
    simulate_fcfs,
)


def birth_death(
    lam: float, mu: float, theta: float, c: int, n_max: int = 3000
) -> tuple[float, float, float]:
    """P(abandon), mean wait (all arrivals) and P(wait > 0) of M/M/c+M.

    Stationary law of the birth-death chain on 0..n_max with birth rate lam and
    death rate min(n, c) mu + max(n - c, 0) theta (theta = 0: Erlang C).
    """
    log_p = np.zeros(n_max + 1)
    for n in range(1, n_max + 1):
        death = min(n, c) * mu + max(n - c, 0) * theta
        log_p[n] = log_p[n - 1] + np.log(lam / death)
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    n = np.arange(n_max + 1)
    lq = float((np.maximum(n - c, 0) * p).sum())
    p_abandon = theta * lq / lam
    return p_abandon, lq / lam, float(p[c:].sum())


def _batch_se(values: np.ndarray, batches: int = 25) -> float:
    means = np.array([b.mean() for b in np.array_split(values, batches)])
    return float(means.std(ddof=1) / np.sqrt(batches))


def _stationary(
    lam: float, mu: float, theta: float, c: int, n: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    service = rng.exponential(1 / mu, n)
    patience = rng.exponential(1 / theta, n) if theta > 0 else np.full(n, np.inf)
    result = simulate_fcfs(arrivals, service, patience, servers=c)
    warm = n // 50
    return result.outcome[warm:], result.wait[warm:].astype(float)


@pytest.mark.parametrize(
    ("lam", "mu", "theta", "c"),
    [
        (1 / 20, 1 / 180, 1 / 120, 10),
        (1 / 6, 1 / 240, 1 / 300, 40),
        (1 / 30, 1 / 200, 1 / 60, 5),
    ],
)
def test_matches_erlang_a(lam: float, mu: float, theta: float, c: int) -> None:
    outcome, wait = _stationary(lam, mu, theta, c, 150_000, seed=c)
    p_ab, w_mean, _ = birth_death(lam, mu, theta, c)
    abandoned = (outcome == ABANDONED).astype(float)
    assert abs(abandoned.mean() - p_ab) < 4 * _batch_se(abandoned) + 0.002
    # whole-second rounding of times adds at most ~0.5 s to the mean wait
    assert abs(wait.mean() - w_mean) < 4 * _batch_se(wait) + 0.6


@pytest.mark.parametrize(
    ("lam", "mu", "c"), [(1 / 25, 1 / 180, 9), (1 / 5, 1 / 300, 66)]
)
def test_matches_erlang_c(lam: float, mu: float, c: int) -> None:
    outcome, wait = _stationary(lam, mu, 0.0, c, 150_000, seed=c)
    _, w_mean, p_wait = birth_death(lam, mu, 0.0, c)
    assert (outcome == HANDLED).all()
    delayed = (wait > 0).astype(float)
    assert abs(delayed.mean() - p_wait) < 4 * _batch_se(delayed) + 0.01
    assert abs(wait.mean() - w_mean) < 4 * _batch_se(wait) + 0.6


def test_fcfs_small_example() -> None:
    # one agent: 0 starts at 0 until 10; 1 waits 9 s (patience 20); 2 leaves at 3 s
    result = simulate_fcfs([0, 1, 2], [10, 5, 5], [5, 20, 3], servers=1)
    assert result.start.tolist() == [0, 10, -1]
    assert result.wait.tolist() == [0, 9, 3]
    assert result.outcome.tolist() == [HANDLED, HANDLED, ABANDONED]
    flow = simulate_fcfs(
        [0, 1], [100, 5], [500, 500], servers=1, flowout_seconds=[60, 60]
    )
    assert flow.outcome.tolist() == [HANDLED, FLOWOUT]
    assert flow.wait.tolist() == [0, 60]


def test_agent_breaks_are_late_never_short() -> None:
    shift = AgentShift(index=0, windows=[[0, 100], [130, 300]])
    result = simulate_fcfs([90, 95], [40, 10], [NEVER, NEVER], servers=[shift])
    # the contact at 90 runs to 130, the 30 s break follows (130..160)
    assert result.start.tolist() == [90, 160]
    assert shift.aux == [(130, 160)]
    assert shift.close() == 300
    idle = AgentShift(index=1, windows=[[0, 100], [130, 300]])
    assert idle.earliest(110) == 130
    assert idle.aux == [(100, 130)]


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="non-decreasing"):
        simulate_fcfs([2, 1], [1, 1], [1, 1], servers=1)
    with pytest.raises(ValueError, match="servers"):
        simulate_fcfs([1], [1], [1], servers=0)
    with pytest.raises(ValueError, match="service_seconds"):
        simulate_fcfs([1, 2], [1], [1, 1], servers=1)
