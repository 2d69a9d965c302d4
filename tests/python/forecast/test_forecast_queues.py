"""The entry points of the dbt models: every queue of a warehouse in one call, a
queue with too little history left out of the forecast and reported with its
reason, never failing the call; checked against the core functions called by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _forecast_history import grid_history

from opsmart.forecast import (
    MIN_HISTORY_WEEKS,
    backtest,
    backtest_queues,
    forecast_intervals,
    forecast_queues,
)
from opsmart.forecast.queues import backtest_columns, forecast_columns

END = dt.date(2026, 4, 6)  # a Monday: the forecast's first day


def _queue(
    queue_id: str,
    weeks: int,
    *,
    timezone: str = "UTC",
    seed: int = 0,
    days_short: int = 0,
) -> pd.DataFrame:
    """`weeks` whole local weeks ending the day before END, less `days_short` days
    at the end (a queue closed on the last days), Poisson(3) contacts."""
    days = 7 * weeks - days_short
    first = END - dt.timedelta(days=7 * weeks)
    grid = grid_history(first, days, 0.0, timezone=timezone, queue_id=queue_id)
    counts = np.random.default_rng(seed).poisson(3.0, len(grid)).astype(float)
    return grid.assign(
        contacts_offered=counts,
        contacts_answered=counts,
        handle_time_seconds=300.0 * counts,
        timezone=timezone,
    )[
        [
            "queue_id",
            "interval_start_at",
            "contacts_offered",
            "contacts_answered",
            "handle_time_seconds",
            "timezone",
        ]
    ]


def _core(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["timezone"])


def test_a_short_queue_is_left_out_and_the_rest_are_the_core_forecast() -> None:
    """A queue with 2 weeks is not forecast; the others get exactly what
    forecast_intervals gives them (each in its own zone), from the day after the
    whole history, even for a queue closed on the last day."""
    long = _queue("long", 5, timezone="America/New_York", seed=1)
    closed = _queue("closed", 4, seed=2, days_short=1)
    short = _queue("short", MIN_HISTORY_WEEKS - 1, seed=3)
    out = forecast_queues(pd.concat([long, closed, short]), horizon_weeks=1)
    assert list(out.columns) == forecast_columns()
    assert sorted(out["queue_id"].unique()) == ["closed", "long"]
    for queue, zone in [(long, "America/New_York"), (closed, "UTC")]:
        expected = forecast_intervals(
            _core(queue), timezone=zone, horizon_weeks=1, start=END
        )
        got = out[out["queue_id"] == queue["queue_id"].iloc[0]]
        pd.testing.assert_frame_equal(
            got.reset_index(drop=True), expected[got.columns].reset_index(drop=True)
        )
    assert out["interval_date"].min() == pd.Timestamp(END)


def test_no_queue_with_enough_history_gives_no_rows_not_an_error() -> None:
    short = _queue("short", 1)
    for history in (short, short.iloc[:0]):
        out = forecast_queues(history)
        assert out.empty
        assert list(out.columns) == forecast_columns()
        # typed, so the warehouse types the table as on other nights
        assert out.dtypes["horizon_week"] == np.int64
        assert pd.api.types.is_string_dtype(out.dtypes["queue_id"])
        assert pd.api.types.is_datetime64_dtype(out.dtypes["interval_start_at"])
    assert list(backtest_queues(short.iloc[:0]).columns) == backtest_columns()
    scored = backtest_queues(_queue("q6", 6), horizon_weeks=1)
    assert scored["forecast_null_reason"].isna().all()
    assert pd.api.types.is_string_dtype(scored.dtypes["forecast_null_reason"])


def test_backtest_reports_every_queue_with_its_reason() -> None:
    """Every queue gets a row: too little history to forecast, forecast but too
    little to score (3 weeks + a 2-week horizon need 5), or scored on as many
    origins as its weeks allow, up to `origins`."""
    history = pd.concat(
        [
            _queue("q8", 8, seed=1),
            _queue("q6", 6, seed=2),
            _queue("q4", 4, seed=3),
            _queue("q2", 2, seed=4),
        ]
    )
    out = backtest_queues(history, origins=3, horizon_weeks=2).set_index("queue_id")
    assert out.loc[["q2", "q4", "q6", "q8"], "history_weeks"].tolist() == [2, 4, 6, 8]
    assert out["is_forecast"].tolist() == [False, True, True, True]
    assert out["origins"].tolist() == [0, 0, 2, 3]
    assert out["forecast_null_reason"].tolist()[:2] == [
        "too_little_history",
        "too_little_history_to_backtest",
    ]
    assert out["forecast_null_reason"].iloc[2:].isna().all()
    assert out.loc[["q2", "q4"], "wape"].isna().all()


def test_backtest_scores_are_the_core_backtest_on_the_same_origins() -> None:
    """A queue scored on fewer origins, and closed on the last day (so its own
    history ends earlier), is scored on the whole history's last origins, as the
    core backtest scores it beside a queue that has the last day."""
    full = _queue("full", 7, seed=5)
    closed = _queue("closed", 6, seed=6, days_short=1)
    out = backtest_queues(pd.concat([full, closed]), origins=4, horizon_weeks=1)
    out = out.set_index("queue_id")
    assert out.loc[["closed", "full"], "origins"].tolist() == [3, 4]
    origins = [END - dt.timedelta(days=7 * j) for j in (3, 2, 1)]
    expected = backtest(
        _core(pd.concat([full, closed])),
        timezone="UTC",
        origins=origins,
        horizon_weeks=1,
    ).set_index("queue_id")
    for column in [
        "intervals",
        "contacts_offered",
        "wape",
        "mase",
        "coverage_rate_50",
        "coverage_rate_80",
        "coverage_rate_95",
    ]:
        assert out.loc["closed", column] == pytest.approx(
            expected.loc["closed", column]
        )
    assert out.loc["full", "intervals"] == 4 * 7 * 48


def test_the_zone_is_one_per_queue() -> None:
    history = _queue("q1", 3)
    with pytest.raises(ValueError, match="`timezone`"):
        forecast_queues(history.drop(columns=["timezone"]))
    history.loc[history.index[0], "timezone"] = "Europe/Paris"
    with pytest.raises(ValueError, match="one zone per queue"):
        backtest_queues(history)
