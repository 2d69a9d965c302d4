"""Prediction intervals on Poisson data with a known rate cover what they claim,
and a deliberately too narrow interval fails the same check."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_history import MONDAY, grid_history
from scipy import stats

from opsmart.forecast import count_bounds, forecast_intervals

SLOTS = 7 * 24  # hourly intervals, UTC (no DST here)
WEEKS, TEST_WEEKS = 12, 4
rng = np.random.default_rng(20)
# each hour of the week has its own rate, the same every week: 30 to 150 contacts
RATE = rng.uniform(30.0, 150.0, size=SLOTS)
COUNTS = rng.poisson(np.tile(RATE, WEEKS))
HISTORY = grid_history(MONDAY, 7 * WEEKS, COUNTS, timezone="UTC", interval_minutes=60)


def _scored(method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Actual counts, the mean forecasts and the 80 % bounds of the last four
    weeks, each forecast one week ahead from the weeks before it."""
    y, mean, lower, upper = [], [], [], []
    for week in range(WEEKS - TEST_WEEKS, WEEKS):
        origin = pd.Timestamp(MONDAY + dt.timedelta(days=7 * week))
        out = forecast_intervals(
            HISTORY[HISTORY["interval_start_at"] < origin],
            timezone="UTC",
            method=method,
            horizon_weeks=1,
            interval_minutes=60,
            levels=[0.8],
        )
        y.append(COUNTS[week * SLOTS : (week + 1) * SLOTS])
        mean.append(out["contacts_offered_forecast"].to_numpy())
        lower.append(out["contacts_offered_lower_80"].to_numpy())
        upper.append(out["contacts_offered_upper_80"].to_numpy())
    return tuple(np.concatenate(v) for v in (y, mean, lower, upper))  # type: ignore[return-value]


def _covers_about(
    y: np.ndarray, lower: np.ndarray, upper: np.ndarray, level: float
) -> bool:
    """Whether the empirical coverage is `level` within its sampling error.

    Given the intervals (made from earlier weeks), the test weeks' counts are
    independent, so the number inside is binomial: 3 standard errors
    sqrt(level (1 - level) / n) either side. Above, a whole-number interval may
    cover up to the probability of its two end points more than its level
    (computed here from the true rate).
    """
    rate = np.tile(RATE, TEST_WEEKS)
    coverage = np.mean((lower <= y) & (y <= upper))
    band = 3.0 * np.sqrt(level * (1.0 - level) / y.size)
    ends = np.mean(stats.poisson.pmf(lower, rate) + stats.poisson.pmf(upper, rate))
    return bool(level - band <= coverage <= level + band + ends)


@pytest.mark.parametrize("method", ["exponential_smoothing", "seasonal_naive"])
def test_80_percent_interval_covers_about_80_percent(method: str) -> None:
    y, _, lower, upper = _scored(method)
    assert _covers_about(y, lower, upper, 0.8)


def test_too_narrow_interval_fails_the_check() -> None:
    # Poisson around last week's count ignores that the forecast is itself a
    # Poisson draw: the error variance is twice the rate, so it covers about
    # 2 Phi(1.2816 / sqrt 2) - 1 = 0.63, not 0.8.
    y, mean, _, _ = _scored("seasonal_naive")
    lower, upper = count_bounds(mean, level=0.8)
    assert not _covers_about(y, lower, upper, 0.8)


def test_aht_80_percent_interval_covers_about_80_percent() -> None:
    # Each contact's handle time is exponential with mean 300 s, so an interval's
    # handle seconds are gamma(answered, 300); its AHT is their mean. The AHT
    # interval is continuous: the binomial band alone, over intervals with an
    # answer in the four test weeks.
    aht_rng = np.random.default_rng(21)
    answered = aht_rng.poisson(np.tile(RATE, WEEKS))
    handle = aht_rng.gamma(np.maximum(answered, 1e-9), 300.0) * (answered > 0)
    history = HISTORY.assign(
        contacts_answered=answered.astype(float), handle_time_seconds=handle
    )
    inside = []
    for week in range(WEEKS - TEST_WEEKS, WEEKS):
        origin = pd.Timestamp(MONDAY + dt.timedelta(days=7 * week))
        out = forecast_intervals(
            history[history["interval_start_at"] < origin],
            timezone="UTC",
            horizon_weeks=1,
            interval_minutes=60,
            levels=[0.8],
        )
        n = answered[week * SLOTS : (week + 1) * SLOTS]
        aht = handle[week * SLOTS : (week + 1) * SLOTS] / n
        lower = out["aht_seconds_lower_80"].to_numpy()
        upper = out["aht_seconds_upper_80"].to_numpy()
        inside.extend((lower <= aht) & (aht <= upper))
    band = 3.0 * np.sqrt(0.8 * 0.2 / len(inside))
    assert abs(np.mean(inside) - 0.8) <= band
