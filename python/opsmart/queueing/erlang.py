"""Erlang B, Erlang C and the M/M/c queue (with balking and finite capacity)."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opsmart._validate import as_count_array, as_float_array, as_probability, is_scalar
from opsmart.queueing._core import expit, log_inv_b_minus_1, trunc_geom, wait_tail_trunc
from opsmart.queueing._results import FloatOrArray, QueueResult

__all__ = ["erlang_b", "erlang_c", "mmc", "service_level"]

F64 = NDArray[np.float64]
_Result = TypeVar("_Result", bound=QueueResult)


def _out(x: F64, scalar: bool, shape: tuple[int, ...] | None = None) -> FloatOrArray:
    arr = np.asarray(x, dtype=np.float64)
    if scalar:
        return float(arr.ravel()[0])
    return arr if shape is None else arr.reshape(shape)


def _flat(shape: tuple[int, ...], *arrays: F64) -> list[F64]:
    """Broadcast to ``shape`` and return 1-d copies (0-d becomes size 1)."""
    return [np.broadcast_to(v, shape).ravel().astype(np.float64) for v in arrays]


def _broadcast_shape(*arrays: F64 | None) -> tuple[int, ...]:
    """The shape the given arrays (None skipped) broadcast to."""
    return np.broadcast_shapes(*(x.shape for x in arrays if x is not None))


def _flat_or_none(shape: tuple[int, ...], x: F64 | None) -> F64 | None:
    """`x` broadcast to ``shape`` as a flat copy; None (option not given) stays None."""
    return None if x is None else _flat(shape, x)[0]


def _traffic_and_servers(
    traffic: ArrayLike, servers: ArrayLike
) -> tuple[F64, F64, bool, tuple[int, ...]]:
    """Checked flat ``traffic`` and ``servers``, whether both were scalars, shape."""
    scalar = is_scalar(traffic, servers)
    a = as_float_array(traffic, "traffic")
    c = as_count_array(servers, "servers")
    shape = np.broadcast_shapes(a.shape, c.shape)
    a, c = _flat(shape, a, c)
    return a, c, scalar, shape


def _erlang_c_arr(traffic: F64, servers: F64) -> F64:
    with np.errstate(divide="ignore"):
        log_tail = -np.log1p(-np.minimum(traffic / servers, 1.0))
    pw = expit(log_tail - log_inv_b_minus_1(traffic, servers))
    pw = np.where(traffic >= servers, 1.0, pw)
    out: F64 = np.where(traffic == 0, 0.0, pw)
    return out


def erlang_b(traffic: ArrayLike, servers: ArrayLike) -> FloatOrArray:
    r"""Blocking probability of the Erlang loss system M/M/c/c.

    Parameters
    ----------
    traffic : array_like
        Offered load A in Erlangs (arrival rate x mean service time), >= 0.
    servers : array_like
        Number of servers c, a whole number >= 0.

    Returns
    -------
    float or numpy.ndarray
        B(c, A), broadcast over the inputs; a float for scalar inputs.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If ``traffic`` is negative, infinite or NaN, or ``servers`` is not a whole
        number >= 0.

    Notes
    -----
    Poisson arrivals, general service (insensitive), no waiting room.

    .. math:: B(c, A) = \frac{A^c/c!}{\sum_{k=0}^{c} A^k/k!},\qquad
              B(0) = 1,\ B(k) = \frac{A B(k-1)}{k + A B(k-1)}.

    No factorials are formed: :math:`\log(1/B - 1) = \log Q(c, A) - \log p(c; A)`
    with the regularized upper incomplete gamma function :math:`Q` and the
    Poisson pmf :math:`p` in log space (``scipy.special.gammaincc``/``gammaln``);
    when :math:`A \gg c` the finite series
    :math:`1/B - 1 = \sum_{j=1}^{c} \prod_{i<j} (c - i)/A` is used.  Relative error
    is below 1e-9 for loads up to thousands of Erlangs and 10,000+ servers.

    References
    ----------
    .. [1] Gans, N., Koole, G., Mandelbaum, A. (2003). Telephone call centers:
       tutorial, review, and research prospects. *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071

    Examples
    --------
    >>> round(erlang_b(1.0, 1), 12)  # A/(1+A)
    0.5
    >>> round(erlang_b(2.0, 2), 12)  # (2^2/2) / (1 + 2 + 2)
    0.4
    """
    a, c, scalar, shape = _traffic_and_servers(traffic, servers)
    return _out(expit(-log_inv_b_minus_1(a, c)), scalar, shape)


def erlang_c(traffic: ArrayLike, servers: ArrayLike) -> FloatOrArray:
    r"""Probability of waiting in the M/M/c queue (Erlang C).

    Parameters
    ----------
    traffic : array_like
        Offered load A in Erlangs, >= 0.
    servers : array_like
        Number of agents c, a whole number >= 0.

    Returns
    -------
    float or numpy.ndarray
        C(c, A); 1.0 where the load is unstable (A >= c, A > 0), 0.0 at A = 0.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If ``traffic`` is negative or NaN or ``servers`` is not a whole number.

    Notes
    -----
    M/M/c assumptions: Poisson arrivals, exponential service, no abandonment,
    FCFS, infinite waiting room.

    .. math:: C(c, A) = \frac{\frac{A^c}{c!}\frac{c}{c-A}}
              {\sum_{k=0}^{c-1}\frac{A^k}{k!} + \frac{A^c}{c!}\frac{c}{c-A}}
              = \frac{c\,B(c, A)}{c - A(1 - B(c, A))}.

    The service level is :math:`SL(t) = 1 - C e^{-(c-A)t/S}` and
    :math:`ASA = C S/(c - A)` (see :func:`mmc`).  Computed in log space as
    :math:`C = 1/(1 + (1 - A/c)(1/B - 1))`.

    References
    ----------
    .. [1] Gans, N., Koole, G., Mandelbaum, A. (2003). *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071
    .. [2] Kleinrock, L. (1975). *Queueing Systems, Vol. 1: Theory*. Wiley.

    Examples
    --------
    >>> round(erlang_c(0.5, 1), 12)  # M/M/1: rho
    0.5
    >>> round(erlang_c(1.0, 2), 12)  # 2 * (1/5) / (2 - 1 * 4/5) = 1/3
    0.333333333333
    >>> erlang_c(3.0, 3)
    1.0
    """
    a, c, scalar, shape = _traffic_and_servers(traffic, servers)
    return _out(_erlang_c_arr(a, c), scalar, shape)


def _mmc_arrays(
    lam: F64,
    s: F64,
    c: F64,
    t: F64 | None,
    p: F64,
    k: F64,
) -> dict[str, F64]:
    """Birth-death M/M/c with balking p at/above c and capacity k (inf = none)."""
    lam, s, c, p, k = np.broadcast_arrays(lam, s, c, p, k)
    a = lam * s
    ce = np.minimum(c, k)
    m = k - ce
    zero = lam == 0
    with np.errstate(all="ignore"):
        r = np.where(ce > 0, p * a / ce, 0.0)
        stable = (c > 0) & (np.isfinite(k) | (r < 1.0)) | zero
        ok = stable & ~zero
        rr = np.where(ok, r, 0.5)
        finite = np.isfinite(m)
        log_total = -np.log1p(-rr)
        mean_j = rr / (1.0 - rr)
        p_last = np.zeros(rr.shape)
        if finite.any():
            g = trunc_geom(rr[finite], m[finite])
            log_total[finite], mean_j[finite], p_last[finite] = g
        p_hi = expit(log_total - log_inv_b_minus_1(np.where(ok, a, 1.0), ce))
        p_full = np.where(np.isfinite(k), p_hi * p_last, 0.0)
        join = (1.0 - p_hi) + p * (p_hi - p_full)  # admitted / offered
        pw = np.clip(p * (p_hi - p_full) / join, 0.0, 1.0)
        lq = p_hi * mean_j
        wq = lq / (lam * join)
        busy = lam * join * s
        occ = busy / c
    out = {
        "prob_wait": np.where(ok, pw, np.where(zero, 0.0, 1.0)),
        "mean_wait": np.where(ok, wq, np.where(zero, 0.0, np.inf)),
        "mean_queue_length": np.where(ok, lq, np.where(zero, 0.0, np.inf)),
        "mean_in_system": np.where(ok, lq + busy, np.where(zero, 0.0, np.inf)),
        "mean_response_time": np.where(ok, wq + s, np.where(zero, s, np.inf)),
        "occupancy": np.where(ok, occ, np.where(zero, 0.0, 1.0)),
        "stable": stable.astype(np.float64),
        "prob_blocked": np.where(ok, p_full, np.where(zero | np.isinf(k), 0.0, 1.0)),
    }
    if t is not None:
        t = np.broadcast_to(t, lam.shape)
        x = np.where(ok, ce * t / s, 0.0)
        tail = np.exp(-x * (1.0 - rr))
        if finite.any():
            tail[finite] = wait_tail_trunc(rr[finite], m[finite], x[finite])
        sl = np.clip(1.0 - pw * tail, 0.0, 1.0)
        out["service_level"] = np.where(ok, sl, np.where(zero, 1.0, 0.0))
    return out


def _erlang_c_arrays(lam: F64, s: F64, c: F64, t: F64 | None) -> dict[str, F64]:
    """:func:`_mmc_arrays` of the plain M/M/c queue (Erlang C): every arrival joins,
    and the waiting room is unlimited."""
    return _mmc_arrays(lam, s, c, t, np.ones(lam.shape), np.full(lam.shape, np.inf))


def _to_result(
    kind: type[_Result], d: dict[str, F64], scalar: bool, shape: tuple[int, ...]
) -> _Result:
    """The result record `kind` (:class:`QueueResult` or a subclass) from a model's
    arrays, one per field, named as the fields.

    Each field is a float for scalar input, else an array of ``shape``; ``stable``
    is a bool. A service level missing from ``d`` (no threshold given) is None.
    """
    values: dict[str, Any] = {}
    for field in fields(kind):
        if field.name == "stable":
            stable = d["stable"].astype(bool).reshape(shape)
            values["stable"] = bool(stable) if scalar else stable
        elif field.name.startswith("service_level") and field.name not in d:
            values[field.name] = None
        else:
            values[field.name] = _out(d[field.name], scalar, shape)
    return kind(**values)


def mmc(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    servers: ArrayLike,
    *,
    threshold: ArrayLike | None = None,
    join_probability: ArrayLike = 1.0,
    capacity: ArrayLike | None = None,
) -> QueueResult:
    r"""Steady state of the M/M/c queue, optionally with balking and capacity.

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    service_time : array_like
        Mean service (handling) time S (seconds), > 0.
    servers : array_like
        Number of agents c, a whole number >= 0 (1 gives M/M/1).
    threshold : array_like, optional
        Answer-time threshold t (seconds) for the service level, >= 0.
    join_probability : array_like, default 1.0
        Probability p in [0, 1] that an arrival who finds all agents busy joins
        the queue (balking with probability 1 - p).
    capacity : array_like, optional
        Maximum number in system K (M/M/c/K), a whole number >= 1; None or inf
        for an unlimited waiting room.

    Returns
    -------
    QueueResult
        ``prob_wait``, ``mean_wait`` (Wq), ``mean_queue_length`` (Lq),
        ``mean_in_system`` (L), ``mean_response_time`` (W), ``occupancy``,
        ``stable``, ``service_level`` (None without ``threshold``) and
        ``prob_blocked``.  Waiting measures refer to *admitted* arrivals.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If a rate is negative or NaN, ``service_time`` <= 0, ``servers`` or
        ``capacity`` is not a whole number, or ``join_probability`` is outside
        [0, 1].

    Notes
    -----
    Poisson arrivals, exponential service, FCFS, no abandonment.  States n have
    birth rate lambda for n < c and lambda p for c <= n < K, and death rate
    min(n, c)/S.  With :math:`A = \lambda S`, :math:`r = pA/c` and
    :math:`m = K - c`, the stationary law relative to state c is
    :math:`\sum_{n\le c}\pi_n/\pi_c = 1/B(c, A)` and
    :math:`\pi_{c+j}/\pi_c = r^j` (j <= m), so

    .. math:: P(N \ge c) = \frac{\sum_{j=0}^{m} r^j}
              {1/B(c, A) - 1 + \sum_{j=0}^{m} r^j},\qquad
              L_q = P(N\ge c)\,E[J],\qquad W_q = L_q/\lambda_{\rm adm}.

    Without balking or capacity this is Erlang C: :math:`P_w = C(c, A)`,
    :math:`W_q = C S/(c - A)` and :math:`SL(t) = 1 - C e^{-(c - A)t/S}`.  An
    admitted arrival that waits sees J ahead with weights :math:`r^j`, so its
    wait is a mixture of Erlang(j+1, c/S) laws, summed in closed form.

    Element-wise unstable states are returned, not raised: with infinite
    capacity and :math:`r \ge 1` (A >= c without balking, or zero servers) the
    result has ``prob_wait`` 1, infinite waits and queue lengths, service level
    0 and occupancy 1.  Zero arrivals give zero waits and service level 1.

    References
    ----------
    .. [1] Kleinrock, L. (1975). *Queueing Systems, Vol. 1: Theory*. Wiley.
    .. [2] Gans, N., Koole, G., Mandelbaum, A. (2003). *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071

    Examples
    --------
    M/M/1 with rho = 0.5: L = rho/(1 - rho) = 1, Wq = rho S/(1 - rho) = 1.

    >>> r = mmc(0.5, 1.0, 1, threshold=0.0)
    >>> round(r.mean_in_system, 12), round(r.mean_wait, 12), r.service_level
    (1.0, 1.0, 0.5)
    >>> mmc(2.0, 1.0, 1).stable
    False
    """
    scalar = is_scalar(arrival_rate, service_time, servers, threshold, capacity)
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(service_time, "service_time", strict=True)
    c = as_count_array(servers, "servers")
    p = as_probability(join_probability, "join_probability")
    if capacity is None:
        k = np.asarray(np.inf)
    else:
        k = as_count_array(capacity, "capacity", minimum=1, allow_inf=True)
    t = None if threshold is None else as_float_array(threshold, "threshold")
    scalar = scalar and np.ndim(join_probability) == 0
    shape = _broadcast_shape(lam, s, c, p, k, t)
    b = _flat(shape, lam, s, c, p, k)
    d = _mmc_arrays(b[0], b[1], b[2], _flat_or_none(shape, t), b[3], b[4])
    return _to_result(QueueResult, d, scalar, shape)


def service_level(
    arrival_rate: ArrayLike,
    aht_seconds: ArrayLike,
    agents: ArrayLike,
    target_seconds: ArrayLike,
) -> FloatOrArray:
    r"""Erlang C service level: fraction answered within ``target_seconds``.

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    aht_seconds : array_like
        Mean handling time S (seconds), > 0.
    agents : array_like
        Number of agents c, a whole number >= 0.
    target_seconds : array_like
        Answer-time threshold t (seconds), >= 0.

    Returns
    -------
    float or numpy.ndarray
        :math:`SL(t)`; 0 where unstable (A >= c, A > 0), 1 with no arrivals.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If an argument is outside its domain.

    Notes
    -----
    The fast path of :func:`mmc` (same M/M/c assumptions):

    .. math:: SL(t) = 1 - C(c, A)\, e^{-(c - A) t / S},\qquad A = \lambda S.

    References
    ----------
    .. [1] Gans, N., Koole, G., Mandelbaum, A. (2003). *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071

    Examples
    --------
    >>> round(service_level(0.5, 1.0, 1, 0.0), 12)  # 1 - rho
    0.5
    """
    scalar = is_scalar(arrival_rate, aht_seconds, agents, target_seconds)
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(aht_seconds, "aht_seconds", strict=True)
    c = as_count_array(agents, "agents")
    t = as_float_array(target_seconds, "target_seconds")
    shape = np.broadcast_shapes(lam.shape, s.shape, c.shape, t.shape)
    lam, s, c, t = _flat(shape, lam, s, c, t)
    a = lam * s
    pw = _erlang_c_arr(a, c)
    with np.errstate(invalid="ignore"):
        sl = np.where(a < c, 1.0 - pw * np.exp(-(c - a) * t / s), 0.0)
    return _out(np.where(a == 0, 1.0, sl), scalar, shape)
