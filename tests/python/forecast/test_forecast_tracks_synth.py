"""On arrivals drawn the way the demo generator draws them, the forecast tracks the
true rate: its error against the rate is well below the seasonal naive's."""

from __future__ import annotations

import datetime as dt

import numpy as np
from _forecast_history import MONDAY, grid_history

from opsmart.forecast import forecast_intervals
from opsmart.synth.arrivals import intraday_shape, sample_arrivals, weekday_factor
from opsmart.synth.config import WEEKDAY_FACTORS

ZONE = "Asia/Seoul"  # the generator's default zone (no DST)
WEEKS = 6
DAILY_VOLUME = 1200.0


def _true_rate(weekday: int) -> np.ndarray:
    """Expected contacts per half-hour of a voice queue on `weekday`: the
    generator's 15-minute intensity (volume x weekday factor x intraday shape),
    two bins per interval."""
    per_bin = (
        DAILY_VOLUME
        * weekday_factor(weekday, WEEKDAY_FACTORS)
        * intraday_shape("voice")
    )
    return per_bin.reshape(48, 2).sum(axis=1)


def test_exponential_smoothing_tracks_the_true_rate() -> None:
    rng = np.random.default_rng(7)
    counts = []
    for day in range(WEEKS * 7):
        weekday = (MONDAY + dt.timedelta(days=day)).weekday()
        # arrival seconds since local midnight, binned to half-hours
        arrivals = sample_arrivals(np.repeat(_true_rate(weekday) / 2, 2), rng)
        counts.append(np.bincount(arrivals // 1800, minlength=48))
    history = grid_history(MONDAY, WEEKS * 7, np.concatenate(counts), timezone=ZONE)
    truth = np.concatenate([_true_rate(d) for d in range(7)])  # the next week
    error = {}
    for method in ("exponential_smoothing", "seasonal_naive"):
        out = forecast_intervals(history, timezone=ZONE, method=method, horizon_weeks=1)
        assert out["interval_date"].min().date() == dt.date(2026, 4, 13)  # a Monday
        error[method] = np.abs(out["contacts_offered_forecast"].to_numpy() - truth)
    # Poisson noise alone: the seasonal naive is one week's draw (sd sqrt(rate)),
    # the smoothing averages about four weeks of profile (sd about half that)
    ratio = error["exponential_smoothing"].mean() / error["seasonal_naive"].mean()
    assert ratio < 0.7
    # closed hours stay closed
    assert (out["contacts_offered_forecast"].to_numpy()[truth == 0] == 0).all()
