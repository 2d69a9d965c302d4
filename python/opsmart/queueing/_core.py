"""Private numerical kernels (log-space Erlang sums, truncated geometric tails).

All functions take broadcast float arrays and return float arrays; they never
validate.  Series loops run over the term index and act on whole arrays of the
rows that have not converged yet.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, gammainc, gammaincc, gammaln, xlogy

__all__ = [
    "expit",
    "log_gamma_pmf",
    "log_inv_b_minus_1",
    "log_tail_ratio",
    "served_wait_series",
    "trunc_geom",
    "wait_tail_trunc",
]

F64 = NDArray[np.float64]
_EPS = 1e-17


def log_gamma_pmf(a: F64, x: F64) -> F64:
    """log(x**a e**-x / Gamma(a+1)), the Poisson pmf extended to real ``a``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: F64 = xlogy(a, x) - x - gammaln(a + 1.0)
    return out


def _series(
    init: Callable[[NDArray[np.intp]], F64],
    step: Callable[[NDArray[np.intp], int], F64],
    limit: Callable[[NDArray[np.intp]], F64],
    size: int,
) -> F64:
    """Sum ``1 + sum_j prod_{i<=j} step(i)`` for the rows in ``init`` domain.

    ``step(rows, j)`` returns the ratio term_j / term_{j-1} (decreasing below 1);
    rows stop when the term is negligible or ``j`` reaches ``limit(rows)``.
    """
    total = np.zeros(size)
    rows = np.arange(size)
    term = init(rows)
    acc = term.copy()
    lim = limit(rows)
    j = 1
    while rows.size:
        ratio = step(rows, j)
        term = term * ratio
        live = (j <= lim) & (term > 0)
        acc = acc + np.where(live, term, 0.0)
        done = ~live | ((ratio < 1.0) & (term <= _EPS * acc * (1.0 - ratio)))
        if done.any():
            total[rows[done]] = acc[done]
            keep = ~done
            rows, term, acc, lim = rows[keep], term[keep], acc[keep], lim[keep]
        j += 1
    return total


def _log_over_gamma_pmf(
    regularized: Callable[[F64, F64], F64], a: F64, x: F64
) -> tuple[F64, NDArray[np.bool_]]:
    """``log(regularized(a, x) / p(a; x))`` and where ``regularized`` underflows.

    ``regularized`` is ``gammainc`` or ``gammaincc``; rows flagged True need
    the series instead (the log would be ``-inf``).
    """
    q = regularized(a, x)
    with np.errstate(divide="ignore"):
        log_ratio: F64 = np.log(q) - log_gamma_pmf(a, x)
    return log_ratio, q < 1e-280


def _fill_log_ratio(
    out: F64,
    pos: NDArray[np.bool_],
    far: NDArray[np.bool_],
    regularized: Callable[[F64, F64], F64],
    series: Callable[[F64, F64], F64],
    a: F64,
    x: F64,
) -> None:
    """Set ``out`` on the ``pos`` rows to the log of a gamma ratio.

    ``log(regularized(a, x) / p(a; x))`` (:func:`_log_over_gamma_pmf`) where that
    is accurate; on the ``far`` rows, and on those where ``regularized`` underflows,
    ``log(series(a, x))``, the same ratio summed term by term (``far`` gains the
    underflowing rows).
    """
    near = pos & ~far
    if near.any():
        out[near], far[near] = _log_over_gamma_pmf(regularized, a[near], x[near])
    if far.any():
        out[far] = np.log(series(a[far], x[far]))


def _inv_b_minus_1_series(c: F64, a: F64) -> F64:
    r""":math:`1/B(c, A) - 1 = \sum_{j=1}^{c} \prod_{i<j} (c-i)/A` (finite)."""
    return _series(
        lambda r: c[r] / a[r],
        lambda r, j: (c[r] - j) / a[r],
        lambda r: c[r],
        int(a.size),
    )


