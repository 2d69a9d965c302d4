"""Arrivals: a non-homogeneous Poisson process with intraday and weekly shapes.

The rate is piecewise constant over 15-minute bins; within a bin arrivals are a
homogeneous Poisson process, so the counts are Poisson and the times uniform.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BINS_PER_DAY",
    "BIN_SECONDS",
    "intraday_shape",
    "sample_arrivals",
    "weekday_factor",
]

BIN_SECONDS = 900
BINS_PER_DAY = 96


def _gauss(
    hours: NDArray[np.float64], center: float, width: float
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.exp(-0.5 * ((hours - center) / width) ** 2)
    return out


def intraday_shape(
    channel: str, *, open_hour: int = 8, close_hour: int = 20
) -> NDArray[np.float64]:
    """Share of a day's volume arriving in each 15-minute bin (sums to 1).

    Parameters
    ----------
    channel
        ``voice`` and ``chat`` arrive only in opening hours with a morning and an
        after-lunch peak; ``email`` and ``self_service`` arrive around the clock
        at low night rates.
    open_hour, close_hour
        Opening hours of the real-time channels (local time).

    Returns
    -------
    NDArray[np.float64]
        96 non-negative weights summing to 1.
    """
    hours: NDArray[np.float64] = (
        (np.arange(BINS_PER_DAY) + 0.5) * BIN_SECONDS / 3600.0
    ).astype(np.float64)
    peaks = 0.35 + _gauss(hours, 10.5, 1.2) + 0.85 * _gauss(hours, 14.5, 1.5)
    if channel in ("voice", "chat"):
        weights = np.where((hours >= open_hour) & (hours < close_hour), peaks, 0.0)
        if channel == "chat":
            weights = weights + np.where(
                (hours >= open_hour) & (hours < close_hour),
                0.3 * _gauss(hours, 19.0, 1.5),
                0.0,
            )
    elif channel == "email":
        weights = 0.12 + np.where((hours >= 7) & (hours < 23), peaks, 0.0)
    else:
        weights = 0.06 + np.where((hours >= 7) & (hours < 24), peaks, 0.0)
        weights = weights + 0.4 * _gauss(hours, 21.0, 1.2)
    out: NDArray[np.float64] = weights / weights.sum()
    return out


def weekday_factor(weekday: int, factors: tuple[float, ...]) -> float:
    """Relative volume of `weekday` (0 = Monday), normalised to a weekly mean of 1."""
    return float(factors[weekday] / (sum(factors) / len(factors)))


def sample_arrivals(
    expected_per_bin: NDArray[np.float64], rng: np.random.Generator
) -> NDArray[np.int64]:
    """Draw arrival times (whole seconds from midnight) of a piecewise-constant NHPP.

    Parameters
    ----------
    expected_per_bin
        Expected arrivals in each 15-minute bin of the day, in elapsed time from its
        local midnight (96 bins; 92 or 100 on a daylight-saving change).
    rng
        The random generator.

    Returns
    -------
    NDArray[np.int64]
        Sorted arrival times in seconds since local midnight, in
        [0, 900 * len(expected_per_bin)).
    """
    counts = rng.poisson(np.maximum(expected_per_bin, 0.0))
    starts = np.repeat(np.arange(expected_per_bin.size) * BIN_SECONDS, counts)
    offsets = rng.integers(0, BIN_SECONDS, size=starts.size)
    times: NDArray[np.int64] = np.sort(starts + offsets).astype(np.int64)
    return times
