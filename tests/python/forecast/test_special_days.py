"""Special days: a closed day is forecast 0, a like_weekday day reads another
weekday's slots, and a special day in the history is left out of the fit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_history import daily_history

from opsmart.forecast import (
    backtest,
    backtest_queues,
    forecast_intervals,
    forecast_queues,
    local_intervals,
    prepare_special_days,
)

#: Mon .. Sun of every week: hand-checkable, each weekday its own count.
WEEK = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]


def _days(*rows: tuple[str | None, str, str, str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["queue_id", "local_date", "day_kind", "like_weekday"]
    )


def _daily(history: pd.DataFrame, **options: object) -> pd.DataFrame:
    return forecast_intervals(
        history, timezone="UTC", horizon_weeks=1, interval_minutes=1440, **options
    )


def test_a_closed_day_is_forecast_zero_with_bounds_zero_and_no_aht() -> None:
    out = _daily(
        daily_history(WEEK * 4),
        special_days=_days((None, "2026-03-31", "closed", None)),  # a Tuesday
    )
    tuesday = out[out["interval_date"] == pd.Timestamp("2026-03-31")].iloc[0]
    assert tuesday["contacts_offered_forecast"] == 0.0
    assert tuesday["contacts_answered_forecast"] == 0.0
    for level in ("50", "80", "95"):
        assert tuesday[f"contacts_offered_lower_{level}"] == 0.0
        assert tuesday[f"contacts_offered_upper_{level}"] == 0.0
        assert np.isnan(tuesday[f"aht_seconds_upper_{level}"])
    assert np.isnan(tuesday["aht_seconds_forecast"])
    assert tuesday["special_day_kind"] == "closed"
    # the other days are as without the seed, and say no special day
    others = out[out["interval_date"] != pd.Timestamp("2026-03-31")]
    assert others["contacts_offered_forecast"].tolist() == pytest.approx(
        [10.0, *WEEK[2:]]
    )
    assert others["special_day_kind"].isna().all()


def test_a_like_weekday_day_is_forecast_as_that_weekday() -> None:
    history = daily_history(WEEK * 4)
    plain = _daily(history)
    out = _daily(
        history,
        special_days=_days((None, "2026-04-01", "like_weekday", "Sunday")),
    )
    wednesday = out[out["interval_date"] == pd.Timestamp("2026-04-01")].iloc[0]
    sunday = plain[plain["interval_date"] == pd.Timestamp("2026-04-05")].iloc[0]
    assert wednesday["contacts_offered_forecast"] == pytest.approx(70.0)
    measures = [c for c in plain.columns if c.startswith(("contacts_", "aht_"))]
    pd.testing.assert_series_equal(
        wednesday[measures], sunday[measures], check_names=False
    )
    assert wednesday["special_day_kind"] == "like_weekday"


def test_a_holiday_in_the_history_does_not_drag_its_weekday_down() -> None:
    quiet = WEEK * 4
    quiet[7] = 0.0  # the second Monday, 2026-03-09, was a holiday
    seed = _days((None, "2026-03-09", "closed", None))
    ordinary = _daily(daily_history(WEEK * 4))["contacts_offered_forecast"]
    left_out = _daily(daily_history(quiet), special_days=seed)
    # left out, the holiday's week counts its Monday as the other Mondays' mean:
    # every week totals 280 with the same shares, so the forecast is WEEK
    assert left_out["contacts_offered_forecast"].tolist() == pytest.approx(WEEK)
    assert left_out["contacts_offered_forecast"].tolist() == pytest.approx(
        ordinary.tolist()
    )
    # not left out, the 0 pulls the Monday down and shifts every share
    kept = _daily(daily_history(quiet))["contacts_offered_forecast"].to_numpy()
    assert kept[0] < 10.0
    assert not np.allclose(kept[1:], WEEK[1:])
    # whatever the holiday's count was, it does not matter once left out
    busy = WEEK * 4
    busy[7] = 500.0
    pd.testing.assert_frame_equal(
        _daily(daily_history(busy), special_days=seed), left_out
    )
    # a seed row of another queue does not apply
    other = _daily(
        daily_history(quiet), special_days=_days(("q2", "2026-03-09", "closed", None))
    )
    assert other["contacts_offered_forecast"].to_numpy()[0] < 10.0


def test_the_backtest_leaves_a_past_holiday_out_of_its_scale() -> None:
    quiet = WEEK * 6
    quiet[7] = 0.0
    seed = _days((None, "2026-03-09", "closed", None))
    options = {"timezone": "UTC", "interval_minutes": 1440, "origins": 2}
    with_seed = backtest(daily_history(quiet), special_days=seed, **options)
    busy = WEEK * 6
    busy[7] = 500.0
    same = backtest(daily_history(busy), special_days=seed, **options)
    pd.testing.assert_frame_equal(with_seed, same)
    assert with_seed.loc[0, "wape"] == pytest.approx(0.0)
    # left in, the holiday is an error of the seasonal naive in the scale
    assert backtest(daily_history(quiet), **options).loc[0, "wape"] > 0.0


def test_a_queue_row_wins_over_an_every_queue_row() -> None:
    out = _daily(
        daily_history(WEEK * 4),
        special_days=_days(
            (None, "2026-03-30", "closed", None),
            ("q1", "2026-03-30", "like_weekday", "saturday"),
        ),
    )
    assert out.loc[0, "contacts_offered_forecast"] == pytest.approx(60.0)
    assert out.loc[0, "special_day_kind"] == "like_weekday"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(None, "2026-03-30", "holiday", None)], "day_kind` in row 0 must be one of"),
        ([(None, "2026-03-30", "like_weekday", "sun")], "must be a weekday name"),
        ([(None, "2026-03-30", "like_weekday", None)], "must be a weekday name"),
        ([(None, "2026-03-30", "closed", "sunday")], "must be empty for a closed"),
        ([(None, "30/03/2026x", "closed", None)], "`local_date` in row 0"),
        ([(None, None, "closed", None)], "`local_date` in row 0"),
        ([(None, "2026-03-30 09:00", "closed", None)], "without a time"),
        (
            [("q1", "2026-03-30", "closed", None)] * 2,
            "'q1' (None: every queue) on 2026-03-30 twice, in rows [0, 1]",
        ),
    ],
)
def test_bad_special_days_are_named(
    rows: list[tuple[str | None, str | None, str, str | None]], message: str
) -> None:
    with pytest.raises(ValueError) as error:
        _daily(daily_history(WEEK * 4), special_days=_days(*rows))
    assert message in str(error.value)


def test_a_special_days_frame_needs_its_columns() -> None:
    with pytest.raises(ValueError, match=r"missing column\(s\) \['like_weekday'\]"):
        prepare_special_days(
            pd.DataFrame(
                {
                    "queue_id": [None],
                    "local_date": ["2026-03-30"],
                    "day_kind": ["closed"],
                }
            )
        )


def _new_york_history() -> pd.DataFrame:
    """Three weeks from Monday 2026-02-09 in New York, half-hourly: 3 contacts an
    interval on Saturdays, 1 on Sundays, 2 on the other days."""
    grid = local_intervals(
        dt.date(2026, 2, 9), 21, timezone="America/New_York", interval_minutes=30
    )
    weekday = grid["interval_start_local_at"].dt.day_of_week
    offered = np.select([weekday == 5, weekday == 6], [3.0, 1.0], 2.0)
    return grid.assign(
        queue_id="q1",
        contacts_offered=offered,
        contacts_answered=offered,
        handle_time_seconds=300.0 * offered,
    )


@pytest.mark.parametrize(("kind", "like", "expected"), [
    ("like_weekday", "saturday", 3.0),
    ("closed", None, 0.0),
])  # fmt: skip
def test_a_special_spring_forward_day_keeps_its_46_intervals(
    kind: str, like: str | None, expected: float
) -> None:
    out = forecast_intervals(
        _new_york_history(),
        timezone="America/New_York",
        horizon_weeks=1,
        special_days=_days((None, "2026-03-08", kind, like)),
    )
    day = out[out["interval_date"] == pd.Timestamp("2026-03-08")]
    assert len(day) == 46
    assert day["contacts_offered_forecast"].to_numpy() == pytest.approx(expected)
    assert (day["special_day_kind"] == kind).all()
    saturday = out[out["interval_date"] == pd.Timestamp("2026-03-07")]
    assert saturday["contacts_offered_forecast"].to_numpy() == pytest.approx(3.0)


def test_the_queue_functions_pass_the_special_days_on() -> None:
    history = daily_history(WEEK * 5).assign(timezone="UTC")
    seed = _days((None, "2026-04-06", "closed", None))
    out = forecast_queues(
        history, horizon_weeks=1, interval_minutes=1440, special_days=seed
    )
    assert out.loc[0, "contacts_offered_forecast"] == 0.0
    assert out.loc[0, "special_day_kind"] == "closed"
    scores = backtest_queues(
        history, horizon_weeks=1, interval_minutes=1440, origins=1, special_days=seed
    )
    assert scores.loc[0, "origins"] == 1
    assert scores.loc[0, "wape"] == pytest.approx(0.0)


def test_the_plan_staffs_a_closed_day_with_0_agents() -> None:
    """A whole closed day (0 contacts, no AHT all day) needs no AHT: 0 agents,
    no null reason, where the other days are planned."""
    from opsmart.forecast import staffing_plan

    forecast = _daily(
        daily_history(WEEK * 4),
        special_days=_days((None, "2026-03-31", "closed", None)),
    )
    inputs = forecast.assign(
        patience_seconds=120.0,
        sl_threshold_seconds=20,
        sl_target_rate=0.8,
        shrinkage_rate=0.25,
        agent_cost_per_hour_amount=30.0,
        waiting_cost_per_second_amount=0.01,
        abandon_cost_amount=4.0,
    )
    plan = staffing_plan(inputs, interval_minutes=1440)
    closed = plan[plan["interval_date"] == pd.Timestamp("2026-03-31")].iloc[0]
    for column in ("required_agents", "required_agents_upper_95", "scheduled_agents"):
        assert closed[column] == 0.0
    assert pd.isna(closed["plan_null_reason"])
    assert (plan.drop(index=closed.name)["required_agents"] >= 1).all()
