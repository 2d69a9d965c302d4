"""Staffing: fewest agents meeting targets, and cost-optimal agents."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opsmart._validate import as_count_array, as_float_array, as_probability, is_scalar
from opsmart.queueing._core import expit, log_inv_b_minus_1
from opsmart.queueing._results import CostResult, StaffingResult
from opsmart.queueing.erlang import (
    _broadcast_shape,
    _erlang_c_arrays,
    _flat,
    _flat_or_none,
    _out,
)
from opsmart.queueing.erlang_a import _erlang_a_arrays

__all__ = ["optimal_agents", "required_agents"]

F64 = NDArray[np.float64]
Rows = NDArray[np.intp]


@dataclass(frozen=True)
class _Targets:
    """The arguments of `required_agents`, checked and flattened to one shape.

    Every array is 1-d with one entry per row of the broadcast ``shape``; a target
    not given is None. ``traffic`` is A = arrival_rate * service_time (Erlangs) and
    ``max_agents`` the search limit, its default filled in.
    """

    scalar: bool
    shape: tuple[int, ...]
    arrival_rate: F64
    service_time: F64
    traffic: F64
    shrinkage: F64
    max_agents: F64
    threshold: F64 | None
    service_level: F64 | None
    max_wait: F64 | None
    max_abandon: F64 | None
    max_occupancy: F64 | None
    patience: F64 | None


def _as_patience(patience: ArrayLike | None) -> F64 | None:
    """Mean patience (seconds, > 0, ``inf`` allowed), or None for Erlang C."""
    if patience is None:
        return None
    return as_float_array(patience, "patience", strict=True, allow_inf=True)


def _as_limit(max_agents: ArrayLike | None) -> F64 | None:
    """The search limit (a whole number >= 0), or None for the default."""
    return None if max_agents is None else as_count_array(max_agents, "max_agents")


def _staffing_targets(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    *,
    threshold: ArrayLike | None,
    target_service_level: ArrayLike | None,
    max_mean_wait: ArrayLike | None,
    max_abandon_rate: ArrayLike | None,
    max_occupancy: ArrayLike | None,
    shrinkage: ArrayLike,
    patience: ArrayLike | None,
    max_agents: ArrayLike | None,
) -> _Targets:
    """Check the arguments of `required_agents` in its order and flatten them."""
    scalar = is_scalar(
        arrival_rate,
        service_time,
        threshold,
        target_service_level,
        max_mean_wait,
        max_abandon_rate,
        max_occupancy,
        shrinkage,
        patience,
        max_agents,
    )
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(service_time, "service_time", strict=True)
    t = None if threshold is None else as_float_array(threshold, "threshold")
    sl = (
        None
        if target_service_level is None
        else as_probability(target_service_level, "target_service_level")
    )
    if sl is not None and t is None:
        raise ValueError("`threshold` must be given with `target_service_level`")
    w = (
        None
        if max_mean_wait is None
        else as_float_array(max_mean_wait, "max_mean_wait")
    )
    ab = (
        None
        if max_abandon_rate is None
        else as_probability(max_abandon_rate, "max_abandon_rate")
    )
    occ = (
        None
        if max_occupancy is None
        else as_float_array(max_occupancy, "max_occupancy", strict=True, upper=1.0)
    )
    shr = as_float_array(shrinkage, "shrinkage", upper=1.0, upper_strict=True)
    tau, cmax = _as_patience(patience), _as_limit(max_agents)
    shape = _broadcast_shape(lam, s, t, sl, w, ab, occ, shr, tau, cmax)
    lam_f, s_f, shr_f = _flat(shape, lam, s, shr)
    occ_f, cmax_f = _flat_or_none(shape, occ), _flat_or_none(shape, cmax)
    a = lam_f * s_f
    return _Targets(
        scalar=scalar,
        shape=shape,
        arrival_rate=lam_f,
        service_time=s_f,
        traffic=a,
        shrinkage=shr_f,
        max_agents=_default_max(a, occ_f) if cmax_f is None else cmax_f,
        threshold=_flat_or_none(shape, t),
        service_level=_flat_or_none(shape, sl),
        max_wait=_flat_or_none(shape, w),
        max_abandon=_flat_or_none(shape, ab),
        max_occupancy=occ_f,
        patience=_flat_or_none(shape, tau),
    )


def _measures(
    lam: F64, s: F64, c: F64, tau: F64 | None, t: F64 | None, *, asa: bool
) -> dict[str, F64]:
    if tau is None:
        return _erlang_c_arrays(lam, s, c, t)
    return _erlang_a_arrays(lam, s, c, tau, t, answered_wait=asa)


def _default_max(a: F64, occ: F64 | None) -> F64:
    base = a if occ is None else np.maximum(a, a / np.maximum(occ, 1e-12))
    out: F64 = np.ceil(base + 10.0 * np.sqrt(a) + 50.0)
    return out


def _infeasible_floor(x: _Targets) -> F64:
    """A count per row known to miss the targets (the search starts above it)."""
    lo = np.floor(x.traffic)
    if x.patience is not None:
        lo = np.where(np.isinf(x.patience), lo, 0.0)
    if x.max_occupancy is not None:
        lo = np.maximum(lo, np.ceil(x.traffic / x.max_occupancy) - 1.0)
    return lo


def _erlang_c_scan(x: _Targets, start: F64) -> F64:
    """Step all rows up from ``start`` with the Erlang B recurrence until met."""
    a, s, hi = x.traffic, x.service_time, x.max_agents
    t, sl, w, occ = x.threshold, x.service_level, x.max_wait, x.max_occupancy
    agents = np.where(a > 0, np.nan, 0.0)
    rows = np.flatnonzero((a > 0) & (start <= hi))
    c = start[rows]
    aa = a[rows]
    b = expit(-log_inv_b_minus_1(aa, c))
    while rows.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            pw = c * b / (c - aa * (1.0 - b))
            ok = c > aa
            if sl is not None and t is not None:
                ok &= 1.0 - pw * np.exp(-(c - aa) * t[rows] / s[rows]) >= sl[rows]
            if w is not None:
                ok &= pw * s[rows] / (c - aa) <= w[rows]
            if occ is not None:
                ok &= aa / c <= occ[rows]
        agents[rows[ok]] = c[ok]
        keep = ~ok & (c + 1.0 <= hi[rows])
        rows, c, aa, b = rows[keep], c[keep] + 1.0, aa[keep], b[keep]
        b = aa * b / (c + aa * b)
    return agents


def _meets(x: _Targets, rows: Rows, c: F64) -> NDArray[np.bool_]:
    """Whether ``c`` agents meet every target given, on each of ``rows``."""
    sub = None if x.patience is None else x.patience[rows]
    tt = None if x.threshold is None or x.service_level is None else x.threshold[rows]
    lam, s = x.arrival_rate[rows], x.service_time[rows]
    d = _measures(lam, s, c, sub, tt, asa=x.max_wait is not None)
    ok = (d["stable"] > 0) & (c > 0)
    if x.service_level is not None:
        ok &= d["service_level"] >= x.service_level[rows]
    if x.max_wait is not None:
        key = "mean_wait" if x.patience is None else "mean_wait_answered"
        ok &= d[key] <= x.max_wait[rows]
    if x.max_abandon is not None and x.patience is not None:
        ok &= d["prob_abandon"] <= x.max_abandon[rows]
    if x.max_occupancy is not None:
        ok &= d["occupancy"] <= x.max_occupancy[rows]
    return np.asarray(ok)


def _bisect(
    rows: Rows,
    low: F64,
    high: F64,
    good: Callable[[Rows, F64], NDArray[np.bool_]],
) -> F64:
    """Per row, the least c in (low, high] with ``good(rows, c)``, by bisection.

    ``good`` must be monotone in c (False, then True); ``high`` is taken as good.
    Rows are searched together, dropping out as their interval closes.
    """
    found = np.empty(rows.size)
    at = np.arange(rows.size)
    while at.size:
        mid = np.floor((low + high) / 2.0)
        ok = good(rows[at], mid)
        high = np.where(ok, mid, high)
        low = np.where(ok, low, mid)
        done = high - low <= 1.0
        found[at[done]] = high[done]
        at, low, high = at[~done], low[~done], high[~done]
    return found


def _erlang_a_search(x: _Targets, lo: F64) -> F64:
    """Bisect the rows with arrivals between ``lo`` and the limit (NaN: limit fails)."""
    hi = x.max_agents
    agents = np.zeros(shape=x.traffic.shape)
    active = np.flatnonzero(x.arrival_rate > 0)
    feasible = np.zeros(x.traffic.shape, dtype=bool)
    feasible[x.arrival_rate == 0] = True
    cand = active[hi[active] > lo[active]]
    if cand.size:
        feasible[cand] = _meets(x, cand, hi[cand])
    rows = np.flatnonzero(feasible & (x.arrival_rate > 0))
    agents[rows] = _bisect(rows, lo[rows], hi[rows], lambda r, c: _meets(x, r, c))
    agents[~feasible] = np.nan
    return agents


def _staffing_result(agents: F64, x: _Targets) -> StaffingResult:
    """Agents and scheduled agents in the input's shape (None if scalar and unmet)."""
    sched = np.ceil(agents / (1.0 - x.shrinkage) - 1e-9)
    if x.scalar and np.isnan(agents[0]):
        return StaffingResult(agents=None, scheduled_agents=None)
    return StaffingResult(
        agents=_out(agents, x.scalar, x.shape),
        scheduled_agents=_out(sched, x.scalar, x.shape),
    )


