"""Prediction intervals from the method's own out-of-sample errors.

Counts: a negative binomial around the point forecast whose variance,
``dispersion * mean + quadratic * mean**2``, is fitted on the squared errors of the
method's rolling-origin forecasts. AHT: a normal around the point forecast whose
variance, ``per_contact_variance / answered + drift_variance``, is fitted the same
way. Both fits are non-negative least squares, so a variance never falls below the
Poisson one (counts) or below 0 (AHT).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, stats

__all__ = ["aht_bounds", "count_bounds", "fit_aht_variance", "fit_count_variance"]


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"`level` must be in (0, 1), got {level!r}")
    return float(level)


def fit_count_variance(forecast: ArrayLike, actual: ArrayLike) -> tuple[float, float]:
    """Fit ``Var(actual - forecast) = dispersion * forecast + quadratic * forecast**2``.

    Parameters
    ----------
    forecast : array_like
        Out-of-sample point forecasts of counts (contacts per interval).
    actual : array_like
        The counts that happened, same shape; NaN pairs are skipped.

    Returns
    -------
    tuple of float
        ``(dispersion, quadratic)``: dispersion >= 1, quadratic >= 0; ``(1.0, 0.0)``
        (Poisson) when no forecast is above 0.

    Notes
    -----
    Over pairs with a forecast :math:`\\hat y > 0`, the squared Pearson error is
    regressed by non-negative least squares,

    .. math:: \\frac{(y - \\hat y)^2}{\\hat y} - 1 = (\\phi - 1) + \\kappa \\hat y ,

    dividing by :math:`\\hat y` weighting each pair by about the inverse of its
    spread. :math:`\\phi - 1` holds Poisson noise in the forecast itself (a one-week
    seasonal naive doubles the variance: :math:`\\phi = 2`); :math:`\\kappa` holds
    shocks that move a whole day or week in proportion (:math:`\\kappa` is the
    squared coefficient of variation of such a shock).

    Examples
    --------
    Squared errors of exactly twice the forecast (4 = 2 * 2, 16 = 2 * 8):

    >>> fit_count_variance([2.0, 8.0], [4.0, 12.0])
    (2.0, 0.0)
    """
    f = np.asarray(forecast, dtype=np.float64).ravel()
    y = np.asarray(actual, dtype=np.float64).ravel()
    keep = np.isfinite(f) & np.isfinite(y) & (f > 0)
    if not keep.any():
        return 1.0, 0.0
    f, y = f[keep], y[keep]
    design = np.column_stack([np.ones_like(f), f])
    coef, _ = optimize.nnls(design, (y - f) ** 2 / f - 1.0)
    return 1.0 + float(coef[0]), float(coef[1])


def count_bounds(
    mean: ArrayLike,
    *,
    level: float = 0.8,
    dispersion: float = 1.0,
    quadratic: float = 0.0,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Central prediction interval of a count with the given mean and variance.

    Parameters
    ----------
    mean : array_like
        Point forecasts (contacts per interval), >= 0.
    level : float, default 0.8
        Coverage of the interval, in (0, 1).
    dispersion : float, default 1.0
        Variance per unit of mean, >= 1 (1 = Poisson).
    quadratic : float, default 0.0
        Variance per squared unit of mean, >= 0.

    Returns
    -------
    tuple of numpy.ndarray of float64
        ``(lower, upper)``: the ``(1 - level) / 2`` and ``(1 + level) / 2``
        quantiles, whole counts >= 0; ``(0, 0)`` where the mean is 0, NaN where
        it is NaN.

    Raises
    ------
    ValueError
        If `level`, `dispersion` or `quadratic` is out of its domain, or a mean
        is negative.

    Notes
    -----
    The predictive distribution is Poisson where the variance equals the mean,
    else negative binomial with :math:`p = \\mu / \\sigma^2 = 1/(\\phi + \\kappa\\mu)`
    and :math:`n = \\mu p / (1 - p)`. Quantiles of a count are whole numbers, so an
    interval covers at least `level` of its own distribution (more at small means).

    Examples
    --------
    Poisson with mean 4: P(Y <= 1) = 0.092 < 0.1 <= P(Y <= 2) = 0.238 and
    P(Y <= 6) = 0.889 < 0.9 <= P(Y <= 7) = 0.949:

    >>> count_bounds([4.0, 0.0], level=0.8)
    (array([2., 0.]), array([7., 0.]))
    """
    level = _check_level(level)
    if isinstance(dispersion, bool) or not dispersion >= 1.0:
        raise ValueError(f"`dispersion` must be >= 1, got {dispersion!r}")
    if isinstance(quadratic, bool) or not quadratic >= 0.0:
        raise ValueError(f"`quadratic` must be >= 0, got {quadratic!r}")
    mu = np.atleast_1d(np.asarray(mean, dtype=np.float64))
    if (mu < 0).any():
        raise ValueError(f"`mean` must be >= 0, got {mu[mu < 0][0]:g}")
    tails = np.array([(1.0 - level) / 2.0, (1.0 + level) / 2.0])[:, None]
    safe = np.where(np.isfinite(mu) & (mu > 0), mu, 1.0)
    p = 1.0 / (dispersion + quadratic * safe)
    poisson = p >= 1.0 - 1e-12
    n = safe * p / np.where(poisson, 1.0, 1.0 - p)
    bounds = np.where(
        poisson,
        stats.poisson.ppf(tails, safe),
        stats.nbinom.ppf(tails, n, np.minimum(p, 1.0 - 1e-12)),
    )
    bounds = np.where(mu > 0, bounds, 0.0)
    bounds = np.where(np.isnan(mu), np.nan, bounds)
    return bounds[0].astype(np.float64), bounds[1].astype(np.float64)


