"""The rolling-origin backtest against a hand computation."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_history import daily_history

from opsmart.forecast import backtest, forecast_intervals

# Four weeks, one interval a day. The seasonal naive forecast of week 4 is week 3.
WEEKS = [
    [10, 10, 10, 10, 10, 10, 10],
    [12, 10, 10, 10, 10, 10, 10],  # |12 - 10| = 2 against week 1
    [12, 10, 10, 10, 10, 10, 14],  # |14 - 10| = 4 against week 2
    [15, 10, 10, 10, 10, 5, 14],  # errors of week 3 as forecast: 3 and 5
]


def test_wape_and_mase_by_hand() -> None:
    # WAPE = (3 + 5) / 74 contacts; MAE = 8 / 7 over the week; the in-sample
    # seasonal naive MAE of weeks 1..3 is (2 + 4) / 14 = 3 / 7, so MASE = 8 / 3.
    scores = backtest(
        daily_history(WEEKS),
        timezone="UTC",
        method="seasonal_naive",
        origins=1,
        interval_minutes=1440,
    )
    row = scores.iloc[0]
    assert (row["queue_id"], row["origins"], row["intervals"]) == ("q1", 1, 7)
    assert row["contacts_offered"] == 74
    assert row["wape"] == pytest.approx(8 / 74)
    assert row["mase"] == pytest.approx(8 / 3)


def test_origin_dates_pool_the_errors() -> None:
    # A fifth week equal to the fourth: from the 2026-03-30 origin the forecast
    # (week 4) is exact, so the pooled WAPE is (8 + 0) / (74 + 74) and the pooled
    # MASE (8/7 / (3/7) + 0 / s) / 2 over the 14 days, s = (2 + 4 + 8) / 21.
    history = daily_history([*WEEKS, WEEKS[3]])
    scores = backtest(
        history,
        timezone="UTC",
        method="seasonal_naive",
        origins=[dt.date(2026, 3, 23), dt.date(2026, 3, 30)],
        interval_minutes=1440,
    )
    row = scores.iloc[0]
    assert row["intervals"] == 14
    assert row["wape"] == pytest.approx(8 / 148)
    assert row["mase"] == pytest.approx((8 / 3) / 2)


def test_coverage_is_recomputed_from_the_forecasts() -> None:
    # the backtest's coverage is the share of days inside the interval that
    # forecast_intervals gives from the rows before each origin
    rng = np.random.default_rng(3)
    history = daily_history(rng.poisson(40.0, size=8 * 7))
    scores = backtest(
        history, timezone="UTC", origins=3, interval_minutes=1440, levels=[0.8]
    )
    inside = []
    for origin in (dt.date(2026, 4, 6), dt.date(2026, 4, 13), dt.date(2026, 4, 20)):
        before = history[history["interval_start_at"] < pd.Timestamp(origin)]
        out = forecast_intervals(
            before,
            timezone="UTC",
            horizon_weeks=1,
            interval_minutes=1440,
            levels=[0.8],
        )
        actual = history.set_index("interval_start_at").loc[
            out["interval_start_at"], "contacts_offered"
        ]
        inside.extend(
            (out["contacts_offered_lower_80"].to_numpy() <= actual.to_numpy())
            & (actual.to_numpy() <= out["contacts_offered_upper_80"].to_numpy())
        )
    assert scores.iloc[0]["coverage_rate_80"] == pytest.approx(np.mean(inside))


def test_origins_past_the_history_are_refused() -> None:
    with pytest.raises(ValueError, match="`origins`"):
        backtest(
            daily_history(WEEKS),
            timezone="UTC",
            origins=[dt.date(2026, 3, 24)],
            interval_minutes=1440,
        )
