"""The M/G/1 queue (Pollaczek-Khinchine mean value formula)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from opsmart._validate import as_float_array, is_scalar
from opsmart.queueing._results import QueueResult
from opsmart.queueing.erlang import _broadcast_shape, _flat, _to_result

__all__ = ["mg1"]


def mg1(
    arrival_rate: ArrayLike, service_time: ArrayLike, service_scv: ArrayLike
) -> QueueResult:
    r"""Mean-value measures of the M/G/1 queue.

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate lambda (contacts per second), >= 0.
    service_time : array_like
        Mean service time S (seconds), > 0.
    service_scv : array_like
        Squared coefficient of variation of service time, Var(S)/E[S]^2, >= 0
        (0 = deterministic M/D/1, 1 = exponential M/M/1).

    Returns
    -------
    QueueResult
        ``prob_wait`` (= rho), ``mean_wait``, ``mean_queue_length``,
        ``mean_in_system``, ``mean_response_time``, ``occupancy``, ``stable``;
        ``service_level`` is None (the wait distribution is not determined by
        two moments) and ``prob_blocked`` is 0.

    Raises
    ------
    TypeError
        If an argument is a bool.
    ValueError
        If a rate or ``service_scv`` is negative or NaN, or ``service_time`` <= 0.

    Notes
    -----
    Poisson arrivals, i.i.d. general service, one server, FCFS.  With
    :math:`\rho = \lambda S < 1`,

    .. math:: W_q = \frac{\rho\, S\, (1 + c_s^2)}{2 (1 - \rho)},\qquad
              L_q = \lambda W_q,\qquad L = L_q + \rho.

    Unstable load (rho >= 1) is returned as ``prob_wait`` 1, infinite waits and
    occupancy 1.

    References
    ----------
    .. [1] Kleinrock, L. (1975). *Queueing Systems, Vol. 1: Theory*. Wiley,
       section 5.7.
    .. [2] Pollaczek, F. (1930). Über eine Aufgabe der Wahrscheinlichkeitstheorie.
       *Mathematische Zeitschrift* 32:64-100. https://doi.org/10.1007/BF01194620

    Examples
    --------
    M/D/1 at rho = 0.5 waits half as long as M/M/1 (Wq = 0.5 vs 1):

    >>> mg1(0.5, 1.0, 0.0).mean_wait, mg1(0.5, 1.0, 1.0).mean_wait
    (0.5, 1.0)
    """
    scalar = is_scalar(arrival_rate, service_time, service_scv)
    lam = as_float_array(arrival_rate, "arrival_rate")
    s = as_float_array(service_time, "service_time", strict=True)
    scv = as_float_array(service_scv, "service_scv")
    shape = _broadcast_shape(lam, s, scv)
    lam, s, scv = _flat(shape, lam, s, scv)
    rho = lam * s
    stable = rho < 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        wq = np.where(stable, rho * s * (1.0 + scv) / (2.0 * (1.0 - rho)), np.inf)
    lq = np.where(stable, lam * wq, np.inf)
    d = {
        "prob_wait": np.minimum(rho, 1.0),
        "mean_wait": wq,
        "mean_queue_length": lq,
        "mean_in_system": lq + np.minimum(rho, 1.0),
        "mean_response_time": wq + s,
        "occupancy": np.minimum(rho, 1.0),
        "stable": stable.astype(np.float64),
        "prob_blocked": np.zeros_like(rho),
    }
    return _to_result(QueueResult, d, scalar, shape)
