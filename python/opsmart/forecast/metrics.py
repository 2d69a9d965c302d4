"""Accuracy of point forecasts and coverage of prediction intervals."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["coverage", "mase", "seasonal_naive_scale", "wape"]


def _pair(actual: ArrayLike, forecast: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype=np.float64).ravel()
    f = np.asarray(forecast, dtype=np.float64).ravel()
    if a.shape != f.shape:
        raise ValueError(
            f"`actual` and `forecast` must have one shape, got {a.shape} and {f.shape}"
        )
    return a, f


def wape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Weighted absolute percentage error: sum |actual - forecast| / sum actual.

    Parameters
    ----------
    actual, forecast : array_like
        Counts that happened and their forecasts.

    Returns
    -------
    float
        A fraction (0 is perfect); NaN when nothing happened.

    Examples
    --------
    |10 - 8| + |0 - 1| + |30 - 33| = 6 over 40 contacts:

    >>> wape([10, 0, 30], [8, 1, 33])
    0.15
    """
    a, f = _pair(actual, forecast)
    total = a.sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


def seasonal_naive_scale(values: ArrayLike) -> float:
    """In-sample mean absolute error of the seasonal naive forecast at a lag of one
    week: the scale of MASE.

    Parameters
    ----------
    values : array_like
        Past weeks (rows, oldest first) by slots of the week; NaN where a week did
        not have the slot.

    Returns
    -------
    float
        Mean of :math:`|y_{w,s} - y_{w-1,s}|` over the slots observed in both weeks;
        NaN with fewer than two weeks.

    Examples
    --------
    |3 - 1| and |1 - 4| (the second slot's first week is missing, so 6 is unused):

    >>> seasonal_naive_scale([[1.0, 4.0, float("nan")], [3.0, 1.0, 6.0]])
    2.5
    """
    matrix = np.asarray(values, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return float("nan")
    diffs = np.abs(np.diff(matrix, axis=0))
    return float(np.nanmean(diffs)) if np.isfinite(diffs).any() else float("nan")


def mase(actual: ArrayLike, forecast: ArrayLike, *, scale: float) -> float:
    """Mean absolute scaled error: mean |actual - forecast| / `scale`.

    Parameters
    ----------
    actual, forecast : array_like
        Counts that happened and their forecasts.
    scale : float
        The in-sample seasonal naive MAE (:func:`seasonal_naive_scale`); below 1
        means better than last week's same interval was in sample.

    Returns
    -------
    float
        NaN when `scale` is not above 0 or there is nothing to score.

    Examples
    --------
    >>> mase([10, 0, 30], [8, 1, 33], scale=4.0)
    0.5
    """
    a, f = _pair(actual, forecast)
    if not scale > 0 or a.size == 0:
        return float("nan")
    return float(np.abs(a - f).mean() / scale)


def coverage(actual: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Share of actual values inside [lower, upper] (bounds included).

    Examples
    --------
    >>> coverage([3, 5, 9, 0], [2, 5, 2, 1], [4, 7, 8, 3])
    0.5
    """
    a = np.asarray(actual, dtype=np.float64).ravel()
    lo = np.asarray(lower, dtype=np.float64).ravel()
    hi = np.asarray(upper, dtype=np.float64).ravel()
    if a.size == 0:
        return float("nan")
    return float(((lo <= a) & (a <= hi)).mean())
