"""Non-preemptive priority M/M/c queue (Cobham's formula)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from opsmart._validate import as_count_array, as_float_array
from opsmart.queueing._results import PriorityResult
from opsmart.queueing.erlang import _erlang_c_arr, _out

__all__ = ["priority_mmc"]


def priority_mmc(
    arrival_rates: ArrayLike, service_time: ArrayLike, servers: ArrayLike
) -> PriorityResult:
    r"""Mean waits per class in the non-preemptive priority M/M/c queue.

    Parameters
    ----------
    arrival_rates : array_like
        Arrival rates per class (contacts per second), >= 0, classes on the
        last axis; class 0 has the highest priority.
    service_time : array_like
        Common mean (exponential) service time S (seconds), > 0; broadcast
        against ``arrival_rates[..., 0]``.
    servers : array_like
        Number of agents c, a whole number >= 0; broadcast like ``service_time``.

    Returns
    -------
    PriorityResult
        ``mean_wait`` per class (shaped like the broadcast ``arrival_rates``),
        ``mean_wait_overall`` (rate-weighted), ``prob_wait`` (Erlang C of the
        total load), ``occupancy`` and ``stable`` per class.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If ``arrival_rates`` has no class axis, a rate is negative or NaN,
        ``service_time`` <= 0 or ``servers`` is not a whole number.

    Notes
    -----
    Poisson arrivals per class, the same exponential service time for all
    classes, non-preemptive head-of-line priority, FCFS within a class.  With
    :math:`\sigma_k = \sum_{i \le k} \lambda_i S / c` and the Erlang C
    probability :math:`C(c, A)` of the total load,

    .. math:: W_k = \frac{C(c, A)\, S / c}{(1 - \sigma_{k-1})(1 - \sigma_k)}.

    Class k is stable when :math:`\sigma_k < 1`; unstable classes get an
    infinite wait (higher classes may still be stable, with C = 1).  The
    overall mean is infinite if any class with positive rate is unstable.

    References
    ----------
    .. [1] Cobham, A. (1954). Priority assignment in waiting line problems.
       *Journal of the Operations Research Society of America* 2(1):70-76.
       https://doi.org/10.1287/opre.2.1.70
    .. [2] Kleinrock, L. (1976). *Queueing Systems, Vol. 2: Computer
       Applications*. Wiley, section 3.6.

    Examples
    --------
    One server, S = 1, two classes at 0.25 each: C = rho = 0.5,
    W_0 = 0.5 / 0.75 and W_1 = 0.5 / (0.75 * 0.5).

    >>> r = priority_mmc([0.25, 0.25], 1.0, 1)
    >>> r.mean_wait.round(12).tolist(), round(r.mean_wait_overall, 12)
    ([0.666666666667, 1.333333333333], 1.0)
    """
    lam = as_float_array(arrival_rates, "arrival_rates")
    if lam.ndim == 0:
        raise ValueError("`arrival_rates` must have a class axis, got a scalar")
    s = as_float_array(service_time, "service_time", strict=True)
    c = as_count_array(servers, "servers")
    scalar = lam.ndim == 1 and s.ndim == 0 and c.ndim == 0
    outer = np.broadcast_shapes(lam.shape[:-1], s.shape, c.shape)
    shape = (*outer, lam.shape[-1])
    lam = np.broadcast_to(lam, shape)
    s = np.broadcast_to(s, outer)[..., None]
    c = np.broadcast_to(c, outer)[..., None]
    total = lam.sum(axis=-1, keepdims=True)
    a = total * s
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.cumsum(lam, axis=-1) * s / c
        sigma = np.where(c > 0, sigma, np.where(lam > 0, np.inf, 0.0))
        sigma_prev = np.concatenate(
            [np.zeros_like(sigma[..., :1]), sigma[..., :-1]], -1
        )
        pw = _erlang_c_arr(a.ravel(), c.ravel()).reshape(a.shape)
        stable = (sigma < 1.0) & (c > 0) | (np.cumsum(lam, axis=-1) == 0)
        w = pw * s / c / ((1.0 - sigma_prev) * (1.0 - sigma))
        w = np.where(stable, np.where(pw == 0, 0.0, w), np.inf)
        contrib = np.where(lam > 0, lam * w, 0.0)
        overall = np.where(total > 0, contrib.sum(axis=-1, keepdims=True) / total, 0.0)
        occ = np.where(c > 0, np.minimum(a / c, 1.0), np.where(a > 0, 1.0, 0.0))
    return PriorityResult(
        mean_wait=np.asarray(w, dtype=np.float64).reshape(shape),
        mean_wait_overall=_out(overall[..., 0], scalar, outer),
        prob_wait=_out(pw[..., 0], scalar, outer),
        occupancy=_out(occ[..., 0], scalar, outer),
        stable=stable.reshape(shape),
    )
