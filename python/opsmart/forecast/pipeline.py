"""Interval forecasts with prediction intervals, and their rolling-origin backtest.

The two functions a dbt Python model calls: :func:`forecast_intervals` (per queue x
local interval of the coming weeks) and :func:`backtest` (per queue: WAPE, MASE,
coverage).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from opsmart.forecast.clock import epoch_days, local_intervals, minute_of_day
from opsmart.forecast.history import (
    MEASURES,
    MIN_HISTORY_WEEKS,
    day_date,
    prepare_history,
    queue_zone,
    week_slots,
    weekly_matrices,
)
from opsmart.forecast.methods import method_function
from opsmart.forecast.metrics import seasonal_naive_scale, wape
from opsmart.forecast.special_days import (
    prepare_special_days,
    queue_special_days,
    weekday_of,
)
from opsmart.forecast.uncertainty import (
    aht_bounds,
    count_bounds,
    fit_aht_variance,
    fit_count_variance,
)

__all__ = ["DEFAULT_LEVELS", "backtest", "forecast_intervals", "level_label"]

#: Coverage of the prediction intervals by default.
DEFAULT_LEVELS = (0.5, 0.8, 0.95)
#: Weeks a calibration forecast is made from, at the least.
_MIN_TRAIN_WEEKS = 2
#: Latest weekly origins whose errors size the prediction intervals.
_CALIBRATION_ORIGINS = 8


def level_label(level: float) -> str:
    """The suffix of a level's columns: 0.8 -> ``80``, 0.975 -> ``97_5``.

    Examples
    --------
    >>> level_label(0.8), level_label(0.975)
    ('80', '97_5')
    """
    return f"{round(level * 100, 6):g}".replace(".", "_")


@dataclass(frozen=True)
class _Settings:
    method: str
    function: Callable[..., NDArray[np.float64]]
    options: Mapping[str, Any]
    horizon_weeks: int
    levels: tuple[float, ...]
    timezone: str | Mapping[str, str]
    interval_minutes: int


def _settings(
    method: str,
    method_options: Mapping[str, Any] | None,
    horizon_weeks: int,
    levels: Sequence[float],
    timezone: str | Mapping[str, str],
    interval_minutes: int,
) -> _Settings:
    function = method_function(method)
    if (
        isinstance(horizon_weeks, bool)
        or not isinstance(horizon_weeks, int)
        or horizon_weeks < 1
    ):
        raise ValueError(
            f"`horizon_weeks` must be a whole number >= 1, got {horizon_weeks!r}"
        )
    checked = tuple(float(level) for level in levels)
    if not checked or any(not 0.0 < level < 1.0 for level in checked):
        raise ValueError(f"`levels` must be fractions in (0, 1), got {levels!r}")
    options = dict(method_options or {})
    # a bad option fails here, naming itself, before any history is read
    try:
        function(np.ones((1, 1)), **options)
    except TypeError as error:
        raise ValueError(
            f"`method_options` must be options of {method!r}, got {options}: {error}"
        ) from error
    return _Settings(
        method, function, options, horizon_weeks, checked, timezone, interval_minutes
    )


def _aht(
    handle: NDArray[np.float64], answered: NDArray[np.float64]
) -> NDArray[np.float64]:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: NDArray[np.float64] = np.where(answered > 0, handle / answered, np.nan)
    return out


def _point(
    matrices: Mapping[str, NDArray[np.float64]], settings: _Settings
) -> dict[str, NDArray[np.float64]]:
    return {
        column: settings.function(matrices[column], **settings.options)
        for column in MEASURES
    }


def _variances(
    matrices: Mapping[str, NDArray[np.float64]], settings: _Settings
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Fit the count and AHT variances on the errors of forecasts from the latest
    weekly origins inside the history, every horizon up to `horizon_weeks` pooled."""
    weeks = matrices["contacts_offered"].shape[0]
    pairs: dict[str, list[NDArray[np.float64]]] = {
        k: [] for k in ("f", "y", "aht_f", "aht_y", "answered")
    }
    first = max(_MIN_TRAIN_WEEKS, weeks - _CALIBRATION_ORIGINS)
    for origin in range(first, weeks):
        train = {k: v[:origin] for k, v in matrices.items()}
        point = _point(train, settings)
        aht = _aht(point["handle_time_seconds"], point["contacts_answered"])
        for week in range(origin, min(origin + settings.horizon_weeks, weeks)):
            pairs["f"].append(point["contacts_offered"])
            pairs["y"].append(matrices["contacts_offered"][week])
            pairs["aht_f"].append(aht)
            answered = matrices["contacts_answered"][week]
            pairs["aht_y"].append(_aht(matrices["handle_time_seconds"][week], answered))
            pairs["answered"].append(answered)
    joined = {k: np.concatenate(v) for k, v in pairs.items()}
    counts = fit_count_variance(joined["f"], joined["y"])
    aht_fit = fit_aht_variance(joined["aht_f"], joined["aht_y"], joined["answered"])
    return counts, aht_fit


