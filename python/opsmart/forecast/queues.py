"""The forecast and its backtest over every queue of a warehouse, as the dbt models
call them: a queue with too little history is left out of the call and reported
with a reason, so one new queue never fails the night.

The history carries each queue's zone in a ``timezone`` column (the catalog's), so
the DuckDB Python models and their Spark table functions hand over one frame.
Every queue is forecast from the same first day: the local day after the last day
of the whole history (one queue closed on the last day is still forecast from it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from opsmart.forecast.clock import local_intervals
from opsmart.forecast.history import (
    HISTORY_COLUMNS,
    MIN_HISTORY_WEEKS,
    day_date,
    prepare_history,
)
from opsmart.forecast.pipeline import (
    DEFAULT_LEVELS,
    backtest,
    forecast_intervals,
    level_label,
)

__all__ = [
    "FORECAST_NULL_REASONS",
    "QUEUE_HISTORY_COLUMNS",
    "backtest_columns",
    "backtest_queues",
    "forecast_columns",
    "forecast_queues",
]

#: Columns the models hand over: the history plus the queue's IANA zone.
QUEUE_HISTORY_COLUMNS = (*HISTORY_COLUMNS, "timezone")
#: Why a queue has no forecast or no backtest scores, the first that applies:
#: no interval in the history at all (set by the report, which lists every
#: catalog queue), fewer complete weeks than MIN_HISTORY_WEEKS (no forecast), or
#: too few for one backtest origin (forecast, not scored).
FORECAST_NULL_REASONS = (
    "no_history",
    "too_little_history",
    "too_little_history_to_backtest",
)


def forecast_columns(levels: Sequence[float] = DEFAULT_LEVELS) -> list[str]:
    """The columns of :func:`forecast_queues` (those of ``forecast_intervals``)."""
    labels = [level_label(float(level)) for level in levels]
    return [
        "queue_id",
        "forecast_method",
        "horizon_week",
        "contacts_offered_forecast",
        *[f"contacts_offered_{side}_{label}" for label in labels
          for side in ("lower", "upper")],
        "contacts_answered_forecast",
        "aht_seconds_forecast",
        *[f"aht_seconds_{side}_{label}" for label in labels
          for side in ("lower", "upper")],
        "special_day_kind",
        "interval_date",
        "interval_start_local_at",
        "interval_start_at",
    ]  # fmt: skip


def backtest_columns(levels: Sequence[float] = DEFAULT_LEVELS) -> list[str]:
    """The columns of :func:`backtest_queues`."""
    return [
        "queue_id",
        "forecast_method",
        "history_weeks",
        "is_forecast",
        "origins",
        "intervals",
        "contacts_offered",
        "wape",
        "mase",
        *[f"coverage_rate_{level_label(float(level))}" for level in levels],
        "forecast_null_reason",
    ]


def _typed_empty(columns: Sequence[str]) -> pd.DataFrame:
    """No rows, but each column typed (text, whole numbers, flags, instants,
    measures), so a warehouse reading the frame types its columns as on other days."""
    text = {"queue_id", "forecast_method", "forecast_null_reason", "special_day_kind"}
    whole = {"horizon_week", "history_weeks", "origins"}
    kinds = {
        name: "str" if name in text
        else "int64" if name in whole
        else "bool" if name.startswith("is_")
        else "datetime64[ns]" if name.startswith("interval_") and name != "intervals"
        else "float64"
        for name in columns
    }  # fmt: skip
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in kinds.items()})


def _zones(history: pd.DataFrame) -> dict[str, str]:
    """queue -> zone from the ``timezone`` column (one zone per queue)."""
    if "timezone" not in history.columns:
        raise ValueError("`history` is missing column `timezone` (the queue's zone)")
    pairs = history.loc[:, ["queue_id", "timezone"]].drop_duplicates()
    if pairs["timezone"].isna().any() or pairs["queue_id"].duplicated().any():
        raise ValueError("`history` column `timezone` must be one zone per queue")
    return {
        str(q): str(z)
        for q, z in zip(pairs["queue_id"], pairs["timezone"], strict=True)
    }


def _history_weeks(
    history: pd.DataFrame, zones: Mapping[str, str], interval_minutes: int
) -> tuple[pd.Series, int]:
    """Complete local weeks of each queue before the forecast's first day (the day
    after the history's last local day), and that day (days since 1970-01-01)."""
    rows = prepare_history(history, timezone=zones, interval_minutes=interval_minutes)
    first_day = rows.groupby("queue_id")["day"].min()
    end_day = int(rows["day"].max()) + 1
    return ((end_day - first_day) // 7).astype(np.int64), end_day


def forecast_queues(
    history: pd.DataFrame,
    *,
    method: str = "exponential_smoothing",
    horizon_weeks: int = 2,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int = 30,
    method_options: Mapping[str, Any] | None = None,
    special_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """:func:`~opsmart.forecast.forecast_intervals` of every queue with enough
    history, all from the day after the history's last local day.

    Parameters
    ----------
    history : pandas.DataFrame
        :data:`QUEUE_HISTORY_COLUMNS`: the forecast's history plus ``timezone``,
        the queue's IANA zone.
    method, horizon_weeks, levels, interval_minutes, method_options, special_days
        As for :func:`~opsmart.forecast.forecast_intervals`.

    Returns
    -------
    pandas.DataFrame
        The forecast's rows (:func:`forecast_columns`) of the queues with at least
        :data:`~opsmart.forecast.MIN_HISTORY_WEEKS` complete weeks; none (the
        columns only) for an empty history or when no queue has them. The queues
        left out are those :func:`backtest_queues` reports ``too_little_history``.

    Raises
    ------
    ValueError
        As :func:`~opsmart.forecast.forecast_intervals` for bad history or
        options, or a queue with no zone or two.
    """
    columns = forecast_columns(levels)
    if history.empty:
        return _typed_empty(columns)
    zones = _zones(history)
    weeks, end_day = _history_weeks(history, zones, interval_minutes)
    kept = weeks.index[weeks >= MIN_HISTORY_WEEKS]
    if kept.empty:
        return _typed_empty(columns)
    out = forecast_intervals(
        history.loc[history["queue_id"].astype(str).isin(kept), list(HISTORY_COLUMNS)],
        timezone=zones,
        method=method,
        horizon_weeks=horizon_weeks,
        levels=levels,
        interval_minutes=interval_minutes,
        start=day_date(end_day),
        method_options=method_options,
        special_days=special_days,
    )
    return out.loc[:, columns]


def _padded_to(
    rows: pd.DataFrame, end_day: int, zones: Mapping[str, str], interval_minutes: int
) -> pd.DataFrame:
    """`rows` with a zero row at the first interval of local day `end_day - 1` for
    its first queue: an absent row counts 0 contacts, so nothing changes but where
    the backtest sees the history end (the whole history's end, not these queues')."""
    queue_id = str(rows["queue_id"].iloc[0])
    last = local_intervals(
        day_date(end_day - 1),
        1,
        timezone=zones[queue_id],
        interval_minutes=interval_minutes,
    )["interval_start_at"].iloc[0]
    starts = pd.to_datetime(rows["interval_start_at"], utc=True).dt.tz_localize(None)
    if ((rows["queue_id"].astype(str) == queue_id) & (starts == last)).any():
        return rows
    zero = {"queue_id": queue_id, "interval_start_at": last}
    zero |= {c: 0.0 for c in HISTORY_COLUMNS[2:]}
    return pd.concat(
        [rows.assign(interval_start_at=starts), pd.DataFrame([zero])],
        ignore_index=True,
    )


def backtest_queues(
    history: pd.DataFrame,
    *,
    method: str = "exponential_smoothing",
    origins: int = 4,
    horizon_weeks: int = 2,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int = 30,
    method_options: Mapping[str, Any] | None = None,
    special_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each queue's weeks of history, whether it is forecast, and its
    rolling-origin backtest on as many of the last `origins` weekly origins as its
    history allows.

    Parameters
    ----------
    history : pandas.DataFrame
        As for :func:`forecast_queues`.
    origins : int, default 4
        Weekly origins scored at most: those whose `horizon_weeks` end with the
        whole history (the forecast's first day), latest first; a queue gets the
        ones with :data:`~opsmart.forecast.MIN_HISTORY_WEEKS` complete weeks
        before them.
    method, horizon_weeks, levels, interval_minutes, method_options, special_days
        As for :func:`~opsmart.forecast.backtest`.

    Returns
    -------
    pandas.DataFrame
        One row per queue of `history` (:func:`backtest_columns`):
        ``history_weeks`` (complete local weeks before the forecast's first day),
        ``is_forecast``, ``origins`` scored (0: none), and, where scored, the
        backtest's ``intervals``, ``contacts_offered``, ``wape``, ``mase`` and
        ``coverage_rate_<L>``; ``forecast_null_reason`` says why a queue has no
        forecast (``too_little_history``) or no scores
        (``too_little_history_to_backtest``), null otherwise.

    Raises
    ------
    ValueError
        As :func:`forecast_queues`, or for `origins` below 1.

    Notes
    -----
    A queue with ``w`` complete weeks is scored on ``min(origins, w -
    MIN_HISTORY_WEEKS - horizon_weeks + 1)`` origins, so a young queue is scored
    on its few latest weeks rather than not at all.
    """
    if isinstance(origins, bool) or not isinstance(origins, int) or origins < 1:
        raise ValueError(f"`origins` must be a whole number >= 1, got {origins!r}")
    columns = backtest_columns(levels)
    if history.empty:
        return _typed_empty(columns)
    zones = _zones(history)
    weeks, end_day = _history_weeks(history, zones, interval_minutes)
    scored = np.minimum(origins, weeks - MIN_HISTORY_WEEKS - horizon_weeks + 1)
    out = pd.DataFrame(
        {
            "queue_id": weeks.index.astype(str),
            "forecast_method": method,
            "history_weeks": weeks.to_numpy(),
            "is_forecast": (weeks >= MIN_HISTORY_WEEKS).to_numpy(),
            "origins": np.maximum(scored, 0).to_numpy(),
        }
    )
    # text even when every queue has both (a column of None would be untyped)
    reason = pd.Series(None, index=out.index, dtype="str")
    reason[out["origins"] == 0] = "too_little_history_to_backtest"
    reason[~out["is_forecast"]] = "too_little_history"
    out["forecast_null_reason"] = reason
    queue_ids = history["queue_id"].astype(str)
    frames = []
    for count, group in out[out["origins"] > 0].groupby("origins"):
        first_origin = end_day - 7 * horizon_weeks - 7 * (int(count) - 1)
        rows = history.loc[queue_ids.isin(group["queue_id"]), list(HISTORY_COLUMNS)]
        frames.append(
            backtest(
                _padded_to(rows, end_day, zones, interval_minutes),
                timezone=zones,
                method=method,
                origins=[day_date(first_origin + 7 * j) for j in range(int(count))],
                horizon_weeks=horizon_weeks,
                levels=levels,
                interval_minutes=interval_minutes,
                method_options=method_options,
                special_days=special_days,
            ).drop(columns=["forecast_method", "origins"])
        )
    if frames:
        out = out.merge(pd.concat(frames), on="queue_id", how="left")
    return out.reindex(columns=columns).sort_values("queue_id", ignore_index=True)
