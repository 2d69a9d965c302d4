"""Special days (holidays, events): dates whose forecast does not follow their own
weekday's profile.

A special day is left out of the history the profiles, levels, calibration errors
and the backtest's scale are fitted on, so a past holiday does not drag its
weekday down; in the horizon a ``closed`` day is forecast 0 and a
``like_weekday`` day gets the profile of the weekday it names.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

__all__ = [
    "DAY_KINDS",
    "SPECIAL_DAY_COLUMNS",
    "WEEKDAYS",
    "prepare_special_days",
    "queue_special_days",
    "weekday_of",
]

#: Columns of a special-days frame (the seed ``forecast_special_days``).
SPECIAL_DAY_COLUMNS = ("queue_id", "local_date", "day_kind", "like_weekday")
#: ``closed``: forecast 0 contacts (bounds 0, no AHT); ``like_weekday``: forecast
#: with the profile of the weekday in ``like_weekday``.
DAY_KINDS = ("closed", "like_weekday")
#: Weekday names, Monday first (``datetime.date.weekday`` order).
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
#: Days since 1970-01-01 are counted from a Thursday.
_EPOCH_WEEKDAY = dt.date(1970, 1, 1).weekday()


def weekday_of(day: int) -> int:
    """Weekday (0 = Monday) of a local day counted in days since 1970-01-01.

    Examples
    --------
    >>> weekday_of(0), weekday_of(4)
    (3, 0)
    """
    return (day + _EPOCH_WEEKDAY) % 7


def _blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and value.strip() == "")
        or value is pd.NA
        or value is pd.NaT
    )


def prepare_special_days(special_days: pd.DataFrame | None) -> pd.DataFrame:
    """Check a special-days frame and return it as ``queue_id`` (None = every
    queue), ``day`` (local days since 1970-01-01), ``day_kind`` and ``weekday``
    (0 = Monday for ``like_weekday``, -1 for ``closed``).

    Parameters
    ----------
    special_days : pandas.DataFrame or None
        :data:`SPECIAL_DAY_COLUMNS`, one row per (queue or every queue) x local
        date; other columns (a description) are ignored. None: no special days.

    Raises
    ------
    ValueError
        For a missing column, an unreadable or missing date, an unknown
        ``day_kind``, a ``like_weekday`` that is not a weekday name (or one given
        to a ``closed`` day), or the same queue and date twice; naming the row.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.DataFrame({"queue_id": [None], "local_date": ["2026-12-25"],
    ...     "day_kind": ["like_weekday"], "like_weekday": ["Sunday"]})
    >>> prepare_special_days(days)
      queue_id    day      day_kind  weekday
    0     None  20812  like_weekday        6
    """
    out = pd.DataFrame(
        {
            "queue_id": pd.Series(dtype="object"),
            "day": pd.Series(dtype="int64"),
            "day_kind": pd.Series(dtype="object"),
            "weekday": pd.Series(dtype="int64"),
        }
    )
    if special_days is None or special_days.empty:
        return out
    missing = [c for c in SPECIAL_DAY_COLUMNS if c not in special_days.columns]
    if missing:
        raise ValueError(f"`special_days` is missing column(s) {missing}")
    rows = []
    for index, row in special_days.reset_index(drop=True).iterrows():
        queue = None if _blank(row["queue_id"]) else str(row["queue_id"]).strip()
        try:
            if _blank(row["local_date"]):
                raise ValueError("empty")
            date = pd.Timestamp(row["local_date"])
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"`special_days` column `local_date` in row {index} must be a date, "
                f"got {row['local_date']!r}"
            ) from error
        if date != date.normalize():
            raise ValueError(
                f"`special_days` column `local_date` in row {index} must be a date "
                f"without a time, got {row['local_date']!r}"
            )
        kind = row["day_kind"]
        if kind not in DAY_KINDS:
            raise ValueError(
                f"`special_days` column `day_kind` in row {index} must be one of "
                f"{list(DAY_KINDS)}, got {kind!r}"
            )
        like = row["like_weekday"]
        if kind == "like_weekday":
            name = str(like).strip().lower() if not _blank(like) else ""
            if name not in WEEKDAYS:
                raise ValueError(
                    f"`special_days` column `like_weekday` in row {index} must be a "
                    f"weekday name ({', '.join(WEEKDAYS)}) for a like_weekday day, "
                    f"got {like!r}"
                )
            weekday = WEEKDAYS.index(name)
        else:
            if not _blank(like):
                raise ValueError(
                    f"`special_days` column `like_weekday` in row {index} must be "
                    f"empty for a closed day, got {like!r}"
                )
            weekday = -1
        day = (date.date() - dt.date(1970, 1, 1)).days
        rows.append(
            {"queue_id": queue, "day": day, "day_kind": kind, "weekday": weekday}
        )
    out = pd.DataFrame(rows).astype({"day": "int64", "weekday": "int64"})
    twice = out.duplicated(subset=["queue_id", "day"], keep=False)
    if twice.any():
        first = out[twice].iloc[0]
        raise ValueError(
            f"`special_days` has queue {first['queue_id']!r} (None: every queue) on "
            f"{dt.date(1970, 1, 1) + dt.timedelta(days=int(first['day']))} twice, "
            f"in rows {list(out.index[twice])}"
        )
    return out


def queue_special_days(
    prepared: pd.DataFrame, queue_id: str
) -> dict[int, tuple[str, int]]:
    """One queue's special days: local day -> (day_kind, weekday); a row of the
    queue wins over a row for every queue on the same date.

    Examples
    --------
    >>> import pandas as pd
    >>> days = prepare_special_days(pd.DataFrame({"queue_id": [None, "q1"],
    ...     "local_date": ["1970-01-02", "1970-01-02"],
    ...     "day_kind": ["closed", "like_weekday"], "like_weekday": [None, "monday"]}))
    >>> queue_special_days(days, "q1"), queue_special_days(days, "q2")
    ({1: ('like_weekday', 0)}, {1: ('closed', -1)})
    """
    out: dict[int, tuple[str, int]] = {}
    for only_queue in (False, True):
        mine = (
            prepared["queue_id"].isna()
            if not only_queue
            else (prepared["queue_id"] == queue_id)
        )
        for day, kind, weekday in prepared.loc[
            mine, ["day", "day_kind", "weekday"]
        ].itertuples(index=False):
            out[int(day)] = (str(kind), int(weekday))
    return out
