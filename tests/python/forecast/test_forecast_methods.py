"""The two point methods on a tiny hand-checkable history, through the matrix
functions and through the frame the dbt model will pass."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from _forecast_history import daily_history

from opsmart.forecast import exponential_smoothing, forecast_intervals, seasonal_naive

# Three weeks of one queue, one interval a day (Monday .. Sunday). Weeks 1 and 2
# total 70 contacts, week 3 twice that; every week splits 20/20/20/20/10/10/0 %.
WEEKS = [
    [14, 14, 14, 14, 7, 7, 0],
    [14, 14, 14, 14, 7, 7, 0],
    [28, 28, 28, 28, 14, 14, 0],
]
# AHT 300 s in weeks 1 and 2, 360 s in week 3.
AHT = [300.0] * 14 + [360.0] * 7


def _forecast(method: str, **options: float) -> dict[str, np.ndarray]:
    out = forecast_intervals(
        daily_history(WEEKS, aht_seconds=AHT),
        timezone="UTC",
        method=method,
        horizon_weeks=1,
        interval_minutes=1440,
        method_options=options,
    )
    assert out["interval_date"].dt.date.tolist() == [
        dt.date(2026, 3, 23) + dt.timedelta(days=i) for i in range(7)
    ]
    return {c: out[c].to_numpy() for c in out.columns}


def test_seasonal_naive_repeats_last_week() -> None:
    out = _forecast("seasonal_naive")
    np.testing.assert_allclose(out["contacts_offered_forecast"], WEEKS[2])
    # Sunday had nothing: no AHT, not 0 s
    np.testing.assert_allclose(out["aht_seconds_forecast"][:6], 360.0)
    assert np.isnan(out["aht_seconds_forecast"][6])


def test_seasonal_naive_mean_of_last_weeks() -> None:
    # weeks 2 and 3: (14 + 28) / 2 = 21 on Monday .. Thursday, (7 + 14) / 2 = 10.5;
    # AHT (14 * 300 + 28 * 360) / (14 + 28) = 340 s, a ratio of sums
    out = _forecast("seasonal_naive", weeks=2)
    np.testing.assert_allclose(
        out["contacts_offered_forecast"], [21, 21, 21, 21, 10.5, 10.5, 0]
    )
    np.testing.assert_allclose(out["aht_seconds_forecast"][:6], 340.0)


def test_exponential_smoothing_level_times_profile() -> None:
    # level, alpha 0.5: weights 0.25, 0.5, 1 on totals 70, 70, 140:
    #   (17.5 + 35 + 140) / 1.75 = 110; every week's profile is (0.2, ..., 0.1, 0)
    #   whatever gamma, so Monday = 110 * 0.2 = 22.
    # handle seconds: totals 21000, 21000, 50400 -> (5250 + 10500 + 50400) / 1.75
    #   = 37800, so AHT = 37800 / 110 = 343.636... s.
    out = _forecast("exponential_smoothing", level_alpha=0.5, profile_gamma=0.3)
    np.testing.assert_allclose(
        out["contacts_offered_forecast"], [22, 22, 22, 22, 11, 11, 0]
    )
    np.testing.assert_allclose(out["aht_seconds_forecast"][:6], 37800 / 110)


def test_intervals_are_ordered_whole_counts() -> None:
    out = _forecast("exponential_smoothing")
    previous_lower = out["contacts_offered_forecast"]
    previous_upper = out["contacts_offered_forecast"]
    for level in ("50", "80", "95"):  # nested: wider at each level
        lower = out[f"contacts_offered_lower_{level}"]
        upper = out[f"contacts_offered_upper_{level}"]
        assert (lower >= 0).all() and (lower == np.round(lower)).all()
        assert (lower <= np.floor(previous_lower) + 1e-9).all()
        assert (upper >= np.ceil(previous_upper) - 1e-9).all()
        previous_lower, previous_upper = lower, upper
        aht_lower = out[f"aht_seconds_lower_{level}"][:6]
        assert (aht_lower >= 0).all()
        assert (aht_lower <= out["aht_seconds_forecast"][:6]).all()
    # Sunday: nothing forecast, nothing around it
    assert out["contacts_offered_upper_95"][6] == 0


def test_exponential_smoothing_of_no_contacts_is_zero_not_unknown() -> None:
    """Weeks without any contact (a self-service queue's offered) forecast 0 in the
    slots seen, not NaN, which left every interval of such a queue without a
    forecast; a slot never seen stays NaN."""
    zeros = np.zeros((3, 4))
    zeros[:, 3] = np.nan
    out = exponential_smoothing(zeros)
    np.testing.assert_array_equal(out[:3], [0.0, 0.0, 0.0])
    assert np.isnan(out[3])
    frame = forecast_intervals(
        daily_history([[0] * 7] * 3),
        timezone="UTC",
        horizon_weeks=1,
        interval_minutes=1440,
    )
    assert (frame["contacts_offered_forecast"] == 0).all()
    assert (frame["contacts_offered_upper_95"] == 0).all()
    assert frame["aht_seconds_forecast"].isna().all()


def test_profile_smoothing_weighs_recent_weeks_more() -> None:
    # shares (1, 0) then (0, 1): with gamma 0.5 the weights are 0.5 and 1, so the
    # profile is (1/3, 2/3); level alpha 1 keeps the last total, 30.
    forecast = exponential_smoothing(
        [[30.0, 0.0], [0.0, 30.0]], level_alpha=1.0, profile_gamma=0.5
    )
    np.testing.assert_allclose(forecast, [10.0, 20.0])


@pytest.mark.parametrize(
    ("function", "options", "match"),
    [
        (seasonal_naive, {"weeks": 0}, "`weeks`"),
        (exponential_smoothing, {"level_alpha": 0.0}, "`level_alpha`"),
        (exponential_smoothing, {"profile_gamma": 1.5}, "`profile_gamma`"),
    ],
)
def test_method_options_are_checked(function, options, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=match):
        function([[1.0]], **options)