def fit_aht_variance(
    forecast: ArrayLike, actual: ArrayLike, answered: ArrayLike
) -> tuple[float, float]:
    """Fit ``Var(actual - forecast) = per_contact_variance / answered + drift_variance``
    for an interval's AHT.

    Parameters
    ----------
    forecast : array_like
        Out-of-sample AHT forecasts (seconds).
    actual : array_like
        The intervals' AHT (seconds), NaN where nothing was answered.
    answered : array_like
        Contacts answered in each interval (the AHT's denominator).

    Returns
    -------
    tuple of float
        ``(per_contact_variance, drift_variance)`` in squared seconds, both >= 0;
        ``(0.0, 0.0)`` without a usable pair.

    Notes
    -----
    An interval's AHT is the mean of its `answered` handle times: its variance
    around the slot's true AHT is :math:`\\sigma^2 / n`, plus
    :math:`\\tau^2` for the slot's AHT moving from week to week. Fitted by
    non-negative least squares of :math:`e^2` on :math:`(1/n, 1)`.

    Examples
    --------
    Errors of 60 s with one contact and 30 s with four: 3600 = s + t and
    900 = s / 4 + t give s = 3600, t = 0:

    >>> fit_aht_variance([300.0, 300.0], [360.0, 270.0], [1, 4])
    (3600.0, 0.0)
    """
    f = np.asarray(forecast, dtype=np.float64).ravel()
    y = np.asarray(actual, dtype=np.float64).ravel()
    n = np.asarray(answered, dtype=np.float64).ravel()
    keep = np.isfinite(f) & np.isfinite(y) & (n > 0)
    if not keep.any():
        return 0.0, 0.0
    design = np.column_stack([1.0 / n[keep], np.ones(int(keep.sum()))])
    coef, _ = optimize.nnls(design, (y[keep] - f[keep]) ** 2)
    return float(coef[0]), float(coef[1])


def aht_bounds(
    aht_seconds: ArrayLike,
    answered: ArrayLike,
    *,
    level: float = 0.8,
    per_contact_variance: float,
    drift_variance: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Central prediction interval of an interval's AHT (normal, floored at 0).

    Parameters
    ----------
    aht_seconds : array_like
        AHT point forecasts (seconds); NaN where none.
    answered : array_like
        Forecast contacts answered in the interval.
    level : float, default 0.8
        Coverage of the interval, in (0, 1).
    per_contact_variance, drift_variance : float
        From :func:`fit_aht_variance` (squared seconds), >= 0.

    Returns
    -------
    tuple of numpy.ndarray of float64
        ``(lower, upper)`` in seconds, lower >= 0; NaN where the AHT is NaN or
        nothing is forecast to be answered.

    Examples
    --------
    Standard deviation sqrt(3600 / 4 + 0) = 30 s; z(0.9) = 1.2816:

    >>> lower, upper = aht_bounds(
    ...     [300.0], [4.0], level=0.8, per_contact_variance=3600.0, drift_variance=0.0
    ... )
    >>> lower.round(1), upper.round(1)
    (array([261.6]), array([338.4]))
    """
    level = _check_level(level)
    if not (per_contact_variance >= 0.0 and drift_variance >= 0.0):
        raise ValueError(
            "`per_contact_variance` and `drift_variance` must be >= 0, got "
            f"{per_contact_variance!r} and {drift_variance!r}"
        )
    aht = np.atleast_1d(np.asarray(aht_seconds, dtype=np.float64))
    n = np.atleast_1d(np.asarray(answered, dtype=np.float64))
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(per_contact_variance / n + drift_variance)
    z = float(stats.norm.ppf((1.0 + level) / 2.0))
    usable = np.isfinite(aht) & (n > 0)
    lower = np.where(usable, np.maximum(aht - z * sd, 0.0), np.nan)
    upper = np.where(usable, aht + z * sd, np.nan)
    return lower.astype(np.float64), upper.astype(np.float64)
