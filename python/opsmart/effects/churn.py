"""The wait -> churn model: a monotone logistic regression and the price of waiting.

One row per customer x churn window (``int_customer_windows_aggregated``) is
regressed on the mean wait (minutes) of the customer's real-time contacts in the
window, their unresolved contacts and their segment -- the estimand of the demo
generator (``opsmart.synth.customers.churn_probability``).  The fit is Newton /
IRLS in NumPy with step halving; the wait coefficient is constrained to be >= 0,
so the fitted churn probability never falls as waits grow.  The prices derived
from it (a second of waiting, an unresolved contact) carry delta-method standard
errors, so every money figure built on them can be a range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from opsmart._frames import float_column, require_columns

__all__ = [
    "CHURN_INPUT_COLUMNS",
    "CHURN_OUTPUT_COLUMNS",
    "LogisticFit",
    "churn_wait_effects",
    "fit_logistic",
]

F64 = NDArray[np.float64]

CHURN_INPUT_COLUMNS = (
    "segment",
    "mean_wait_minutes",
    "contacts_unresolved",
    "contacts_offered",
    "realtime_contacts_offered",
    "customer_value_amount",
    "is_churned",
)
CHURN_OUTPUT_COLUMNS = (
    "term",
    "estimate",
    "std_error",
    "ci_lower",
    "ci_upper",
    "is_constrained",
    "customer_windows",
    "churned_customer_windows",
    "churn_per_wait_second_rate",
    "price_per_wait_second_amount",
    "price_per_wait_second_std_error",
    "price_per_wait_second_lower_amount",
    "price_per_wait_second_upper_amount",
    "price_per_unresolved_contact_amount",
    "price_per_unresolved_contact_std_error",
    "price_per_unresolved_contact_lower_amount",
    "price_per_unresolved_contact_upper_amount",
    "is_converged",
)

_EMPTY_DTYPES = {
    "term": "object",
    "is_constrained": "bool",
    "customer_windows": "int64",
    "churned_customer_windows": "int64",
    "is_converged": "bool",
}

#: Names of the non-segment terms of the churn model, in design-matrix order.
BASE_TERMS = ("intercept", "wait_minutes", "unresolved_contacts")


@dataclass(frozen=True)
class LogisticFit:
    """A fitted logistic regression.

    Attributes
    ----------
    names : tuple of str
        Term names, in column order of the design matrix.
    estimate : ndarray
        Coefficients (log-odds per unit of the term); NaN when no fit exists.
    std_error : ndarray
        Standard errors, the square roots of the diagonal of `covariance`.
    is_constrained : ndarray of bool
        True where a ``nonnegative`` coefficient was held at 0.
    converged : bool
        Whether Newton's method met the tolerance.
    iterations : int
        Newton steps taken (summed over refits).
    covariance : ndarray, shape (k, k)
        Inverse observed information at the estimate, over every term: for a
        coefficient held at its bound, the curvature of the log-likelihood at
        the bound (what the standard error would be were the estimate 0).
    is_nonnegative : ndarray of bool
        True for the terms constrained to be >= 0.
    """

    names: tuple[str, ...]
    estimate: F64
    std_error: F64
    is_constrained: NDArray[np.bool_]
    converged: bool
    iterations: int
    covariance: F64
    is_nonnegative: NDArray[np.bool_]

    def ci(self, z: float = 1.96) -> tuple[F64, F64]:
        """Wald interval ``estimate -/+ z * std_error``, cut at 0 for >= 0 terms.

        A coefficient held at 0 gets (0, z * std_error): the interval of an
        estimate on the bound, from the curvature there.
        """
        lo = self.estimate - z * self.std_error
        hi = self.estimate + z * self.std_error
        lo = np.where(self.is_nonnegative, np.fmax(lo, 0.0), lo)
        return lo, hi

    def coefficient(self, name: str) -> float:
        """The estimate of term `name`."""
        return float(self.estimate[self.names.index(name)])


#: Rows per block of the sums over rows (log-likelihood, score, information): a
#: year's design matrix is about 5 M rows x k, and a product over all of it at once
#: (``x * w[:, None]``) is another copy of it, beside dbt's DuckDB in the same process
#: (docs/performance.md). A block of 64 Ki rows keeps those temporaries at a few MB;
#: summing block by block changes the results in their last bits only.
_BLOCK_ROWS = 1 << 16


def _row_blocks(n: int) -> list[slice]:
    return [slice(start, start + _BLOCK_ROWS) for start in range(0, n, _BLOCK_ROWS)]


def _loglik(x: F64, cols: NDArray[np.intp], y: F64, beta: F64) -> float:
    """Log-likelihood at `beta` of the terms `cols` of `x`."""
    total = 0.0
    for rows in _row_blocks(len(y)):
        eta = x[rows, cols] @ beta
        total += float(np.sum(y[rows] * eta - np.logaddexp(0.0, eta)))
    return total


def _score_information(
    x: F64, cols: NDArray[np.intp], y: F64, beta: F64
) -> tuple[F64, F64]:
    """Score X'(y - p) and information X'WX, W = p (1 - p), of the terms `cols`."""
    k = len(cols)
    score = np.zeros(k)
    information = np.zeros((k, k))
    for rows in _row_blocks(len(y)):
        block = x[rows, cols]
        p = expit(block @ beta)
        score += block.T @ (y[rows] - p)
        information += block.T @ (block * (p * (1.0 - p))[:, None])
    return score, information


def _newton(
    x: F64, cols: NDArray[np.intp], y: F64, max_iter: int, tol: float
) -> tuple[F64, bool, int]:
    """Maximise the log-likelihood of the terms `cols`: (beta, converged, steps)."""
    k = len(cols)
    beta = np.zeros(k)
    ll = _loglik(x, cols, y, beta)
    converged = False
    steps = 0
    for steps in range(1, max_iter + 1):  # noqa: B007 - steps is returned
        grad, hess = _score_information(x, cols, y, beta)
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        t = 1.0
        while True:
            new = beta + t * step
            ll_new = _loglik(x, cols, y, new)
            if ll_new >= ll - 1e-12 * (abs(ll) + 1.0) or t < 1e-10:
                break
            t /= 2.0
        moved = float(np.max(np.abs(new - beta))) if k else 0.0
        beta, gain, ll = new, ll_new - ll, ll_new
        if moved < tol or abs(gain) < tol * (abs(ll) + 1.0) * 1e-3:
            converged = True
            break
    return beta, converged, steps


def fit_logistic(
    x: ArrayLike,
    y: ArrayLike,
    *,
    names: Sequence[str],
    nonnegative: Sequence[str] = (),
    max_iter: int = 100,
    tol: float = 1e-10,
) -> LogisticFit:
    r"""Maximum-likelihood logistic regression by Newton's method (IRLS).

    Parameters
    ----------
    x : array_like, shape (n, k)
        Design matrix (include a column of ones for an intercept).
    y : array_like, shape (n,)
        Outcomes, 0 or 1.
    names : sequence of str
        One name per column of `x`.
    nonnegative : sequence of str, optional
        Terms constrained to be >= 0.  A term whose free estimate is negative is
        held at 0 and the others refitted without it.
    max_iter : int, default 100
        Newton steps per fit.
    tol : float, default 1e-10
        Stop when no coefficient moves more than this.

    Returns
    -------
    LogisticFit
        Estimates, covariance and standard errors (inverse observed
        information at the estimate) and flags.  All NaN when the outcome is
        constant or there are no rows: the maximum-likelihood estimate does not
        exist then.

    Raises
    ------
    ValueError
        If the shapes disagree, `y` is not 0/1, or a name is unknown.

    Notes
    -----
    The log-likelihood is concave, so with one constrained coefficient the
    constrained maximum is the free one when that is feasible and otherwise lies
    on the bound, which is the refit without the term.  With several, terms are
    held at 0 one at a time (largest violation first) until all are feasible.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.column_stack([np.ones(6), [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]])
    >>> fit = fit_logistic(x, [0, 1, 0, 1, 1, 1], names=["intercept", "x"])
    >>> round(fit.coefficient("x"), 4)  # log-odds 0 at x = 0, log(3) at x = 1
    1.0986
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.ndim != 2 or ya.ndim != 1 or xa.shape[0] != ya.shape[0]:
        raise ValueError(f"`x` must be (n, k) and `y` (n,), got {xa.shape}, {ya.shape}")
    names_t = tuple(names)
    if len(names_t) != xa.shape[1]:
        raise ValueError(f"`names` has {len(names_t)} names for {xa.shape[1]} columns")
    if not np.all((ya == 0.0) | (ya == 1.0)):
        raise ValueError("`y` must be 0 or 1")
    unknown = [n for n in nonnegative if n not in names_t]
    if unknown:
        raise ValueError(f"`nonnegative` names unknown terms {unknown}")
    k = xa.shape[1]
    held = np.zeros(k, dtype=bool)
    bounded = [names_t.index(n) for n in nonnegative]
    is_nonnegative = np.isin(np.arange(k), bounded)
    if ya.size == 0 or ya.min() == ya.max():
        nan = np.full(k, np.nan)
        return LogisticFit(
            names_t, nan, nan, held, False, 0, np.full((k, k), np.nan), is_nonnegative
        )
    total = 0
    while True:
        free = np.flatnonzero(~held)
        beta, ok, steps = _newton(xa, free, ya, max_iter, tol)
        total += steps
        full = np.zeros(k)
        full[free] = beta
        bad = [j for j in bounded if not held[j] and full[j] < 0.0]
        if not bad:
            break
        held[min(bad, key=lambda j: full[j])] = True
    cov = _covariance(xa, ya, full)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    return LogisticFit(names_t, full, se, held, ok, total, cov, is_nonnegative)


