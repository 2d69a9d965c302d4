"""The local interval grid: every interval a day has on the wall clock of a zone.

An interval is keyed by the UTC instant it starts at (``interval_start_at``, as in
the marts) and labelled by its local wall-clock start (``interval_start_local_at``).
The grid steps in elapsed time from each local midnight, so a spring-forward day has
fewer intervals (no 02:00 or 02:30 in America/New_York) and a fall-back day more
(two 01:00 and two 01:30, with different UTC starts).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = [
    "MINUTES_PER_DAY",
    "check_interval_minutes",
    "epoch_days",
    "local_intervals",
    "minute_of_day",
    "zone",
]

MINUTES_PER_DAY = 1440


def zone(timezone: str) -> ZoneInfo:
    """Return the IANA zone `timezone`, or raise ValueError naming it."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(
            f"`timezone` must be an IANA time zone, got {timezone!r}"
        ) from error


def check_interval_minutes(interval_minutes: int) -> int:
    """Return `interval_minutes` checked to divide a day into whole intervals."""
    if (
        isinstance(interval_minutes, bool)
        or not isinstance(interval_minutes, int)
        or interval_minutes <= 0
        or MINUTES_PER_DAY % interval_minutes
    ):
        raise ValueError(
            "`interval_minutes` must be a whole number of minutes that divides a "
            f"day (15, 30, 60, ...), got {interval_minutes!r}"
        )
    return interval_minutes


def _utc_midnight(day: dt.date, tz: ZoneInfo) -> pd.Timestamp:
    """The UTC instant of local midnight of `day` (the first instant of the day where
    a DST change skips midnight)."""
    local = pd.DatetimeIndex([pd.Timestamp(day)]).tz_localize(
        tz, nonexistent="shift_forward", ambiguous=np.array([True])
    )
    return pd.Timestamp(local[0]).tz_convert("UTC")


def local_intervals(
    first_date: dt.date, days: int, *, timezone: str, interval_minutes: int = 30
) -> pd.DataFrame:
    """Every interval of `days` local days from `first_date` on the wall clock of
    `timezone`.

    Parameters
    ----------
    first_date : datetime.date
        The first local day.
    days : int
        Number of consecutive local days, >= 0.
    timezone : str
        IANA time zone of the queue (``America/New_York``).
    interval_minutes : int, default 30
        Interval length in minutes; divides a day.

    Returns
    -------
    pandas.DataFrame
        One row per interval in time order: ``interval_start_at`` (UTC, naive),
        ``interval_start_local_at`` (local wall clock, naive) and ``interval_date``
        (the local day, a naive midnight).

    Raises
    ------
    ValueError
        If `timezone` is not a known zone, `days` is negative or
        `interval_minutes` does not divide a day.

    Notes
    -----
    The grid steps `interval_minutes` of elapsed time from each local midnight to
    the next, the way the marts' ``interval_start`` macro buckets instants: a day
    has 48 half-hours, 46 on a spring-forward day and 50 on a fall-back day (one
    hour shifts). The two 01:00 intervals of a fall-back night share their local
    label and differ in their UTC start.

    Examples
    --------
    >>> import datetime as dt
    >>> spring = local_intervals(
    ...     dt.date(2026, 3, 8), 1, timezone="America/New_York"
    ... )
    >>> len(spring), spring["interval_start_local_at"].dt.hour.eq(2).any()
    (46, np.False_)
    >>> fall = local_intervals(dt.date(2026, 11, 1), 1, timezone="America/New_York")
    >>> len(fall)
    50
    >>> print(fall.iloc[2:6].to_string(index=False))
      interval_start_at interval_start_local_at interval_date
    2026-11-01 05:00:00     2026-11-01 01:00:00    2026-11-01
    2026-11-01 05:30:00     2026-11-01 01:30:00    2026-11-01
    2026-11-01 06:00:00     2026-11-01 01:00:00    2026-11-01
    2026-11-01 06:30:00     2026-11-01 01:30:00    2026-11-01
    """
    tz = zone(timezone)
    check_interval_minutes(interval_minutes)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"`days` must be a whole number >= 0, got {days!r}")
    begin = _utc_midnight(first_date, tz)
    end = _utc_midnight(first_date + dt.timedelta(days=days), tz)
    starts = pd.date_range(
        begin, end, freq=pd.Timedelta(minutes=interval_minutes), inclusive="left"
    )
    local = starts.tz_convert(tz).tz_localize(None)
    return pd.DataFrame(
        {
            "interval_start_at": starts.tz_localize(None),
            "interval_start_local_at": local,
            "interval_date": local.normalize(),
        }
    )


def epoch_days(local: pd.Series | pd.DatetimeIndex) -> NDArray[np.int64]:
    """Local days of naive local timestamps as whole days since 1970-01-01."""
    values = pd.DatetimeIndex(local).to_numpy(dtype="datetime64[ns]")
    out: NDArray[np.int64] = values.astype("datetime64[D]").astype(np.int64)
    return out


def minute_of_day(local: pd.Series | pd.DatetimeIndex) -> NDArray[np.int64]:
    """Minutes past local midnight of naive local timestamps."""
    index = pd.DatetimeIndex(local)
    out: NDArray[np.int64] = (index.hour * 60 + index.minute).to_numpy(np.int64)
    return out