def required_agents(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    *,
    threshold: ArrayLike | None = None,
    target_service_level: ArrayLike | None = None,
    max_mean_wait: ArrayLike | None = None,
    max_abandon_rate: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    shrinkage: ArrayLike = 0.0,
    patience: ArrayLike | None = None,
    max_agents: ArrayLike | None = None,
) -> StaffingResult:
    r"""Fewest agents meeting every target given (Erlang C, or Erlang A).

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    service_time : array_like
        Mean handling time S (seconds), > 0.
    threshold : array_like, optional
        Service-level answer time t (seconds), >= 0; needed with
        ``target_service_level``.
    target_service_level : array_like, optional
        Required fraction in [0, 1] answered within ``threshold`` (Erlang A:
        answered within t divided by offered).
    max_mean_wait : array_like, optional
        Maximum ASA (seconds; Erlang A: mean wait of answered contacts).
    max_abandon_rate : array_like, optional
        Maximum fraction abandoning, in [0, 1] (Erlang A only; always met by
        Erlang C).
    max_occupancy : array_like, optional
        Maximum agent occupancy, in (0, 1].
    shrinkage : array_like, default 0.0
        Fraction in [0, 1) of paid time off the phones.
    patience : array_like, optional
        Mean exponential patience (seconds, > 0, ``inf`` allowed); when given
        the Erlang A model is used.
    max_agents : array_like, optional
        Search limit, a whole number >= 0.  Default
        :math:`\lceil \max(A, A/\text{max\_occupancy}) + 10\sqrt{A} + 50\rceil`.

    Returns
    -------
    StaffingResult
        ``agents`` and ``scheduled_agents`` = ceil(agents / (1 - shrinkage)).
        Where no count up to ``max_agents`` meets the targets: None for scalar
        input and NaN in float arrays.  Zero arrivals need 0 agents.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If an argument is outside its domain, or ``target_service_level`` is
        given without ``threshold``.

    Notes
    -----
    Erlang C staffing always requires a stable queue (c > A); Erlang A
    staffing requires at least one agent when arrivals are positive.  Every
    measure is monotone in the number of agents, so rows are searched together
    by vectorised bisection between an infeasible lower bound and
    ``max_agents`` (about log2(10 sqrt(A) + 50) model evaluations):

    .. math:: c^* = \min\{c \le c_{\max} : SL(c) \ge SL^*,\ ASA(c) \le w^*,
              \ P_{ab}(c) \le p^*,\ \rho(c) \le \rho^*\}.

    References
    ----------
    .. [1] Gans, N., Koole, G., Mandelbaum, A. (2003). *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071
    .. [2] Garnett, O., Mandelbaum, A., Reiman, M. (2002). *M&SOM*
       4(3):208-227. https://doi.org/10.1287/msom.4.3.208.7753

    Examples
    --------
    A = 1 Erlang with a wait-probability-free target: stability alone needs 2.

    >>> required_agents(1 / 180, 180.0).agents
    2.0
    >>> r = required_agents(100 / 1800, 180.0, threshold=20.0,
    ...                     target_service_level=0.8, shrinkage=0.2)
    >>> r.agents, r.scheduled_agents
    (14.0, 18.0)
    """
    x = _staffing_targets(
        arrival_rate,
        service_time,
        threshold=threshold,
        target_service_level=target_service_level,
        max_mean_wait=max_mean_wait,
        max_abandon_rate=max_abandon_rate,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
        patience=patience,
        max_agents=max_agents,
    )
    lo = _infeasible_floor(x)
    if x.patience is None:
        agents = _erlang_c_scan(x, lo + 1.0)
    else:
        agents = _erlang_a_search(x, lo)
    return _staffing_result(agents, x)