def _tail_ratio_series(a: F64, x: F64) -> F64:
    r""":math:`T(a, x) = \sum_{j\ge0} x^j/((a+1)\cdots(a+j))`."""
    return _series(
        lambda r: np.ones(r.size),
        lambda r, j: x[r] / (a[r] + j),
        lambda r: np.full(r.size, np.inf),
        int(a.size),
    )


def log_inv_b_minus_1(traffic: F64, servers: F64) -> F64:
    r"""Return :math:`\log(1/B(c, A) - 1)` for Erlang B.

    :math:`1/B - 1 = \sum_{k<c} A^k/k! \,/\, (A^c/c!)`.  For :math:`A` not far above
    :math:`c` this is :math:`\log Q(c, A) - \log p(c; A)` (regularized upper
    incomplete gamma over the Poisson pmf); far above (where :math:`Q` underflows)
    the finite series :math:`\sum_{j=1}^{c} \prod_{i<j} (c-i)/A` is summed.
    """
    a, c = np.broadcast_arrays(np.asarray(traffic, float), np.asarray(servers, float))
    out = np.full(a.shape, np.inf)
    out[c == 0] = -np.inf
    pos = (c > 0) & (a > 0)
    far = pos & (a > c + 30.0 * np.sqrt(c) + 30.0)
    _fill_log_ratio(out, pos, far, gammaincc, _inv_b_minus_1_series, c, a)
    return out


def log_tail_ratio(a: F64, x: F64) -> F64:
    r"""Return :math:`\log T(a, x)`, :math:`T = \sum_{j\ge0} x^j/((a+1)\cdots(a+j))`.

    :math:`T = P(a, x)/p(a; x)` with :math:`P` the regularized lower incomplete
    gamma function and :math:`p(a; x) = x^a e^{-x}/\Gamma(a+1)`.  Where
    :math:`P` would underflow (:math:`x \ll a`) the series is summed instead.
    """
    a, x = np.broadcast_arrays(np.asarray(a, float), np.asarray(x, float))
    out = np.zeros(a.shape)
    zero_a = (a == 0) & (x > 0)
    out[zero_a] = x[zero_a]
    pos = (a > 0) & (x > 0)
    far = pos & (x < a - 30.0 * np.sqrt(a) - 30.0)
    _fill_log_ratio(out, pos, far, gammainc, _tail_ratio_series, a, x)
    return out


def trunc_geom(r: F64, m: F64) -> tuple[F64, F64, F64]:
    """Truncated geometric law on {0..m} with weights r**j (m may be inf).

    Returns ``(log_total, mean, p_last)``: the log of sum r**j, the mean of j and
    the probability of j = m.  For m = inf the caller guarantees r < 1.
    """
    r, m = np.broadcast_arrays(np.asarray(r, float), np.asarray(m, float))
    with np.errstate(all="ignore"):
        inf_m = np.isinf(m)
        mm = np.where(inf_m, 0.0, m)
        d = np.log(r)
        # r < 1 closed forms (also used with s = 1/r for r > 1)
        s = np.where(r > 1.0, 1.0 / r, r)
        ds = np.log(s)
        em = -np.expm1((mm + 1.0) * ds)  # 1 - s^(m+1)
        lt_s = np.log(em) - np.log1p(-s)
        mean_s = s / (1.0 - s) - (mm + 1.0) / np.expm1(-(mm + 1.0) * ds)
        mean_s = np.where(s == 0.0, 0.0, mean_s)
        last_s = np.exp(mm * ds) * (1.0 - s) / em
        first_s = (1.0 - s) / em
        big = r > 1.0
        log_total = np.where(big, mm * d + lt_s, lt_s)
        mean = np.where(big, mm - mean_s, mean_s)
        p_last = np.where(big, first_s, np.where(mm == 0.0, 1.0, last_s))
        # near r = 1: expansion in delta = log r
        near = (np.abs((mm + 1.0) * d) < 1e-5) & ~inf_m
        log_total = np.where(near, np.log(mm + 1.0) + mm * d / 2.0, log_total)
        mean = np.where(near, mm / 2.0 + d * mm * (mm + 2.0) / 12.0, mean)
        p_last = np.where(near, (1.0 + mm * d / 2.0) / (mm + 1.0), p_last)
        # infinite tail
        log_total = np.where(inf_m, -np.log1p(-np.minimum(r, 1.0)), log_total)
        mean = np.where(inf_m, r / (1.0 - r), mean)
        p_last = np.where(inf_m, 0.0, p_last)
    return log_total, mean, p_last