def _blank_special_days(
    matrices: dict[str, NDArray[np.float64]],
    special: Mapping[int, tuple[str, int]],
    start_day: int,
    per_day: int,
) -> None:
    """Set the slots of the special days inside the matrices' weeks to NaN (in
    place): a day left out, as a slot a DST day did not have."""
    weeks = matrices["contacts_offered"].shape[0]
    for day in special:
        week = (day - start_day) // 7 + weeks
        if 0 <= week < weeks:
            offset = (day - start_day) % 7
            for matrix in matrices.values():
                matrix[week, offset * per_day : (offset + 1) * per_day] = np.nan


def _forecast_queue(
    queue_id: str,
    rows: pd.DataFrame,
    start_day: int,
    settings: _Settings,
    special: Mapping[int, tuple[str, int]] | None = None,
) -> tuple[pd.DataFrame, dict[str, NDArray[np.float64]]]:
    """One queue's forecast from its rows before `start_day`, and the matrices
    (special days blanked); `special` maps a local day to (day_kind, weekday)."""
    special = special or {}
    weeks = 0 if rows.empty else int((start_day - int(rows["day"].min())) // 7)
    if weeks < MIN_HISTORY_WEEKS:
        raise ValueError(
            f"`history` of queue {queue_id!r} has {max(weeks, 0)} complete weeks "
            f"before {day_date(start_day)}, needs {MIN_HISTORY_WEEKS}"
        )
    matrices = weekly_matrices(
        rows,
        start_day=start_day,
        weeks=weeks,
        timezone=queue_zone(settings.timezone, queue_id),
        interval_minutes=settings.interval_minutes,
    )
    per_day = 1440 // settings.interval_minutes
    _blank_special_days(matrices, special, start_day, per_day)
    point = _point(matrices, settings)
    (dispersion, quadratic), (per_contact, drift) = _variances(matrices, settings)
    future = local_intervals(
        day_date(start_day),
        7 * settings.horizon_weeks,
        timezone=queue_zone(settings.timezone, queue_id),
        interval_minutes=settings.interval_minutes,
    )
    local = future["interval_start_local_at"]
    week, slot = week_slots(
        epoch_days(local),
        minute_of_day(local),
        start_day=start_day,
        interval_minutes=settings.interval_minutes,
    )
    days = epoch_days(local)
    kinds = np.array([special.get(int(d), (None, -1))[0] for d in days], dtype=object)
    like = np.array([special.get(int(d), (None, -1))[1] for d in days])
    # a like_weekday day reads the slots of the weekday it names
    moved = like >= 0
    slot = np.where(
        moved,
        ((like - weekday_of(start_day)) % 7) * per_day + slot % per_day,
        slot,
    )
    closed = kinds == "closed"
    offered = np.where(closed, 0.0, point["contacts_offered"][slot])
    answered = np.where(closed, 0.0, point["contacts_answered"][slot])
    aht = _aht(np.where(closed, 0.0, point["handle_time_seconds"][slot]), answered)
    columns: dict[str, Any] = {
        "queue_id": queue_id,
        "forecast_method": settings.method,
        "horizon_week": week + 1,
        "contacts_offered_forecast": offered,
    }
    for level in settings.levels:
        lower, upper = count_bounds(
            offered, level=level, dispersion=dispersion, quadratic=quadratic
        )
        columns[f"contacts_offered_lower_{level_label(level)}"] = lower
        columns[f"contacts_offered_upper_{level_label(level)}"] = upper
    columns["contacts_answered_forecast"] = answered
    columns["aht_seconds_forecast"] = aht
    for level in settings.levels:
        lower, upper = aht_bounds(
            aht,
            answered,
            level=level,
            per_contact_variance=per_contact,
            drift_variance=drift,
        )
        columns[f"aht_seconds_lower_{level_label(level)}"] = lower
        columns[f"aht_seconds_upper_{level_label(level)}"] = upper
    columns["special_day_kind"] = pd.Series(kinds, index=future.index, dtype=object)
    frame = pd.DataFrame(columns, index=future.index)
    frame = pd.concat([frame, future], axis=1)
    return frame, matrices


def _checked_inputs(
    history: pd.DataFrame,
    special_days: pd.DataFrame | None,
    timezone: str | Mapping[str, str],
    interval_minutes: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The history's rows on the local grid and the checked special days, as
    forecast_intervals and backtest both start; no history is an error."""
    special = prepare_special_days(special_days)
    rows = prepare_history(
        history, timezone=timezone, interval_minutes=interval_minutes
    )
    if rows.empty:
        raise ValueError("`history` must have at least one row, got none")
    return rows, special


def forecast_intervals(
    history: pd.DataFrame,
    *,
    timezone: str | Mapping[str, str],
    method: str = "exponential_smoothing",
    horizon_weeks: int = 2,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int = 30,
    start: dt.date | None = None,
    method_options: Mapping[str, Any] | None = None,
    special_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Forecast offered contacts and AHT per queue x local interval of the coming
    weeks, with prediction intervals.

    Parameters
    ----------
    history : pandas.DataFrame
        One row per queue x interval: ``queue_id``, ``interval_start_at`` (UTC),
        ``contacts_offered``, ``contacts_answered``, ``handle_time_seconds`` (see
        :func:`opsmart.forecast.history.prepare_history`). Each queue needs
        :data:`~opsmart.forecast.history.MIN_HISTORY_WEEKS` complete local weeks
        before `start`.
    timezone : str or mapping of str to str
        IANA time zone of the queues' wall clock, or of each queue by
        ``queue_id`` (the catalog's ``timezone``).
    method : str, default "exponential_smoothing"
        A name in :data:`~opsmart.forecast.methods.METHODS`.
    horizon_weeks : int, default 2
        Weeks to forecast, >= 1.
    levels : sequence of float, default (0.5, 0.8, 0.95)
        Coverages of the prediction intervals, in (0, 1).
    interval_minutes : int, default 30
        Interval length (var ``interval_minutes``).
    start : datetime.date, optional
        First local day forecast; by default the day after the history's last.
        Rows from `start` on are ignored.
    method_options : mapping, optional
        Keyword options of the method (``weeks`` of the seasonal naive;
        ``level_alpha``, ``profile_gamma`` of the exponential smoothing).
    special_days : pandas.DataFrame, optional
        Holidays and event days (:func:`~opsmart.forecast.special_days.
        prepare_special_days`): ``queue_id`` (null = every queue),
        ``local_date``, ``day_kind`` (``closed`` or ``like_weekday``) and
        ``like_weekday``. They are left out of the history the method and the
        intervals are fitted on; in the horizon a closed day is forecast 0
        (bounds 0, no AHT) and a like_weekday day with that weekday's slots.

    Returns
    -------
    pandas.DataFrame
        One row per queue x interval of the local days ``start .. start + 7 *
        horizon_weeks - 1`` (46 on a spring-forward day, 50 on a fall-back day):
        ``queue_id``, ``forecast_method``, ``horizon_week`` (1, 2, ...),
        ``contacts_offered_forecast`` (mean) with ``contacts_offered_lower_<L>``
        and ``_upper_<L>`` per level (``L`` = 50, 80, 95; whole counts >= 0),
        ``contacts_answered_forecast``, ``aht_seconds_forecast`` (forecast handle
        seconds / forecast answered; NaN where nothing is answered) with
        ``aht_seconds_lower_<L>`` / ``_upper_<L>``, ``special_day_kind`` (the
        special day that applied, else None), ``interval_date``,
        ``interval_start_local_at`` and ``interval_start_at`` (UTC).

    Raises
    ------
    ValueError
        For bad history (naming the column and row), an unknown `method` or
        option, a bad `timezone`, `levels` or `horizon_weeks`, or a queue with too
        little history.

    Notes
    -----
    Each measure is forecast per slot of the week (local weekday x wall-clock
    time) by the method; AHT is the ratio of the forecast handle seconds to the
    forecast answered contacts, as the marts' AHT is a ratio of sums (handle time
    of answered contacts / answered). Both intervals of a fall-back hour get the
    slot's forecast; a spring-forward day has no row for the hour it skips.

    Prediction intervals: the method forecasts from each of the latest weekly
    origins inside the history (up to 8, from 2 weeks of training on) and its
    errors over the next `horizon_weeks` weeks are pooled. Counts are negative
    binomial with variance ``dispersion * mean + quadratic * mean**2``
    (:func:`~opsmart.forecast.uncertainty.fit_count_variance`); AHT is normal
    with variance ``per_contact / answered + drift``
    (:func:`~opsmart.forecast.uncertainty.fit_aht_variance`). The errors are the
    method's own, out of sample, so the intervals hold its estimation error as
    well as the Poisson noise, and do not assume the method is right.

    Examples
    --------
    Three weeks of one queue in UTC with 2 contacts of 300 s in every interval:

    >>> import pandas as pd
    >>> starts = pd.date_range("2026-03-02", periods=3 * 7 * 48, freq="30min")
    >>> history = pd.DataFrame({"queue_id": "q1", "interval_start_at": starts,
    ...     "contacts_offered": 2, "contacts_answered": 2,
    ...     "handle_time_seconds": 600.0})
    >>> out = forecast_intervals(history, timezone="UTC", horizon_weeks=1)
    >>> len(out), out["interval_date"].min().date()
    (336, datetime.date(2026, 3, 23))
    >>> out.loc[0, ["contacts_offered_forecast", "aht_seconds_forecast"]].tolist()
    [2.0, 300.0]
    >>> out.loc[0, ["contacts_offered_lower_80", "contacts_offered_upper_80"]].tolist()
    [0.0, 4.0]
    """
    settings = _settings(
        method, method_options, horizon_weeks, levels, timezone, interval_minutes
    )
    rows, special = _checked_inputs(history, special_days, timezone, interval_minutes)
    start_day = (
        int(rows["day"].max()) + 1
        if start is None
        else int(epoch_days(pd.DatetimeIndex([pd.Timestamp(start)]))[0])
    )
    frames = [
        _forecast_queue(
            str(queue_id),
            queue_rows,
            start_day,
            settings,
            queue_special_days(special, str(queue_id)),
        )[0]
        for queue_id, queue_rows in rows[rows["day"] < start_day].groupby(
            "queue_id", sort=True
        )
    ]
    return pd.concat(frames, ignore_index=True)


def backtest(
    history: pd.DataFrame,
    *,
    timezone: str | Mapping[str, str],
    method: str = "exponential_smoothing",
    origins: int | Sequence[dt.date] = 4,
    horizon_weeks: int = 1,
    levels: Sequence[float] = DEFAULT_LEVELS,
    interval_minutes: int = 30,
    method_options: Mapping[str, Any] | None = None,
    special_days: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rolling-origin evaluation of a method: per queue WAPE, MASE and coverage of
    offered contacts.

    Parameters
    ----------
    history : pandas.DataFrame
        As for :func:`forecast_intervals`.
    timezone : str or mapping of str to str
        IANA time zone of the queues' wall clock, or of each queue by
        ``queue_id`` (the catalog's ``timezone``).
    method : str, default "exponential_smoothing"
        A name in :data:`~opsmart.forecast.methods.METHODS`.
    origins : int or sequence of datetime.date, default 4
        The forecasts' first days: an int ``n`` takes the last ``n`` weekly
        origins whose `horizon_weeks` end with the history (the last local day
        with a row); dates must each leave `horizon_weeks` inside the history.
    horizon_weeks : int, default 1
        Weeks forecast from each origin.
    levels : sequence of float, default (0.5, 0.8, 0.95)
        Coverages of the prediction intervals scored.
    interval_minutes : int, default 30
        Interval length.
    method_options : mapping, optional
        Keyword options of the method.
    special_days : pandas.DataFrame, optional
        As for :func:`forecast_intervals`: left out of each origin's training
        rows and of its MASE scale; forecast as they say in its horizon.

    Returns
    -------
    pandas.DataFrame
        One row per queue: ``queue_id``, ``forecast_method``, ``origins``,
        ``intervals`` (scored), ``contacts_offered`` (their actual total),
        ``wape``, ``mase`` and ``coverage_rate_<L>`` per level.

    Raises
    ------
    ValueError
        As :func:`forecast_intervals`, or for an origin whose horizon passes the
        end of the history.

    Notes
    -----
    Each origin forecasts only from the rows before it (its intervals sized
    from those rows alone) and is scored on every interval of its horizon, an
    absent row counting 0 contacts. Over all origins pooled:

    - WAPE = sum |y - f| / sum y;
    - MASE = mean of |y - f| / s, s the origin's in-sample mean absolute error of
      the seasonal naive at a one-week lag
      (:func:`~opsmart.forecast.metrics.seasonal_naive_scale`) [1]_: below 1 is
      better than last week's same interval was in sample;
    - coverage = share of intervals with lower <= y <= upper, over the intervals
      with a forecast or an actual above 0 (a closed night is trivially covered).

    References
    ----------
    .. [1] Hyndman, R. J., & Koehler, A. B. (2006). Another look at measures of
       forecast accuracy. *International Journal of Forecasting*, 22(4), 679-688.
       https://doi.org/10.1016/j.ijforecast.2006.03.001

    Examples
    --------
    A queue whose every interval has 2 contacts is forecast exactly:

    >>> import pandas as pd
    >>> starts = pd.date_range("2026-03-02", periods=5 * 7 * 48, freq="30min")
    >>> history = pd.DataFrame({"queue_id": "q1", "interval_start_at": starts,
    ...     "contacts_offered": 2, "contacts_answered": 2,
    ...     "handle_time_seconds": 600.0})
    >>> scores = backtest(history, timezone="UTC", origins=2)
    >>> columns = ["queue_id", "origins", "intervals", "wape", "coverage_rate_80"]
    >>> scores[columns].round(9)
      queue_id  origins  intervals  wape  coverage_rate_80
    0       q1        2        672   0.0               1.0
    """
    settings = _settings(
        method, method_options, horizon_weeks, levels, timezone, interval_minutes
    )
    rows, special = _checked_inputs(history, special_days, timezone, interval_minutes)
    end_day = int(rows["day"].max()) + 1
    span = 7 * horizon_weeks
    if isinstance(origins, bool):
        raise ValueError(f"`origins` must be a count or dates, got {origins!r}")
    if isinstance(origins, int):
        if origins < 1:
            raise ValueError(f"`origins` must be >= 1, got {origins}")
        origin_days = [end_day - span - 7 * j for j in range(origins)][::-1]
    else:
        origin_days = [
            int(epoch_days(pd.DatetimeIndex([pd.Timestamp(o)]))[0]) for o in origins
        ]
        late = [day_date(o) for o in origin_days if o + span > end_day]
        if late or not origin_days:
            raise ValueError(
                f"`origins` must each leave {horizon_weeks} week(s) inside the "
                f"history (last day {day_date(end_day - 1)}), got {late or origins}"
            )
    by_queue = {str(k): v for k, v in rows.groupby("queue_id", sort=True)}
    scored: dict[str, list[pd.DataFrame]] = {k: [] for k in by_queue}
    for origin in origin_days:
        for queue_id, queue_rows in by_queue.items():
            frame, matrices = _forecast_queue(
                queue_id,
                queue_rows[queue_rows["day"] < origin],
                origin,
                settings,
                queue_special_days(special, queue_id),
            )
            actual = frame[["interval_start_at"]].merge(
                queue_rows[["interval_start_at", "contacts_offered"]],
                on="interval_start_at",
                how="left",
            )["contacts_offered"]
            frame["actual"] = actual.fillna(0.0).to_numpy()
            frame["scale"] = seasonal_naive_scale(matrices["contacts_offered"])
            scored[queue_id].append(frame)
    out = []
    for queue_id, frames in scored.items():
        data = pd.concat(frames, ignore_index=True)
        y = data["actual"].to_numpy()
        f = data["contacts_offered_forecast"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.abs(y - f) / data["scale"].to_numpy()
        row: dict[str, Any] = {
            "queue_id": queue_id,
            "forecast_method": method,
            "origins": len(origin_days),
            "intervals": len(data),
            "contacts_offered": float(y.sum()),
            "wape": wape(y, f),
            "mase": float(np.mean(scaled)) if np.isfinite(scaled).all() else np.nan,
        }
        active = (y > 0) | (f > 0)
        for level in settings.levels:
            label = level_label(level)
            lower = data[f"contacts_offered_lower_{label}"].to_numpy()
            upper = data[f"contacts_offered_upper_{label}"].to_numpy()
            inside = (lower <= y) & (y <= upper)
            row[f"coverage_rate_{label}"] = (
                float(inside[active].mean()) if active.any() else np.nan
            )
        out.append(row)
    return pd.DataFrame(out)