def _covariance(x: F64, y: F64, beta: F64) -> F64:
    """Inverse observed information (X' W X)^-1, W = p (1 - p), at `beta`."""
    information = _score_information(x, np.arange(x.shape[1]), y, beta)[1]
    return np.asarray(np.linalg.pinv(information), dtype=np.float64)


def _design(frame: pd.DataFrame) -> tuple[F64, tuple[str, ...]]:
    segment = frame["segment"].astype("string").fillna("unknown")
    counts = segment.value_counts()
    levels = sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))
    names = (*BASE_TERMS, *(f"segment_{level}" for level in levels[1:]))
    # Filled column by column: stacking a list of columns would hold them twice.
    x = np.empty((len(frame), len(names)))
    x[:, 0] = 1.0
    x[:, 1] = float_column(frame, "mean_wait_minutes")
    x[:, 2] = float_column(frame, "contacts_unresolved")
    for j, level in enumerate(levels[1:], start=len(BASE_TERMS)):
        x[:, j] = (segment == level).to_numpy(dtype=np.float64)
    return x, names


@dataclass(frozen=True)
class _Price:
    """A price (currency) derived from the fit, with its delta-method standard error."""

    amount: float
    std_error: float


def _marginal_price(
    fit: LogisticFit, x: F64, term: str, weight: F64 | float, value: F64, total: float
) -> _Price:
    r"""b_t * sum_i w_i p_i (1 - p_i) V_i / total, and its standard error.

    The gradient in the coefficients includes the customer values: V_i is a
    monthly margin over the churn rate, which is the mean fitted probability
    (the intercept's score equation makes it the observed share), so
    V_i(b) = V_i * pbar(b_hat) / pbar(b).  Rows with an unknown value count
    nowhere (their weight is 0).
    """
    beta = fit.estimate
    t = fit.names.index(term)
    known = np.isfinite(value) & np.isfinite(weight)
    if not (total > 0 and known.any() and np.isfinite(beta).all()):
        return _Price(float("nan"), float("nan"))
    p = expit(x @ beta)
    slope = p * (1.0 - p)
    a = np.where(known, weight * value, 0.0) * slope
    lost = float(np.sum(a))
    pbar = float(np.mean(p))
    grad = beta[t] * (
        x.T @ (a * (1.0 - 2.0 * p)) - lost * (x.T @ slope) / (len(p) * pbar)
    )
    grad[t] += lost
    grad /= total
    var = float(grad @ fit.covariance @ grad)
    return _Price(beta[t] * lost / total, float(np.sqrt(max(var, 0.0))))


