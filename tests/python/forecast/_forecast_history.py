"""Small histories for the forecast tests, built from plain lists and matrices."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from opsmart.forecast import local_intervals

#: A Monday: every fixture's weeks start on it.
MONDAY = dt.date(2026, 3, 2)


def daily_history(
    offered: ArrayLike, *, aht_seconds: ArrayLike = 300.0, queue_id: str = "q1"
) -> pd.DataFrame:
    """One interval a day (``interval_minutes=1440``) in UTC from MONDAY: day i has
    ``offered[i]`` contacts offered, all answered, at ``aht_seconds[i]`` each."""
    counts = np.asarray(offered, dtype=float).ravel()
    aht = np.broadcast_to(np.asarray(aht_seconds, dtype=float).ravel(), counts.shape)
    return pd.DataFrame(
        {
            "queue_id": queue_id,
            "interval_start_at": pd.date_range(MONDAY, periods=counts.size, freq="D"),
            "contacts_offered": counts,
            "contacts_answered": counts,
            "handle_time_seconds": counts * aht,
        }
    )


def grid_history(
    first: dt.date,
    days: int,
    counts: ArrayLike,
    *,
    timezone: str,
    interval_minutes: int = 30,
    queue_id: str = "q1",
) -> pd.DataFrame:
    """Every interval of `days` local days from `first`, with `counts` offered (one
    per interval, in grid order), all answered at 300 s."""
    grid = local_intervals(
        first, days, timezone=timezone, interval_minutes=interval_minutes
    )
    offered = np.broadcast_to(np.asarray(counts, dtype=float), (len(grid),))
    return grid.assign(
        queue_id=queue_id,
        contacts_offered=offered,
        contacts_answered=offered,
        handle_time_seconds=300.0 * offered,
    )
