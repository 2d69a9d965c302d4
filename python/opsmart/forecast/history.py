"""The history a forecast reads: its columns, checks, and the weeks-by-slots matrix.

One row per queue x interval, keyed by the UTC instant the interval starts at, as in
``int_queue_intervals_joined`` / ``fct_queue_intervals``. The methods read it as a
matrix per queue and measure: complete local weeks (rows) ending the day before the
forecast starts, by slots of the week (local weekday x local time of day). Weeks are
counted back from the forecast's first day, so slot ``d`` of every week is the same
weekday as day ``d`` of the forecast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from opsmart.forecast.clock import (
    MINUTES_PER_DAY,
    check_interval_minutes,
    epoch_days,
    local_intervals,
    minute_of_day,
    zone,
)

__all__ = [
    "HISTORY_COLUMNS",
    "MEASURES",
    "MIN_HISTORY_WEEKS",
    "day_date",
    "prepare_history",
    "queue_zone",
    "week_slots",
    "weekly_matrices",
]

#: Columns the history must have.
HISTORY_COLUMNS = (
    "queue_id",
    "interval_start_at",
    "contacts_offered",
    "contacts_answered",
    "handle_time_seconds",
)
#: The measures forecast, each on its own (AHT is the ratio of the last two).
MEASURES = ("contacts_offered", "contacts_answered", "handle_time_seconds")
#: Complete weeks a queue needs: two to forecast from, one to measure the errors.
MIN_HISTORY_WEEKS = 3

_EPOCH = dt.date(1970, 1, 1)


def day_date(day: int) -> dt.date:
    """The date of a day counted from 1970-01-01."""
    return _EPOCH + dt.timedelta(days=int(day))


def queue_zone(timezone: str | Mapping[str, str], queue_id: str) -> str:
    """The IANA zone of `queue_id`: `timezone` itself, or its entry for the queue.

    Examples
    --------
    >>> queue_zone("Asia/Seoul", "q1"), queue_zone({"q1": "Europe/Paris"}, "q1")
    ('Asia/Seoul', 'Europe/Paris')
    """
    if isinstance(timezone, str):
        return timezone
    if queue_id not in timezone:
        raise ValueError(f"`timezone` has no zone for queue {queue_id!r}")
    return timezone[queue_id]


def _utc_naive(values: pd.Series) -> pd.Series:
    """UTC instants as naive timestamps (a naive input is read as UTC)."""
    stamps = pd.to_datetime(values, errors="coerce", utc=True)
    return stamps.dt.tz_localize(None)


def prepare_history(
    history: pd.DataFrame,
    *,
    timezone: str | Mapping[str, str],
    interval_minutes: int,
) -> pd.DataFrame:
    """Check the history and add each interval's local start, local day and minute.

    Parameters
    ----------
    history : pandas.DataFrame
        The columns of :data:`HISTORY_COLUMNS`: ``queue_id``, ``interval_start_at``
        (UTC: naive, or aware in any zone), ``contacts_offered``,
        ``contacts_answered`` and ``handle_time_seconds`` (numbers >= 0). An
        interval absent from it had no contacts (the marts carry only intervals
        with contacts or staff).
    timezone : str or mapping of str to str
        IANA time zone of the queues, or of each queue by ``queue_id``.
    interval_minutes : int
        Interval length in minutes.

    Returns
    -------
    pandas.DataFrame
        The history columns (``interval_start_at`` naive UTC, measures float) plus
        ``interval_start_local_at``, ``day`` (local day since 1970-01-01) and
        ``minute`` (of the local day).

    Raises
    ------
    ValueError
        Naming the column and row: a column missing, a measure missing or below 0,
        a queue or start missing, a start that does not begin a local interval, or
        the same queue and start twice.
    """
    if not isinstance(history, pd.DataFrame):
        raise ValueError(f"`history` must be a pandas DataFrame, got {type(history)}")
    missing = [c for c in HISTORY_COLUMNS if c not in history.columns]
    if missing:
        raise ValueError(
            f"`history` is missing columns {missing} (it needs {list(HISTORY_COLUMNS)})"
        )
    check_interval_minutes(interval_minutes)
    frame = history.loc[:, list(HISTORY_COLUMNS)].copy()
    if frame["queue_id"].isna().any():
        row = frame.index[frame["queue_id"].isna()][0]
        raise ValueError(f"`history` column `queue_id` is null in row {row!r}")
    frame["queue_id"] = frame["queue_id"].astype(str)
    starts = _utc_naive(frame["interval_start_at"])
    if starts.isna().any():
        row = frame.index[starts.isna()][0]
        raise ValueError(
            "`history` column `interval_start_at` must be a timestamp, got "
            f"{history.at[row, 'interval_start_at']!r} in row {row!r}"
        )
    frame["interval_start_at"] = starts
    for column in MEASURES:
        values = pd.to_numeric(frame[column], errors="coerce").astype(np.float64)
        bad = ~(np.isfinite(values) & (values >= 0))
        if bad.any():
            row = frame.index[bad.to_numpy()][0]
            raise ValueError(
                f"`history` column `{column}` must be a number >= 0, got "
                f"{history.at[row, column]!r} in row {row!r} (queue "
                f"{frame.at[row, 'queue_id']!r}, {frame.at[row, 'interval_start_at']})"
            )
        frame[column] = values
    duplicated = frame.duplicated(["queue_id", "interval_start_at"], keep=False)
    if duplicated.any():
        rows = list(frame.index[duplicated.to_numpy()][:2])
        raise ValueError(
            f"`history` has the same interval twice: queue "
            f"{frame.at[rows[0], 'queue_id']!r} at "
            f"{frame.at[rows[0], 'interval_start_at']} UTC in rows {rows}"
        )
    local = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    for queue_id, rows in frame.groupby("queue_id", sort=False).groups.items():
        tz = zone(queue_zone(timezone, str(queue_id)))
        instants = pd.DatetimeIndex(starts.loc[rows]).tz_localize("UTC")
        local.loc[rows] = instants.tz_convert(tz).tz_localize(None)
    minute = minute_of_day(local)
    off_grid = (minute % interval_minutes != 0) | (local.dt.second != 0).to_numpy()
    if off_grid.any():
        row = frame.index[off_grid][0]
        raise ValueError(
            f"`history` column `interval_start_at` in row {row!r} "
            f"({frame.at[row, 'interval_start_at']} UTC) does not start a "
            f"{interval_minutes}-minute interval on the wall clock of "
            f"{queue_zone(timezone, frame.at[row, 'queue_id'])}"
        )
    frame["interval_start_local_at"] = local
    frame["day"] = epoch_days(local)
    frame["minute"] = minute
    return frame.reset_index(drop=True)


def week_slots(
    day: NDArray[np.int64],
    minute: NDArray[np.int64],
    *,
    start_day: int,
    interval_minutes: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Week (0 = the week from `start_day`, -1 the one before) and slot of the week
    of intervals given by local day and minute of the day.

    Examples
    --------
    Day 1 of the week, 09:30, in half-hours: slot 48 + 19 = 67; the day before
    `start_day` is the last day of week -1:

    >>> import numpy as np
    >>> week_slots(np.array([101, 99]), np.array([570, 0]), start_day=100,
    ...            interval_minutes=30)
    (array([ 0, -1]), array([ 67, 288]))
    """
    offset = np.asarray(day, dtype=np.int64) - start_day
    per_day = MINUTES_PER_DAY // interval_minutes
    week = offset // 7
    slot = (offset % 7) * per_day + np.asarray(
        minute, dtype=np.int64
    ) // interval_minutes
    return week, slot