def _q(k: F64, y: F64) -> F64:
    """P(Poisson(y) <= k - 1) = Q(k, y), zero for k <= 0."""
    out: F64 = np.where(k > 0, gammaincc(np.maximum(k, 1.0), y), 0.0)
    return out


def wait_tail_trunc(r: F64, m: F64, x: F64) -> F64:
    r"""P(wait > t | wait) when the number ahead J is truncated geometric on 0..m-1.

    With ``x = c t / S`` the wait given J = j is Erlang(j+1), so
    :math:`P = \sum_{i<m} \mathrm{pois}(i; x) P(J \ge i)` with
    :math:`P(J\ge i) = (r^i - r^m)/(1 - r^m)`; closed forms through
    :math:`Q(m, \cdot)`, and a first-order expansion near r = 1.
    """
    r, m, x = np.broadcast_arrays(*(np.asarray(v, float) for v in (r, m, x)))
    with np.errstate(all="ignore"):
        d = np.log(r)
        qmx = _q(m, x)
        qmr = _q(m, x * r)
        small = r < 1.0
        lo = (np.exp(-x * (1.0 - r)) * qmr - np.exp(m * d) * qmx) / (-np.expm1(m * d))
        lo = np.where(r == 0.0, np.exp(-x), lo)
        hi = (np.exp(x * (r - 1.0) - m * d + np.log(qmr)) - qmx) / np.expm1(-m * d)
        out = np.where(small, lo, hi)
        near = np.abs(m * d) < 1e-4
        q1 = _q(m - 1.0, x)
        q2 = _q(m - 2.0, x)
        uni = (m * qmx - x * q1) / m + d / (2.0 * m) * (
            m * x * q1 - x * x * q2 - x * q1
        )
        out = np.where(near, uni, out)
    res: F64 = np.clip(np.where(m > 0, out, 0.0), 0.0, 1.0)
    return res


def served_wait_series(a: F64, x: F64, log_tw: F64) -> F64:
    r"""Return :math:`\sum_j \nu_j G_j/(a+j+1)` for the Erlang A served wait.

    :math:`\nu_j = w_j/T` is the law of the number ahead of a waiting arrival and
    :math:`G_j = \sum_{i=1}^{j+1} 1/(a+i)`; then
    :math:`E[W; \text{served}] = P_w \, a \, \tau \sum_j \nu_j G_j/(a+j+1)`.
    Positive terms, summed in log space past the mode of :math:`\nu`.
    """
    size = int(a.size)
    total = np.zeros(size)
    rows = np.arange(size)
    lx = np.log(x)
    aa, xx, lnu = a.copy(), x.copy(), -log_tw.copy()
    g = 1.0 / (aa + 1.0)
    acc = np.zeros(size)
    j = 0
    while rows.size:
        term = np.exp(lnu) * g / (aa + j + 1.0)
        acc = acc + term
        ratio = xx / (aa + j + 2.0)
        done = (ratio < 1.0) & (term * ratio <= _EPS * acc * (1.0 - ratio) ** 2)
        if done.any():
            total[rows[done]] = acc[done]
            keep = ~done
            rows, aa, xx, lnu, g, acc, lx = (
                rows[keep],
                aa[keep],
                xx[keep],
                lnu[keep],
                g[keep],
                acc[keep],
                lx[keep],
            )
        j += 1
        lnu = lnu + lx - np.log(aa + j)
        g = g + 1.0 / (aa + j + 1.0)
    return total
