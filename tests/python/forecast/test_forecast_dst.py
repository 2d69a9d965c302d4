"""A forecast day has the intervals its local wall clock has, on both DST days of
America/New_York, and the history is read by the wall clock across them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_history import grid_history

from opsmart.forecast import forecast_intervals, local_intervals

ZONE = "America/New_York"
SPRING, FALL = dt.date(2026, 3, 8), dt.date(2026, 11, 1)  # both Sundays


def _by_hour(first: dt.date, days: int) -> pd.DataFrame:
    """Every half-hour of `days` days from `first`, with as many contacts as the
    local hour (00:30 has 0, 02:30 has 2, 23:30 has 23): a forecast read by the wall
    clock gives the local hour back, one read by UTC would not."""
    grid = local_intervals(first, days, timezone=ZONE)
    return grid_history(
        first, days, grid["interval_start_local_at"].dt.hour, timezone=ZONE
    )


def _forecast(history: pd.DataFrame, start: dt.date) -> pd.DataFrame:
    return forecast_intervals(
        history, timezone=ZONE, method="seasonal_naive", start=start
    )


def test_spring_forward_day_has_46_intervals_and_no_2am() -> None:
    # three normal weeks, then two weeks forecast from Monday 2026-03-02
    out = _forecast(_by_hour(dt.date(2026, 2, 9), 21), dt.date(2026, 3, 2))
    per_day = out.groupby(out["interval_date"].dt.date).size()
    assert per_day[SPRING] == 46
    assert (per_day.drop(SPRING) == 48).all()
    spring = out[out["interval_date"].dt.date == SPRING]
    assert not spring["interval_start_local_at"].dt.hour.eq(2).any()
    # 03:00 local is 07:00 UTC (EDT), 01:30 local is 06:30 UTC (EST)
    at = spring.set_index("interval_start_local_at")["interval_start_at"]
    assert at[pd.Timestamp("2026-03-08 01:30")] == pd.Timestamp("2026-03-08 06:30")
    assert at[pd.Timestamp("2026-03-08 03:00")] == pd.Timestamp("2026-03-08 07:00")
    np.testing.assert_allclose(
        out["contacts_offered_forecast"], out["interval_start_local_at"].dt.hour
    )


def test_fall_back_day_has_50_intervals_and_two_1_30() -> None:
    out = _forecast(_by_hour(dt.date(2026, 10, 5), 21), dt.date(2026, 10, 26))
    fall = out[out["interval_date"].dt.date == FALL]
    assert len(fall) == 50
    twice = fall[fall["interval_start_local_at"] == pd.Timestamp("2026-11-01 01:30")]
    # the same wall clock an hour apart (EDT, then EST), with the same forecast
    assert twice["interval_start_at"].tolist() == [
        pd.Timestamp("2026-11-01 05:30"),
        pd.Timestamp("2026-11-01 06:30"),
    ]
    assert twice["contacts_offered_forecast"].tolist() == [1.0, 1.0]
    assert out["interval_start_at"].is_unique


def test_history_across_both_days_is_read_by_the_wall_clock() -> None:
    # History with both changes inside it: the spring-forward week lacks 02:00
    # and 02:30 on its Sunday (taken from the other weeks, not as 0), and the
    # fall-back Sunday's two 01:00 intervals are one slot. Every interval is
    # forecast as its local hour.
    for first, start in [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 23)),
        (dt.date(2026, 10, 19), dt.date(2026, 11, 9)),
    ]:
        history = _by_hour(first, 21)
        for method in ("seasonal_naive", "exponential_smoothing"):
            out = forecast_intervals(
                history,
                timezone=ZONE,
                method=method,
                start=start,
                method_options={"weeks": 3} if method == "seasonal_naive" else None,
            )
            assert len(out) == 14 * 48
            np.testing.assert_allclose(
                out["contacts_offered_forecast"],
                out["interval_start_local_at"].dt.hour,
                rtol=1e-9,
            )


def test_each_queue_on_its_own_zone() -> None:
    # the same history twice, one queue in New York and one in Seoul (no DST):
    # only New York's 2026-03-08 loses an hour
    new_york = _by_hour(dt.date(2026, 2, 9), 21)
    seoul = grid_history(
        dt.date(2026, 2, 9), 21, 5.0, timezone="Asia/Seoul", queue_id="q2"
    )
    zones = {"q1": ZONE, "q2": "Asia/Seoul"}
    out = forecast_intervals(
        pd.concat([new_york, seoul], ignore_index=True),
        timezone=zones,
        start=dt.date(2026, 3, 2),
    )
    spring = out[out["interval_date"].dt.date == SPRING]
    assert spring.groupby("queue_id").size().to_dict() == {"q1": 46, "q2": 48}
    # Seoul's local midnight is 15:00 UTC the day before
    first = out[out["queue_id"] == "q2"]["interval_start_at"].min()
    assert first == pd.Timestamp("2026-03-01 15:00")
    with pytest.raises(ValueError, match="`timezone` has no zone for queue 'q2'"):
        forecast_intervals(
            pd.concat([new_york, seoul], ignore_index=True), timezone={"q1": ZONE}
        )