def weekly_matrices(
    rows: pd.DataFrame,
    *,
    start_day: int,
    weeks: int,
    timezone: str,
    interval_minutes: int,
) -> dict[str, NDArray[np.float64]]:
    """One queue's `weeks` complete weeks before `start_day`, per measure, as a
    matrix of weeks (oldest first) by slots of the week.

    Parameters
    ----------
    rows : pandas.DataFrame
        One queue's prepared history (:func:`prepare_history`).
    start_day : int
        The forecast's first local day (days since 1970-01-01).
    weeks : int
        Complete weeks to read back from `start_day`.
    timezone : str
        IANA time zone of the queue.
    interval_minutes : int
        As for :func:`prepare_history`.

    Returns
    -------
    dict of str to numpy.ndarray of float64
        Per measure a ``(weeks, 7 * 1440 / interval_minutes)`` matrix. Every
        interval of the local grid is counted, 0 where the history has no row; a
        slot a day did not have (spring forward) is NaN; a slot a day had twice
        (fall back) holds the mean of the two intervals.
    """
    first_day = start_day - 7 * weeks
    grid = local_intervals(
        day_date(first_day),
        7 * weeks,
        timezone=timezone,
        interval_minutes=interval_minutes,
    )
    merged = grid.merge(
        rows.loc[:, ["interval_start_at", *MEASURES]],
        on="interval_start_at",
        how="left",
    )
    local = merged["interval_start_local_at"]
    week, slot = week_slots(
        epoch_days(local),
        minute_of_day(local),
        start_day=start_day,
        interval_minutes=interval_minutes,
    )
    per_week = 7 * MINUTES_PER_DAY // interval_minutes
    cell = (week + weeks) * per_week + slot
    size = weeks * per_week
    counts = np.bincount(cell, minlength=size)
    out: dict[str, NDArray[np.float64]] = {}
    for column in MEASURES:
        sums = np.bincount(
            cell, weights=merged[column].fillna(0.0).to_numpy(), minlength=size
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts > 0, sums / counts, np.nan)
        out[column] = means.reshape(weeks, per_week)
    return out
