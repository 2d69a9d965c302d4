"""Point forecasts of one queue's measure from its weeks of history.

Each method reads a matrix ``values`` of past weeks (rows, oldest first) by slots of
the week (columns: local weekday x local time of day, ``7 * 1440 / interval_minutes``
of them) and returns one forecast per slot, the same for every coming week: both
methods are flat over the horizon (no trend). A slot a week did not have (02:00 on a
spring-forward day) is NaN in that week and is skipped, not read as 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["METHODS", "exponential_smoothing", "method_function", "seasonal_naive"]


def _weeks_matrix(values: ArrayLike) -> NDArray[np.float64]:
    out = np.asarray(values, dtype=np.float64)
    if out.ndim != 2 or out.shape[0] < 1:
        raise ValueError(
            f"`values` must be a matrix of weeks by slots, got shape {out.shape}"
        )
    return out


def _check_fraction(value: float, name: str) -> float:
    if isinstance(value, bool) or not 0.0 < float(value) <= 1.0:
        raise ValueError(f"`{name}` must be in (0, 1], got {value!r}")
    return float(value)


def seasonal_naive(values: ArrayLike, *, weeks: int = 1) -> NDArray[np.float64]:
    """Seasonal naive forecast by week: each slot's mean over its last `weeks`
    observed weeks.

    Parameters
    ----------
    values : array_like
        Past weeks (rows, oldest first) by slots of the week; NaN where a week did
        not have the slot (a DST change).
    weeks : int, default 1
        How many of the slot's latest observed weeks to average (1 = the same
        local interval one week earlier).

    Returns
    -------
    numpy.ndarray of float64
        One forecast per slot; NaN for a slot never observed.

    Raises
    ------
    ValueError
        If `values` is not a non-empty matrix or `weeks` < 1.

    Notes
    -----
    .. math:: \\hat y_s = \\frac{1}{k} \\sum_{j=1}^{k} y_{s, (j)}

    where :math:`y_{s,(j)}` is the slot's j-th latest observed value. With ``k = 1``
    it is the benchmark that MASE is scaled by [1]_.

    References
    ----------
    .. [1] Hyndman, R. J., & Koehler, A. B. (2006). Another look at measures of
       forecast accuracy. *International Journal of Forecasting*, 22(4), 679-688.
       https://doi.org/10.1016/j.ijforecast.2006.03.001

    Examples
    --------
    The second slot did not exist in the older week:

    >>> seasonal_naive([[1.0, float("nan")], [3.0, 5.0]])
    array([3., 5.])
    >>> seasonal_naive([[1.0, float("nan")], [3.0, 5.0]], weeks=2)
    array([2., 5.])
    """
    matrix = _weeks_matrix(values)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"`weeks` must be a whole number >= 1, got {weeks!r}")
    observed = ~np.isnan(matrix)
    # how many observed weeks there are from each row to the last, per slot
    rank = np.cumsum(observed[::-1], axis=0)[::-1]
    use = observed & (rank <= weeks)
    count = use.sum(axis=0)
    total = np.where(use, matrix, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = np.where(count > 0, total / count, np.nan)
    return out


def _discounted_mean(matrix: NDArray[np.float64], alpha: float) -> NDArray[np.float64]:
    """Column means with weights (1 - alpha)^age over the observed rows."""
    age = np.arange(matrix.shape[0])[::-1, None]
    weight = np.where(np.isnan(matrix), 0.0, (1.0 - alpha) ** age)
    total = (weight * np.nan_to_num(matrix)).sum(axis=0)
    norm = weight.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = np.where(norm > 0, total / norm, np.nan)
    return out


def exponential_smoothing(
    values: ArrayLike, *, level_alpha: float = 0.4, profile_gamma: float = 0.2
) -> NDArray[np.float64]:
    """Exponential smoothing of a weekly level times an intraday x weekday profile.

    Parameters
    ----------
    values : array_like
        Past weeks (rows, oldest first) by slots of the week; NaN where a week did
        not have the slot (a DST change).
    level_alpha : float, default 0.4
        Smoothing constant of the weekly level (total of the week), in (0, 1]:
        1 keeps the last week's total only.
    profile_gamma : float, default 0.2
        Smoothing constant of the profile (each slot's share of its week's total),
        in (0, 1]; smaller than `level_alpha` because one slot's share is far
        noisier than a week's total.

    Returns
    -------
    numpy.ndarray of float64
        One forecast per slot: level x profile; NaN for a slot never observed;
        0 for every slot observed when no week had any contact.

    Raises
    ------
    ValueError
        If `values` is not a non-empty matrix or a constant is outside (0, 1].

    Notes
    -----
    With :math:`Y_w` the total of week :math:`w` and :math:`p_{w,s} = y_{w,s}/Y_w`
    the share of slot :math:`s`, and weights of age :math:`a` (0 = last week)

    .. math:: L = \\frac{\\sum_w (1-\\alpha)^{a_w} Y_w}{\\sum_w (1-\\alpha)^{a_w}},
              \\quad P_s = \\frac{\\sum_w (1-\\gamma)^{a_w} p_{w,s}}
                                 {\\sum_w (1-\\gamma)^{a_w}},
              \\quad \\hat y_s = L \\, P_s .

    Each is simple exponential smoothing [1]_ with its weights normalised over the
    weeks seen, so no initial value has to be chosen. A slot missing from a week
    (spring forward) is left out of its own profile mean and counts in that
    week's total as its mean over the other weeks.

    Multiplicative, not additive: a busier week scales every interval in
    proportion (the Poisson spread grows with the mean too), and a closed
    interval (share 0) stays exactly 0 whatever the level, where an additive
    level shift would put contacts into the night. The profile is a full
    weekday x time-of-day table, so a Saturday keeps its own opening hours.

    References
    ----------
    .. [1] Hyndman, R. J., & Athanasopoulos, G. (2021). *Forecasting: Principles
       and Practice* (3rd ed.), chapter 8. OTexts. https://otexts.com/fpp3/
    .. [2] Taylor, J. W. (2003). Short-term electricity demand forecasting using
       double seasonal exponential smoothing. *Journal of the Operational Research
       Society*, 54(8), 799-805. https://doi.org/10.1057/palgrave.jors.2601589

    Examples
    --------
    Week totals 30 then 60 give L = (60 + 0.5 * 30) / 1.5 = 50; shares (0.3, 0.7)
    then (0.6, 0.4) give P = ((0.6, 0.4) + 0.5 * (0.3, 0.7)) / 1.5 = (0.5, 0.5):

    >>> exponential_smoothing(
    ...     [[9.0, 21.0], [36.0, 24.0]], level_alpha=0.5, profile_gamma=0.5
    ... )
    array([25., 25.])
    """
    matrix = _weeks_matrix(values)
    alpha = _check_fraction(level_alpha, "level_alpha")
    gamma = _check_fraction(profile_gamma, "profile_gamma")
    # A week without a slot (spring forward) counts the slot's mean of the other
    # weeks in its total, so its level is not read as a dip.
    observed = ~np.isnan(matrix)
    seen = observed.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        slot_mean = np.where(seen > 0, np.nansum(matrix, axis=0) / seen, 0.0)
    totals = np.where(observed, matrix, slot_mean).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # a week without any contact has no shares: it lowers the level only
        shares = np.where(totals[:, None] > 0, matrix / totals[:, None], np.nan)
    level = _discounted_mean(totals[:, None], alpha)[0]
    out: NDArray[np.float64] = level * _discounted_mean(shares, gamma)
    # no week with any contact (a self-service queue's offered, say): no shares
    # to spread, but nothing to spread either: 0 where the slot was seen
    out[(level == 0) & (seen > 0)] = 0.0
    return out


#: The point-forecast methods by name (the `method` of the forecasts).
METHODS: dict[str, Callable[..., NDArray[np.float64]]] = {
    "exponential_smoothing": exponential_smoothing,
    "seasonal_naive": seasonal_naive,
}


def method_function(method: str) -> Callable[..., NDArray[np.float64]]:
    """Return the method named `method`, or raise ValueError listing the names."""
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {sorted(METHODS)}, got {method!r}")
    return METHODS[method]
