"""The wait -> churn model: a monotone logistic regression and the price of waiting.

One row per customer x churn window (``int_customer_windows_aggregated``) is
regressed on the mean wait (minutes) of the customer's real-time contacts in the
window, their unresolved contacts and their segment -- the estimand of the demo
generator (``opsmart.synth.customers.churn_probability``).  The fit is Newton /
IRLS in NumPy with step halving; the wait coefficient is constrained to be >= 0,
so the fitted churn probability never falls as waits grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

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
    "price_per_unresolved_contact_amount",
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
        Standard errors from the inverse observed information; NaN for a
        coefficient held at its bound 0.
    is_constrained : ndarray of bool
        True where a ``nonnegative`` coefficient was held at 0.
    converged : bool
        Whether Newton's method met the tolerance.
    iterations : int
        Newton steps taken (summed over refits).
    """

    names: tuple[str, ...]
    estimate: F64
    std_error: F64
    is_constrained: NDArray[np.bool_]
    converged: bool
    iterations: int

    def ci(self, z: float = 1.96) -> tuple[F64, F64]:
        """Wald interval ``estimate -/+ z * std_error``.

        A coefficient held at 0 gets the interval (0, NaN): its lower end is the
        bound, its upper end is not estimated.
        """
        lo = self.estimate - z * self.std_error
        hi = self.estimate + z * self.std_error
        lo = np.where(self.is_constrained, 0.0, lo)
        return lo, hi

    def coefficient(self, name: str) -> float:
        """The estimate of term `name`."""
        return float(self.estimate[self.names.index(name)])


def _loglik(x: F64, y: F64, beta: F64) -> float:
    eta = x @ beta
    return float(np.sum(y * eta - np.logaddexp(0.0, eta)))


def _newton(x: F64, y: F64, max_iter: int, tol: float) -> tuple[F64, F64, bool, int]:
    """Maximise the log-likelihood; return (beta, covariance, converged, steps)."""
    k = x.shape[1]
    beta = np.zeros(k)
    ll = _loglik(x, y, beta)
    converged = False
    steps = 0
    for steps in range(1, max_iter + 1):  # noqa: B007 - steps is returned
        p = expit(x @ beta)
        grad = x.T @ (y - p)
        hess = x.T @ (x * (p * (1.0 - p))[:, None])
        step = np.linalg.lstsq(hess, grad, rcond=None)[0]
        t = 1.0
        while True:
            new = beta + t * step
            ll_new = _loglik(x, y, new)
            if ll_new >= ll - 1e-12 * (abs(ll) + 1.0) or t < 1e-10:
                break
            t /= 2.0
        moved = float(np.max(np.abs(new - beta))) if k else 0.0
        beta, gain, ll = new, ll_new - ll, ll_new
        if moved < tol or abs(gain) < tol * (abs(ll) + 1.0) * 1e-3:
            converged = True
            break
    p = expit(x @ beta)
    hess = x.T @ (x * (p * (1.0 - p))[:, None])
    cov: F64 = np.linalg.pinv(hess)
    return beta, cov, converged, steps


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
        Estimates, standard errors (inverse observed information) and flags.
        All NaN when the outcome is constant or there are no rows: the
        maximum-likelihood estimate does not exist then.

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
    est = np.full(k, np.nan)
    se = np.full(k, np.nan)
    held = np.zeros(k, dtype=bool)
    if ya.size == 0 or ya.min() == ya.max():
        return LogisticFit(names_t, est, se, held, False, 0)
    bounded = [names_t.index(n) for n in nonnegative]
    total = 0
    while True:
        free = np.flatnonzero(~held)
        beta, cov, ok, steps = _newton(xa[:, free], ya, max_iter, tol)
        total += steps
        full = np.zeros(k)
        full[free] = beta
        bad = [j for j in bounded if not held[j] and full[j] < 0.0]
        if not bad:
            break
        held[min(bad, key=lambda j: full[j])] = True
    est = full
    se = np.full(k, np.nan)
    se[free] = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    return LogisticFit(names_t, est, se, held, ok, total)


def _design(frame: pd.DataFrame) -> tuple[F64, tuple[str, ...]]:
    segment = frame["segment"].astype("string").fillna("unknown")
    counts = segment.value_counts()
    levels = sorted(counts.index, key=lambda s: (-int(counts[s]), str(s)))
    cols = [
        np.ones(len(frame)),
        _num(frame, "mean_wait_minutes"),
        _num(frame, "contacts_unresolved"),
    ]
    names = list(BASE_TERMS)
    for level in levels[1:]:
        cols.append((segment == level).to_numpy(dtype=np.float64))
        names.append(f"segment_{level}")
    return np.column_stack(cols), tuple(names)


def _num(frame: pd.DataFrame, name: str) -> F64:
    out: F64 = pd.to_numeric(frame[name], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return out


def _ratio(num: float, den: float) -> float:
    return num / den if den > 0 and np.isfinite(num) else float("nan")


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

    Prices are NaN when the fit or every customer value is missing.

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
    missing = [c for c in CHURN_INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(f"`frame` is missing columns {missing}")
    data = frame.loc[
        frame["mean_wait_minutes"].notna()
        & frame["contacts_unresolved"].notna()
        & frame["is_churned"].notna()
    ].reset_index(drop=True)
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
    p = expit(x @ fit.estimate)
    slope = p * (1.0 - p)
    value = _num(data, "customer_value_amount")
    n_rt = np.nan_to_num(_num(data, "realtime_contacts_offered"))
    m_all = np.nan_to_num(_num(data, "contacts_offered"))
    known = np.isfinite(value)
    b_w = fit.coefficient("wait_minutes")
    b_u = fit.coefficient("unresolved_contacts")
    per_second = b_w / 60.0 * slope
    price_wait = _ratio(
        float(np.sum(per_second[known] * value[known])), float(np.sum(n_rt[known]))
    )
    price_unres = _ratio(
        float(np.sum(m_all[known] * b_u * slope[known] * value[known])),
        float(np.sum(m_all[known])),
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
            "churn_per_wait_second_rate": float(np.mean(per_second)),
            "price_per_wait_second_amount": price_wait,
            "price_per_unresolved_contact_amount": price_unres,
            "is_converged": fit.converged,
        }
    )
