"""The Erlang A (M/M/c+M, Palm) queue with exponential patience."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from opsmart._validate import as_count_array, as_float_array, is_scalar
from opsmart.queueing._core import (
    expit,
    log_gamma_pmf,
    log_inv_b_minus_1,
    log_tail_ratio,
    served_wait_series,
)
from opsmart.queueing._results import ErlangAResult
from opsmart.queueing.erlang import (
    _broadcast_shape,
    _erlang_c_arrays,
    _flat,
    _flat_or_none,
    _out,
    _to_result,
)

__all__ = ["erlang_a", "estimate_patience"]

F64 = NDArray[np.float64]


def _erlang_a_arrays(
    lam: F64,
    s: F64,
    n: F64,
    patience: F64,
    t: F64 | None,
    *,
    answered_wait: bool = True,
) -> dict[str, F64]:
    """Erlang A measures on broadcast arrays; patience = inf gives Erlang C."""
    lam, s, n, patience = np.broadcast_arrays(lam, s, n, patience)
    shape = lam.shape
    fin = np.isfinite(patience) & (lam > 0)
    # Erlang C rows (infinite patience) and zero-arrival rows
    c = _erlang_c_arrays(lam, s, n, t)
    res = {
        "prob_wait": c["prob_wait"],
        "mean_wait": c["mean_wait"],
        "mean_queue_length": c["mean_queue_length"],
        "mean_in_system": c["mean_in_system"],
        "mean_response_time": c["mean_response_time"],
        "occupancy": c["occupancy"],
        "stable": c["stable"],
        "prob_blocked": np.zeros(shape),
        "prob_abandon": np.zeros(shape),
        "throughput": np.where(c["stable"] > 0, lam, n / s),
        "mean_wait_answered": c["mean_wait"].copy(),
    }
    if t is not None:
        for key in ("service_level", "service_level_answered", "service_level_virtual"):
            res[key] = c["service_level"].copy()
    if not fin.any():
        return res
    # finite patience: tail ratio T(a, x), a = n tau/S, x = lam tau
    lf, sf, nf, tau = lam[fin], s[fin], n[fin], patience[fin]
    a, x = nf * tau / sf, lf * tau
    log_t = log_tail_ratio(a, x)
    pw = expit(log_t - log_inv_b_minus_1(lf * sf, nf))
    kappa = a / x * -np.expm1(-log_t)  # P(served | wait)
    p_ab = np.clip(pw * (1.0 - kappa), 0.0, 1.0)
    served = 1.0 - p_ab
    wq = p_ab * tau
    thr = lf * served
    res["prob_wait"][fin] = pw
    res["prob_abandon"][fin] = p_ab
    res["mean_wait"][fin] = wq
    res["mean_queue_length"][fin] = lf * wq
    res["mean_in_system"][fin] = lf * wq + thr * sf
    res["mean_response_time"][fin] = wq + served * sf
    with np.errstate(invalid="ignore", divide="ignore"):
        res["occupancy"][fin] = np.where(nf > 0, thr * sf / nf, 1.0)
    res["stable"][fin] = 1.0
    res["throughput"][fin] = thr
    if answered_wait:
        ws = np.zeros(a.shape)
        go = (pw > 0) & (a > 0)
        if go.any():
            ws[go] = served_wait_series(a[go], x[go], log_t[go])
        with np.errstate(invalid="ignore", divide="ignore"):
            res["mean_wait_answered"][fin] = pw * a * tau * ws / served
    else:
        res["mean_wait_answered"][fin] = np.nan
    if t is not None:
        tf = np.broadcast_to(t, shape)[fin]
        y = x * np.exp(-tf / tau)
        base = log_gamma_pmf(a, x) + log_t
        with np.errstate(divide="ignore", invalid="ignore"):
            r_virtual = np.exp(log_tail_ratio(a, y) + log_gamma_pmf(a, y) - base)
            r_served = np.exp(
                log_tail_ratio(a + 1.0, y) + log_gamma_pmf(a + 1.0, y) - base
            )
            within = (1.0 - pw) + pw * (kappa - a / x * r_served)
            res["service_level"][fin] = np.clip(within, 0.0, 1.0)
            res["service_level_answered"][fin] = np.clip(within / served, 0.0, 1.0)
        res["service_level_virtual"][fin] = np.clip(1.0 - pw * r_virtual, 0.0, 1.0)
    return res


def erlang_a(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    servers: ArrayLike,
    patience: ArrayLike,
    *,
    threshold: ArrayLike | None = None,
) -> ErlangAResult:
    r"""Steady state of the Erlang A queue M/M/c+M (Palm's model).

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    service_time : array_like
        Mean handling time S (seconds), > 0.
    servers : array_like
        Number of agents n, a whole number >= 0.
    patience : array_like
        Mean exponential patience tau = 1/theta (seconds), > 0; ``inf`` gives
        Erlang C (no abandonment).
    threshold : array_like, optional
        Answer-time threshold t (seconds) for the service levels, >= 0.

    Returns
    -------
    ErlangAResult
        The :class:`QueueResult` fields plus ``prob_abandon``, ``throughput``,
        ``mean_wait_answered`` (ASA), ``service_level_answered`` and
        ``service_level_virtual``.  ``mean_wait``, ``mean_response_time`` and
        ``service_level`` (answered within t / offered) are over all arrivals.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If a rate is negative or NaN, ``service_time`` or ``patience`` <= 0, or
        ``servers`` is not a whole number.

    Notes
    -----
    Poisson arrivals, exponential service and exponential patience, FCFS; a
    waiting contact abandons at rate :math:`\theta = 1/\tau`.  The model is
    always stable for finite patience.  With :math:`a = n/(\theta S)`,
    :math:`x = \lambda/\theta` and the regularized lower incomplete gamma
    function :math:`P`, the tail of the birth-death chain relative to state n is

    .. math:: T = \sum_{j\ge0}\frac{x^j}{\prod_{i=1}^{j}(a+i)}
              = \frac{\Gamma(a+1)e^{x}}{x^{a}}P(a, x),\qquad
              P_w = \frac{T}{1/B(n, A) - 1 + T},

    :math:`P(\text{Ab}) = P_w\,[1 - (a/x)(1 - 1/T)]`,
    :math:`E[W] = \tau P(\text{Ab})` (all arrivals), and for the virtual wait V
    :math:`P(V > t) = P_w P(a, x e^{-\theta t})/P(a, x)`, so
    :math:`P(\text{served}, W \le t) = 1 - P_w + P_w (a/x)
    [P(a+1, x) - P(a+1, x e^{-\theta t})]/P(a, x)`.  The ASA of served contacts
    is :math:`E[V e^{-\theta V}]/P(\text{served})`, a positive series over the
    number ahead.  Everything is evaluated in log space with
    ``scipy.special.gammainc``/``gammaln`` (series where the gamma function
    underflows), so large n is safe.  As patience grows the result tends to
    Erlang C when A < n; absolute precision of ``prob_abandon`` degrades like
    1e-16 x a for extreme patience.  With zero agents every arrival abandons
    and the answered-only measures are NaN.

    References
    ----------
    .. [1] Garnett, O., Mandelbaum, A., Reiman, M. (2002). Designing a call
       center with impatient customers. *M&SOM* 4(3):208-227.
       https://doi.org/10.1287/msom.4.3.208.7753
    .. [2] Mandelbaum, A., Zeltyn, S. (2007). Service engineering in action: the
       Palm/Erlang-A queue. *Annals of Operations Research* 155:33-57 (technical
       summary: "The M/M/n+G queue: summary of performance measures").
       https://doi.org/10.1007/s10479-007-0209-3

    Examples
    --------
    One agent, S = 1, patience = 1, lambda = 1: pi_(1+j)/pi_1 = 1/(j+1)!, so
    T = e - 1, P_w = (e - 1)/e and P(Ab) = 1/e.

    >>> r = erlang_a(1.0, 1.0, 1, 1.0)
    >>> round(r.prob_wait, 12), round(r.prob_abandon, 12)
    (0.632120558829, 0.367879441171)
    >>> r.stable
    True
    """
    scalar = is_scalar(arrival_rate, service_time, servers, patience, threshold)
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(service_time, "service_time", strict=True)
    n = as_count_array(servers, "servers")
    tau = as_float_array(patience, "patience", strict=True, allow_inf=True)
    t = None if threshold is None else as_float_array(threshold, "threshold")
    shape = _broadcast_shape(lam, s, n, tau, t)
    b = _flat(shape, lam, s, n, tau)
    d = _erlang_a_arrays(b[0], b[1], b[2], b[3], _flat_or_none(shape, t))
    return _to_result(ErlangAResult, d, scalar, shape)


def estimate_patience(
    abandoned_count: ArrayLike, total_wait_time: ArrayLike
) -> float | F64:
    r"""Maximum-likelihood mean patience from censored waits.

    Parameters
    ----------
    abandoned_count : array_like
        Number of queued contacts that abandoned, >= 0.
    total_wait_time : array_like
        Total time waited in queue by *all* queued contacts, answered and
        abandoned (seconds), >= 0.

    Returns
    -------
    float or numpy.ndarray
        Estimated mean patience (seconds): ``inf`` where nothing abandoned
        (patience longer than every observed wait), NaN where nothing waited.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If an argument is negative, infinite or NaN.

    Notes
    -----
    With exponential patience, each waiting contact contributes its wait to the
    exposure and each abandonment an event; served contacts are right-censored.
    The likelihood :math:`\theta^{d} e^{-\theta \sum w_i}` gives

    .. math:: \hat\tau = 1/\hat\theta = \frac{\sum_i w_i}{d}.

    References
    ----------
    .. [1] Brown, L., Gans, N., Mandelbaum, A., et al. (2005). Statistical
       analysis of a telephone call center. *JASA* 100(469):36-50.
       https://doi.org/10.1198/016214504000001808

    Examples
    --------
    >>> estimate_patience(4, 1000.0)
    250.0
    >>> estimate_patience(0, 1000.0)
    inf
    """
    scalar = is_scalar(abandoned_count, total_wait_time)
    d = as_float_array(abandoned_count, "abandoned_count")
    w = as_float_array(total_wait_time, "total_wait_time")
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.where(w == 0, np.nan, np.where(d == 0, np.inf, w / d))
    return _out(est, scalar)
