"""Independent reference implementations for the queueing tests.

They run `untraced`: mpmath's and SciPy's calls are not opsmart's, and coverage's
tracer more than doubled their time."""

from __future__ import annotations

import mpmath as mp
import numpy as np
from scipy.linalg import expm

from shared_helpers import untraced

mp.mp.dps = 50


@untraced
def erlang_b_mp(traffic: float, servers: int) -> float:
    """Erlang B from the defining sums in 50-digit arithmetic."""
    a = mp.mpf(traffic)
    term, total = mp.mpf(1), mp.mpf(1)
    for k in range(1, servers + 1):
        term = term * a / k
        total += term
    return float(term / total)


@untraced
def erlang_c_mp(traffic: float, servers: int) -> float:
    """Erlang C from the defining sums in 50-digit arithmetic."""
    a, c = mp.mpf(traffic), servers
    term, head = mp.mpf(1), mp.mpf(0)
    for k in range(0, c):
        if k:
            term = term * a / k
        head += term
    top = term * a / c * c / (c - a)
    return float(top / (head + top))


def birth_death(birth: np.ndarray, death: np.ndarray) -> np.ndarray:
    """Stationary law of a finite birth-death chain (states 0..len(birth))."""
    w = np.ones(len(birth) + 1)
    for k in range(1, len(w)):
        w[k] = w[k - 1] * birth[k - 1] / death[k - 1]
    return w / w.sum()


@untraced
def erlang_a_chain(lam, s, n, tau, t, extra=300):
    """Erlang A measures from a truncated chain and a tagged-customer CTMC."""
    mu, th = 1.0 / s, 1.0 / tau
    size = n + extra
    births = np.full(size, lam)
    deaths = np.array([min(k, n) * mu + max(k - n, 0) * th for k in range(1, size + 1)])
    pi = birth_death(births, deaths)[:size]
    pi = pi / pi.sum()
    pw = pi[n:].sum()
    lq = float(np.arange(size - n) @ pi[n:])
    m = size - n
    q = np.zeros((m + 2, m + 2))
    for i in range(m):
        q[i, m + 1] += th
        if i == 0:
            q[i, m] += n * mu
        else:
            q[i, i - 1] += n * mu + i * th
        q[i, i] = -q[i].sum()
    pj = pi[n:]
    within = (1 - pw) + pj @ expm(q * t)[:m, m]
    inv = np.linalg.inv(-q[:m, :m])
    qs = np.zeros(m)
    qs[0] = n * mu
    served = (1 - pw) + pj @ (inv @ qs)
    ew_served = pj @ (inv @ inv @ qs)
    qv = q.copy()
    qv[:, m + 1] = 0.0
    for i in range(m):
        qv[i, i] = 0.0
        qv[i, i] = -qv[i].sum()
    virt = (1 - pw) + pj @ expm(qv * t)[:m, m]
    return {
        "prob_wait": pw,
        "prob_abandon": th * lq / lam,
        "served": served,
        "service_level": within,
        "mean_wait_answered": ew_served / served,
        "service_level_virtual": virt,
        "mean_queue_length": lq,
    }


@untraced
def mmck_chain(lam, s, c, p, k, t):
    """M/M/c/K with balking from the chain; SL of admitted contacts by CTMC."""
    mu = 1.0 / s
    births = np.array([lam if n < c else lam * p for n in range(k)])
    deaths = np.array([min(n, c) * mu for n in range(1, k + 1)])
    pi = birth_death(births, deaths)
    adm = births / lam * pi[:k]  # admitted-arrival weights by state seen
    lam_eff = lam * adm.sum()
    lq = float(np.maximum(np.arange(k + 1) - c, 0) @ pi)
    wait_w = adm[c:k] / adm.sum() if k > c else np.zeros(0)
    pw = wait_w.sum()
    # wait given j ahead is Erlang(j+1, c mu): P(W > t) via CTMC of a pure death
    m = len(wait_w)
    if m:
        q = np.zeros((m + 1, m + 1))
        for i in range(m):
            q[i, i] = -c * mu
            q[i, i - 1 if i else m] = c * mu
        tail = 1.0 - expm(q * t)[:m, m]
        sl = 1.0 - wait_w @ tail
    else:
        sl = 1.0
    return {
        "prob_wait": pw,
        "mean_queue_length": lq,
        "mean_wait": lq / lam_eff,
        "prob_blocked": pi[k],
        "service_level": sl,
        "occupancy": lam_eff * s / c,
    }