def churn_wait_effects(frame: pd.DataFrame, *, z: float = 1.96) -> pd.DataFrame:
    r"""Fit the wait -> churn model and price a second of waiting.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per customer x churn window at risk, with the columns of
        ``CHURN_INPUT_COLUMNS``: ``segment``, ``mean_wait_minutes`` (mean wait
        of the window's real-time offered contacts, 0 if none),
        ``contacts_unresolved``, ``contacts_offered`` (any channel),
        ``realtime_contacts_offered``, ``customer_value_amount`` (monthly
        margin x expected lifetime, may be null) and ``is_churned``.  Rows with
        a null wait, unresolved count or outcome are dropped.
    z : float, default 1.96
        Normal quantile of the confidence intervals (95 %).

    Returns
    -------
    pandas.DataFrame
        One row per term (``intercept``, ``wait_minutes``,
        ``unresolved_contacts``, ``segment_<level>`` for each segment but the
        most frequent, which is the baseline), with ``CHURN_OUTPUT_COLUMNS``:
        the estimate, standard error and Wald interval, whether the term was
        held at its bound, and model-level columns repeated on each row.  Empty
        (with those columns) when there are no rows to fit.

    Raises
    ------
    KeyError
        If an input column is missing.

    Notes
    -----
    P(churn in window) = logistic(b0 + b_w * wait_minutes + b_u * unresolved +
    segment offset) with ``b_w >= 0`` (monotone in waiting).  With p_i the fitted
    probability, V_i the customer value, n_i the window's real-time and m_i all
    offered contacts:

    * ``churn_per_wait_second_rate`` = mean_i b_w / 60 * p_i (1 - p_i): the
      average marginal effect of one more second of mean wait on P(churn);
    * ``price_per_wait_second_amount`` = sum_i b_w / 60 * p_i (1 - p_i) V_i /
      sum_i n_i: one more second of waiting on one real-time contact raises its
      customer's mean wait by 1/n_i seconds, so this is the expected customer
      value lost per contact-second of waiting, averaged over contacts;
    * ``price_per_unresolved_contact_amount`` = sum_i m_i b_u p_i (1 - p_i) V_i /
      sum_i m_i: the value lost by one more unresolved contact (an abandon, for
      instance), averaged over offered contacts (a derivative, not a finite
      difference).

    Each price P(b) has the delta-method standard error sqrt(g' C g), g = dP/db
    the gradient in all the coefficients and C their covariance (inverse
    observed information; Agresti 2013, section 16.1).  The customer values
    move with b too: V_i = monthly margin / churn rate, and the churn rate is
    the mean fitted probability pbar(b), so V_i(b) = V_i pbar(b_hat) / pbar(b).
    The interval is P -/+ z se, cut at 0 for the price of waiting (``b_w >= 0``);
    when ``b_w`` is held at 0 the price is 0 and the interval (0, z se) comes
    from the curvature at the bound.  Prices are NaN when the fit or every
    customer value is missing.

    References
    ----------
    .. [1] Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., Wiley,
       section 16.1 (the delta method).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = [dict(segment="a", mean_wait_minutes=w, contacts_unresolved=0,
    ...              contacts_offered=1, realtime_contacts_offered=1,
    ...              customer_value_amount=100.0, is_churned=c)
    ...         for w, c in [(0, 0), (0, 0), (0, 1), (2, 1), (2, 0), (2, 1)]]
    >>> out = churn_wait_effects(pd.DataFrame(rows)).set_index("term")
    >>> # churn odds 1:2 at 0 minutes, 2:1 at 2 minutes: log(4) / 2 per minute
    >>> round(float(out.loc["wait_minutes", "estimate"]), 4)
    0.6931
    """
    require_columns(frame, CHURN_INPUT_COLUMNS)
    complete = (
        frame["mean_wait_minutes"].notna()
        & frame["contacts_unresolved"].notna()
        & frame["is_churned"].notna()
    )
    # No copy of a year's frame when every row is complete (the usual case).
    data = frame if bool(complete.all()) else frame.loc[complete]
    if data.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=_EMPTY_DTYPES.get(c, "float64"))
                for c in CHURN_OUTPUT_COLUMNS
            }
        )
    x, names = _design(data)
    y = data["is_churned"].astype(bool).to_numpy(dtype=np.float64)
    fit = fit_logistic(x, y, names=names, nonnegative=("wait_minutes",))
    lo, hi = fit.ci(z)
    # One row-length vector at a time where a sum is all that is kept: a year has
    # about 5 M rows, and each vector is 40 MB beside dbt's DuckDB.
    p = expit(x @ fit.estimate)
    churn_per_wait_second = float(
        np.mean(fit.coefficient("wait_minutes") / 60.0 * p * (1.0 - p))
    )
    del p
    value = float_column(data, "customer_value_amount")
    known = np.isfinite(value)
    n_rt = np.nan_to_num(float_column(data, "realtime_contacts_offered"))
    realtime_offered_valued = float(np.sum(n_rt[known]))
    del n_rt
    m_all = np.nan_to_num(float_column(data, "contacts_offered"))
    wait = _marginal_price(
        fit, x, "wait_minutes", 1.0 / 60.0, value, realtime_offered_valued
    )
    unresolved = _marginal_price(
        fit, x, "unresolved_contacts", m_all, value, float(np.sum(m_all[known]))
    )
    return pd.DataFrame(
        {
            "term": list(names),
            "estimate": fit.estimate,
            "std_error": fit.std_error,
            "ci_lower": lo,
            "ci_upper": hi,
            "is_constrained": fit.is_constrained,
            "customer_windows": len(data),
            "churned_customer_windows": int(y.sum()),
            "churn_per_wait_second_rate": churn_per_wait_second,
            "price_per_wait_second_amount": wait.amount,
            "price_per_wait_second_std_error": wait.std_error,
            "price_per_wait_second_lower_amount": np.maximum(
                wait.amount - z * wait.std_error, 0.0
            ),
            "price_per_wait_second_upper_amount": wait.amount + z * wait.std_error,
            "price_per_unresolved_contact_amount": unresolved.amount,
            "price_per_unresolved_contact_std_error": unresolved.std_error,
            "price_per_unresolved_contact_lower_amount": unresolved.amount
            - z * unresolved.std_error,
            "price_per_unresolved_contact_upper_amount": unresolved.amount
            + z * unresolved.std_error,
            "is_converged": fit.converged,
        }
    )