def optimal_agents(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    *,
    agent_cost_rate: ArrayLike,
    waiting_cost_rate: ArrayLike,
    abandon_cost: ArrayLike = 0.0,
    patience: ArrayLike | None = None,
    max_agents: ArrayLike | None = None,
) -> CostResult:
    r"""Agents minimising staffing plus waiting (plus abandonment) cost.

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    service_time : array_like
        Mean handling time S (seconds), > 0.
    agent_cost_rate : array_like
        Cost per agent per second, >= 0.
    waiting_cost_rate : array_like
        Cost per waiting contact per second, >= 0.
    abandon_cost : array_like, default 0.0
        Cost per abandoned contact, >= 0 (Erlang A only).
    patience : array_like, optional
        Mean exponential patience (seconds, > 0, ``inf`` allowed); when given
        the Erlang A model is used.
    max_agents : array_like, optional
        Upper search limit, a whole number; default
        :math:`\lceil A + 10\sqrt{A} + 50\rceil`.  The result is capped there.

    Returns
    -------
    CostResult
        ``agents`` minimising the cost rate and ``cost`` (per second) there.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If an argument is outside its domain.

    Notes
    -----
    The cost rate is

    .. math:: K(c) = k_a c + k_w \lambda W_q(c) + k_{ab} \lambda P_{ab}(c).

    For Erlang C, :math:`\lambda W_q = L_q` is convex decreasing in c (Dyer &
    Proll 1977), so :math:`K` is convex on c > A and the minimiser is the
    first c with :math:`K(c+1) - K(c) \ge 0`, found by vectorised bisection;
    the same search is used for Erlang A (c >= 0), whose cost is unimodal in
    practice.  Zero arrivals need 0 agents at zero cost.

    References
    ----------
    .. [1] Dyer, M. E., Proll, L. G. (1977). On the validity of marginal
       analysis for allocating servers in M/M/c queues. *Management Science*
       23(9):1019-1022. https://doi.org/10.1287/mnsc.23.9.1019
    .. [2] Hillier, F. S., Lieberman, G. J. (2015). *Introduction to Operations
       Research*, 10th ed., ch. 26 (decision making with queueing models).

    Examples
    --------
    One clerk at rho = 5/6 (L = 5) versus two (L ~ 1.05): with a clerk costing
    1 and a waiting customer 1 per unit time, two clerks are cheaper.

    >>> r = optimal_agents(5 / 6, 1.0, agent_cost_rate=1.0, waiting_cost_rate=1.0)
    >>> r.agents, round(r.cost, 4)
    (2.0, 2.1751)
    """
    scalar = is_scalar(
        arrival_rate,
        service_time,
        agent_cost_rate,
        waiting_cost_rate,
        abandon_cost,
        patience,
        max_agents,
    )
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(service_time, "service_time", strict=True)
    ka = as_float_array(agent_cost_rate, "agent_cost_rate")
    kw = as_float_array(waiting_cost_rate, "waiting_cost_rate")
    kb = as_float_array(abandon_cost, "abandon_cost")
    tau, cmax = _as_patience(patience), _as_limit(max_agents)
    shape = _broadcast_shape(lam, s, ka, kw, kb, tau, cmax)
    lam_f, s_f, ka_f, kw_f, kb_f = _flat(shape, lam, s, ka, kw, kb)
    tau_f, cmax_f = _flat_or_none(shape, tau), _flat_or_none(shape, cmax)
    a = lam_f * s_f
    lo = np.floor(a) + 1.0
    if tau_f is not None:
        lo = np.where(np.isinf(tau_f), lo, 0.0)
    hi = _default_max(a, None) if cmax_f is None else cmax_f
    hi = np.maximum(hi, lo)

    def cost(rows: Rows, c: F64) -> F64:
        sub = None if tau_f is None else tau_f[rows]
        d = _measures(lam_f[rows], s_f[rows], c, sub, None, asa=False)
        k = ka_f[rows] * c + kw_f[rows] * d["mean_queue_length"]
        if tau_f is not None:
            k = k + kb_f[rows] * lam_f[rows] * d["prob_abandon"]
        out: F64 = k
        return out

    def cost_rises(rows: Rows, c: F64) -> NDArray[np.bool_]:
        return np.asarray(cost(rows, c + 1.0) >= cost(rows, c))

    agents = np.where(lam_f > 0, hi, 0.0)
    rows = np.flatnonzero((lam_f > 0) & (hi > lo))
    agents[rows] = _bisect(rows, lo[rows] - 1.0, hi[rows], cost_rises)
    best = np.zeros(a.shape)
    pos = np.flatnonzero(lam_f > 0)
    best[pos] = cost(pos, agents[pos])
    return CostResult(
        agents=_out(agents, scalar, shape), cost=_out(best, scalar, shape)
    )
