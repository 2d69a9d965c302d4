"""Bad history or arguments raise a ValueError that names the column, row or
parameter."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from _forecast_history import MONDAY, daily_history

from opsmart.forecast import backtest, forecast_intervals

GOOD = daily_history([10.0] * 21)


def _forecast(history: pd.DataFrame, **options: object) -> pd.DataFrame:
    arguments: dict[str, object] = {"timezone": "UTC", "interval_minutes": 1440}
    arguments.update(options)
    return forecast_intervals(history, **arguments)  # type: ignore[arg-type]


def test_the_good_history_forecasts() -> None:
    assert len(_forecast(GOOD)) == 14


def test_missing_column() -> None:
    with pytest.raises(ValueError, match=r"missing columns \['handle_time_seconds'\]"):
        _forecast(GOOD.drop(columns="handle_time_seconds"))


@pytest.mark.parametrize("value", [-3.0, float("nan"), "many"])
def test_bad_count_names_column_and_row(value: object) -> None:
    history = GOOD.astype({"contacts_offered": object})
    history.loc[5, "contacts_offered"] = value
    with pytest.raises(
        ValueError,
        match=re.escape("`contacts_offered` must be a number >= 0, got ")
        + r".* in row 5 \(queue 'q1', 2026-03-07",
    ):
        _forecast(history)


def test_duplicate_interval_names_both_rows() -> None:
    history = pd.concat([GOOD, GOOD.iloc[[3]]], ignore_index=True)
    with pytest.raises(
        ValueError,
        match=r"twice: queue 'q1' at 2026-03-05 00:00:00 UTC in rows \[3, 21\]",
    ):
        _forecast(history)


def test_start_off_the_interval_grid() -> None:
    history = GOOD.copy()
    history.loc[2, "interval_start_at"] = pd.Timestamp("2026-03-04 00:10")
    with pytest.raises(ValueError, match="`interval_start_at` in row 2"):
        _forecast(history)


def test_unreadable_start() -> None:
    history = GOOD.astype({"interval_start_at": object})
    history.loc[4, "interval_start_at"] = "yesterday"
    with pytest.raises(ValueError, match="`interval_start_at` must be a timestamp"):
        _forecast(history)


def test_too_little_history_names_the_queue() -> None:
    with pytest.raises(ValueError, match="queue 'q1' has 2 complete weeks"):
        _forecast(GOOD.iloc[:20])


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"timezone": "Mars/Olympus"}, "`timezone`"),
        ({"method": "prophet"}, "`method` must be one of"),
        ({"method_options": {"weeks": 2}}, "`method_options` must be options of"),
        ({"method_options": {"level_alpha": 2}}, "`level_alpha`"),
        ({"levels": [0.8, 1.0]}, "`levels`"),
        ({"horizon_weeks": 0}, "`horizon_weeks`"),
        ({"interval_minutes": 7}, "`interval_minutes`"),
    ],
)
def test_bad_arguments(options: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        _forecast(GOOD, **options)


def test_backtest_checks_the_same_history() -> None:
    with pytest.raises(ValueError, match="missing columns"):
        backtest(GOOD.drop(columns="queue_id"), timezone="UTC")


def test_aware_starts_are_read_as_the_same_instants() -> None:
    # a timestamptz column (as DuckDB may hand it over) in any zone is the same
    # history as naive UTC
    aware = GOOD.assign(
        interval_start_at=GOOD["interval_start_at"]
        .dt.tz_localize("UTC")
        .dt.tz_convert("Asia/Seoul")
    )
    pd.testing.assert_frame_equal(_forecast(aware), _forecast(GOOD))


def test_backtest_origin_before_a_queue_starts() -> None:
    # q2 starts on the origin, after three weeks of q1: nothing to forecast from
    early = daily_history([10.0] * 28)
    late = daily_history([10.0] * 7, queue_id="q2")
    late["interval_start_at"] += pd.Timedelta(days=21)
    history = pd.concat([early, late], ignore_index=True)
    origin = MONDAY + dt.timedelta(days=21)
    with pytest.raises(ValueError, match="queue 'q2' has 0 complete weeks"):
        backtest(history, timezone="UTC", interval_minutes=1440, origins=[origin])
