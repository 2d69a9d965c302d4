"""The staffing plan of the forecast horizon: agents per queue x local interval for
the queue's service target and at the value-optimal level, at the forecast's point
and upper quantiles of offered contacts, then scheduled agents after shrinkage, and
a daily rollup (agent-hours and staff cost per queue x local date).

Every agent count comes from :func:`opsmart.queueing.required_agents` (the service
target) and :func:`opsmart.effects.staffing_costs` (value-optimal staffing, the
same cost model and prices as ``rpt_staffing``): Erlang A with the queue's
estimated patience, Erlang C where the queue has none (flagged). Nothing here is a
second queueing model. See docs/forecast.md, "Staffing plan".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from opsmart._frames import float_column, require_columns
from opsmart.effects.staffing import staffing_costs
from opsmart.forecast.pipeline import level_label
from opsmart.queueing import required_agents

__all__ = [
    "PLAN_INPUT_COLUMNS",
    "PLAN_NULL_REASONS",
    "PLAN_UPPER_LEVELS",
    "daily_plan_columns",
    "daily_staffing_plan",
    "plan_columns",
    "plan_input_columns",
    "staffing_plan",
]

F64 = NDArray[np.float64]
Flags = NDArray[np.bool_]

#: The forecast's upper bounds the plan is also sized at (its 80 and 95 % intervals'
#: upper ends: the 90 and 97.5 % quantiles of an interval's offered contacts).
PLAN_UPPER_LEVELS = (0.8, 0.95)

#: Why a plan row lacks agents, the first that applies: contacts forecast but no
#: AHT forecast in the queue's whole local day (a queue whose contacts are never
#: answered): no agents at all;
#: no service-level target or threshold: no agents for the target; a target no
#: count up to the search's limit (A + 10 sqrt(A) + 50 agents) meets: no agents
#: for the target; no staff cost or prices: no value-optimal agents and no cost; no
#: shrinkage (no agent-interval data and no var plan_shrinkage_rate): no scheduled
#: agents and no cost.
PLAN_NULL_REASONS = (
    "no_handle_time",
    "no_service_target",
    "unreachable_target",
    "no_prices",
    "no_shrinkage",
)


def plan_input_columns(levels: Sequence[float] = PLAN_UPPER_LEVELS) -> list[str]:
    """The columns :func:`staffing_plan` reads: a forecast row plus its queue's
    parameters (one value per queue, repeated on each of its rows)."""
    return [
        "queue_id",
        "horizon_week",
        "contacts_offered_forecast",
        *[f"contacts_offered_upper_{level_label(float(lv))}" for lv in levels],
        "aht_seconds_forecast",
        "patience_seconds",
        "sl_threshold_seconds",
        "sl_target_rate",
        "shrinkage_rate",
        "agent_cost_per_hour_amount",
        "waiting_cost_per_second_amount",
        "abandon_cost_amount",
        "interval_date",
        "interval_start_local_at",
        "interval_start_at",
    ]


#: The input columns at the default levels.
PLAN_INPUT_COLUMNS = tuple(plan_input_columns())


def _suffixes(levels: Sequence[float]) -> list[str]:
    """``""`` for the point forecast, then ``_upper_<L>`` per level."""
    return ["", *[f"_upper_{level_label(float(lv))}" for lv in levels]]


def plan_columns(levels: Sequence[float] = PLAN_UPPER_LEVELS) -> list[str]:
    """The columns of :func:`staffing_plan`."""
    sfx = _suffixes(levels)
    return [
        "queue_id",
        "staffing_model",
        "plan_null_reason",
        "horizon_week",
        "interval_seconds",
        "contacts_offered_forecast",
        *[f"contacts_offered{s}" for s in sfx[1:]],
        "aht_seconds_forecast",
        "patience_seconds",
        "sl_threshold_seconds",
        "sl_target_rate",
        "shrinkage_rate",
        "agent_cost_per_hour_amount",
        *[f"required_agents{s}" for s in sfx],
        *[f"optimal_agents{s}" for s in sfx],
        *[f"scheduled_agents{s}" for s in sfx],
        *[f"scheduled_optimal_agents{s}" for s in sfx],
        *[f"staff_cost{s}_amount" for s in sfx],
        *[f"optimal_staff_cost{s}_amount" for s in sfx],
        "is_aht_fallback",
        "is_erlang_c_fallback",
        "interval_date",
        "interval_start_local_at",
        "interval_start_at",
    ]


def daily_plan_columns(levels: Sequence[float] = PLAN_UPPER_LEVELS) -> list[str]:
    """The columns of :func:`daily_staffing_plan`."""
    sfx = _suffixes(levels)
    return [
        "queue_id",
        "intervals",
        "hours",
        "contacts_offered_forecast",
        *[f"required_agent_hours{s}" for s in sfx],
        *[f"scheduled_agent_hours{s}" for s in sfx],
        *[f"scheduled_optimal_agent_hours{s}" for s in sfx],
        *[f"staff_cost{s}_amount" for s in sfx],
        *[f"optimal_staff_cost{s}_amount" for s in sfx],
        "is_erlang_c_fallback",
        "interval_date",
    ]


def _typed_empty(columns: Sequence[str]) -> pd.DataFrame:
    """No rows, each column typed as on a day with rows (text, whole numbers,
    flags, the date, instants, measures)."""
    text = {"queue_id", "staffing_model", "plan_null_reason"}
    whole = {"horizon_week", "intervals"}
    kinds = {
        name: "str" if name in text
        else "int64" if name in whole
        else "bool" if name.startswith("is_")
        else "datetime64[ns]" if name.startswith("interval_")
        and name != "interval_seconds"
        else "float64"
        for name in columns
    }  # fmt: skip
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in kinds.items()})


def _required(lam: F64, aht: F64, thr: F64, target: F64, tau: F64, ok: Flags) -> F64:
    """Fewest agents meeting the service target (Erlang A at patience `tau`; inf:
    Erlang C) on the rows `ok`, NaN elsewhere."""
    out = np.full(lam.shape, np.nan)
    if ok.any():
        r = required_agents(
            lam[ok],
            aht[ok],
            threshold=thr[ok],
            target_service_level=target[ok],
            patience=tau[ok],
        )
        out[ok] = np.asarray(r.agents, dtype=np.float64)
    return out


def _day_aht(frame: pd.DataFrame, aht: F64, counts: F64) -> F64:
    """Each row's AHT, or where it has none its queue's AHT of the local day: the
    day's AHT forecasts weighted by their offered contacts (NaN if none has one)."""
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(aht) & (aht > 0) & np.isfinite(counts) & (counts > 0)
    keys = [frame["queue_id"].astype(str), frame["interval_date"]]
    parts = pd.DataFrame(
        {
            "seconds": np.where(ok, aht * counts, 0.0),
            "weight": np.where(ok, counts, 0.0),
        },
        index=frame.index,
    )
    sums = parts.groupby(keys, sort=False).transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        day: F64 = np.where(
            sums["weight"] > 0, sums["seconds"] / sums["weight"], np.nan
        )
    out: F64 = np.where(np.isfinite(aht) & (aht > 0), aht, day)
    return out


def _scheduled(agents: F64, shrinkage: F64) -> F64:
    """Agents on the schedule: ceil(agents / (1 - shrinkage)), NaN where either is
    unknown (the 1e-9 keeps 8 / (1 - 0.2) at 10, not 11, under rounding)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out: F64 = np.ceil(agents / (1.0 - shrinkage) - 1e-9)
    return out


def staffing_plan(
    frame: pd.DataFrame,
    *,
    interval_minutes: int = 30,
    levels: Sequence[float] = PLAN_UPPER_LEVELS,
) -> pd.DataFrame:
    r"""Agents per forecast row: for the service target and value-optimal, at the
    point forecast and at each upper bound, then scheduled after shrinkage.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`plan_input_columns`: the forecast's rows (keys, horizon week,
        ``contacts_offered_forecast`` and ``contacts_offered_upper_<L>``,
        ``aht_seconds_forecast``, the local date and instants) with their
        queue's ``patience_seconds`` (null: nobody abandons, Erlang C),
        ``sl_threshold_seconds`` and ``sl_target_rate``, ``shrinkage_rate``
        (0-1), ``agent_cost_per_hour_amount`` (per staffed hour) and the prices
        of a waiting second and of an abandon.
    interval_minutes : int, default 30
        Length of the forecast's intervals.
    levels : sequence of float, default (0.8, 0.95)
        Levels whose upper bounds the plan is also sized at.

    Returns
    -------
    pandas.DataFrame
        One row per input row, in order (:func:`plan_columns`):
        ``required_agents<s>`` (fewest agents meeting the target),
        ``optimal_agents<s>`` (least staff + waiting + abandonment cost),
        ``aht_seconds_forecast`` (the AHT planned with: the row's, or where
        it has none, as on an interval where no answered contact is forecast,
        the queue's AHT of the local day, weighted by offered contacts, and
        ``is_aht_fallback``), ``scheduled_agents<s>`` and
        ``scheduled_optimal_agents<s>`` (those
        divided by 1 - shrinkage, rounded up), ``staff_cost<s>_amount`` and
        ``optimal_staff_cost<s>_amount`` (scheduled agents x cost per hour x
        the interval's hours), where ``<s>`` is empty at the point forecast and
        ``_upper_<L>`` at the upper bounds; ``staffing_model`` (``erlang_a`` or
        ``erlang_c``), ``is_erlang_c_fallback`` (the queue has no patience
        estimate) and ``plan_null_reason`` (:data:`PLAN_NULL_REASONS`, the first
        that applies; None when every column is a number). The typed columns
        only, for no rows.

    Raises
    ------
    KeyError
        If an input column is missing.

    Notes
    -----
    Arrivals are ``lambda = contacts / (60 * interval_minutes)``, stationary in
    the interval, with the AHT point forecast as the mean handle time at every
    quantile: the AHT bounds are for an interval's mean over few contacts and
    are not independent of the count, so sizing at an upper count and an upper
    AHT together would stand for a quantile well beyond the stated level. The
    service target counts answered within the threshold over offered (Erlang
    A). Zero contacts need 0 agents, with or without an AHT. A missing input
    gives NaN in the columns that need it, never an error. The day's AHT
    stands in for a missing one because a night interval with a fraction of a
    contact forecast, none of it answered, still needs an agent if a contact
    comes; it makes the rows of one queue and day depend on each other (the
    Spark twin calls the function on the whole table).

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict(queue_id="q1", horizon_week=1, contacts_offered_forecast=100.0,
    ...            contacts_offered_upper_80=100.0, contacts_offered_upper_95=100.0,
    ...            aht_seconds_forecast=180.0, patience_seconds=None,
    ...            sl_threshold_seconds=20, sl_target_rate=0.8, shrinkage_rate=0.2,
    ...            agent_cost_per_hour_amount=30.0,
    ...            waiting_cost_per_second_amount=0.0, abandon_cost_amount=0.0,
    ...            interval_date="2026-01-05",
    ...            interval_start_local_at="2026-01-05 09:00",
    ...            interval_start_at="2026-01-05 09:00")
    >>> out = staffing_plan(pd.DataFrame([row]))
    >>> out[["required_agents", "scheduled_agents", "staff_cost_amount"]].values
    array([[ 14.,  18., 270.]])
    >>> out["staffing_model"].tolist(), out["is_erlang_c_fallback"].tolist()
    (['erlang_c'], [True])
    """
    columns = plan_columns(levels)
    require_columns(frame, plan_input_columns(levels))
    if frame.empty:
        return _typed_empty(columns)
    secs = 60.0 * float(interval_minutes)
    forecast_aht = float_column(frame, "aht_seconds_forecast")
    aht = _day_aht(
        frame, forecast_aht, float_column(frame, "contacts_offered_forecast")
    )
    tau = float_column(frame, "patience_seconds")
    thr = float_column(frame, "sl_threshold_seconds")
    target = float_column(frame, "sl_target_rate")
    shrink = float_column(frame, "shrinkage_rate")
    rate = float_column(frame, "agent_cost_per_hour_amount")
    wait_price = float_column(frame, "waiting_cost_per_second_amount")
    abandon_price = float_column(frame, "abandon_cost_amount")
    with np.errstate(invalid="ignore"):
        # no estimate (null), or none usable: Erlang C, and never an infinity out
        fallback = ~(np.isfinite(tau) & (tau > 0))
        tau_v = np.where(fallback, np.inf, tau)
        aht_ok = np.isfinite(aht) & (aht > 0)
        target_ok = np.isfinite(thr) & (thr >= 0) & (target >= 0) & (target <= 1)
        prices_ok = (rate >= 0) & (wait_price >= 0) & (abandon_price >= 0)
        shrink = np.where((shrink >= 0) & (shrink < 1), shrink, np.nan)
    out: dict[str, object] = {
        "queue_id": frame["queue_id"].astype(str).to_numpy(),
        "staffing_model": np.where(fallback, "erlang_c", "erlang_a"),
        "horizon_week": pd.to_numeric(frame["horizon_week"]).to_numpy(),
        "interval_seconds": np.full(len(frame), secs),
    }
    any_contacts = np.zeros(len(frame), dtype=bool)
    unreachable = np.zeros(len(frame), dtype=bool)
    for sfx in _suffixes(levels):
        name = "contacts_offered_forecast" if not sfx else f"contacts_offered{sfx}"
        counts = float_column(frame, name)
        with np.errstate(invalid="ignore"):
            lam = np.where(counts >= 0, counts / secs, np.nan)
            positive = lam > 0
        any_contacts |= positive
        # no contacts: 0 agents whatever the AHT (a placeholder of 1 s keeps the
        # searches' domain); contacts without an AHT: no agents
        known = np.isfinite(lam) & (aht_ok | ~positive)
        s = np.where(aht_ok, aht, 1.0)
        lam_v = np.where(known, lam, 0.0)
        req = _required(lam_v, s, thr, target, tau_v, known & target_ok)
        unreachable |= known & target_ok & np.isnan(req)
        costs = staffing_costs(
            lam_v,
            s,
            np.nan,
            agent_cost_rate=rate / 3600.0,
            waiting_cost_rate=wait_price,
            abandon_cost=abandon_price,
            patience=tau_v,
        )
        best = np.where(known, costs.optimal_agents, np.nan)
        sched, sched_best = _scheduled(req, shrink), _scheduled(best, shrink)
        if sfx:
            out[f"contacts_offered{sfx}"] = counts
        else:
            out["contacts_offered_forecast"] = counts
            out |= {
                "patience_seconds": np.where(fallback, np.nan, tau),
                "sl_threshold_seconds": thr,
                "sl_target_rate": target,
                "shrinkage_rate": shrink,
                "agent_cost_per_hour_amount": rate,
            }
        out |= {
            f"required_agents{sfx}": req,
            f"optimal_agents{sfx}": best,
            f"scheduled_agents{sfx}": sched,
            f"scheduled_optimal_agents{sfx}": sched_best,
            f"staff_cost{sfx}_amount": sched * rate * secs / 3600.0,
            f"optimal_staff_cost{sfx}_amount": sched_best * rate * secs / 3600.0,
        }
    reasons = np.select(
        [
            any_contacts & ~aht_ok,
            ~target_ok,
            unreachable,
            ~prices_ok,
            np.isnan(shrink),
        ],
        list(PLAN_NULL_REASONS),
        default="",
    )
    out["plan_null_reason"] = pd.Series(
        [r or None for r in reasons.tolist()], dtype="str"
    ).to_numpy()
    # the day's AHT is shown, and flagged, only where contacts are planned with it
    with np.errstate(invalid="ignore"):
        aht_fallback = ~(forecast_aht > 0) & aht_ok & any_contacts
    out["aht_seconds_forecast"] = np.where(aht_fallback, aht, forecast_aht)
    out["is_aht_fallback"] = aht_fallback
    out["is_erlang_c_fallback"] = fallback
    for key in ("interval_date", "interval_start_local_at", "interval_start_at"):
        out[key] = frame[key].to_numpy()
    return pd.DataFrame(out).loc[:, columns]


def daily_staffing_plan(
    plan: pd.DataFrame, *, levels: Sequence[float] = PLAN_UPPER_LEVELS
) -> pd.DataFrame:
    """The plan per queue x local date: agent-hours and staff cost of the day.

    Parameters
    ----------
    plan : pandas.DataFrame
        Rows of :func:`staffing_plan` at the same `levels`.
    levels : sequence of float, default (0.8, 0.95)
        As for :func:`staffing_plan`.

    Returns
    -------
    pandas.DataFrame
        One row per queue x ``interval_date`` (:func:`daily_plan_columns`),
        sorted by both: the day's ``intervals`` and ``hours`` (23 on a
        spring-forward day, 25 on a fall-back day), its summed
        ``contacts_offered_forecast``, ``<agents>_agent_hours<s>`` = the sum
        of the interval agents x interval hours, the staff costs summed, and
        ``is_erlang_c_fallback``. A sum is NaN when any of its intervals is
        (a partial day's figure would read as a whole day's). The typed
        columns only, for no rows.

    Notes
    -----
    A day's sum of the intervals' upper bounds is the cost of staffing every
    interval for its own upper quantile: more than the day's own quantile,
    because no day is busy in all its intervals at once.
    """
    columns = daily_plan_columns(levels)
    if plan.empty:
        return _typed_empty(columns)
    hours = plan["interval_seconds"].astype(float) / 3600.0
    parts: dict[str, pd.Series] = {
        "intervals": pd.Series(1, index=plan.index, dtype="int64"),
        "hours": hours,
        "contacts_offered_forecast": plan["contacts_offered_forecast"].astype(float),
    }
    for sfx in _suffixes(levels):
        for agents in ("required", "scheduled", "scheduled_optimal"):
            parts[f"{agents}_agent_hours{sfx}"] = (
                plan[f"{agents}_agents{sfx}"].astype(float) * hours
            )
        for cost in (f"staff_cost{sfx}_amount", f"optimal_staff_cost{sfx}_amount"):
            parts[cost] = plan[cost].astype(float)
    sums = pd.DataFrame(parts).assign(
        queue_id=plan["queue_id"].astype(str), interval_date=plan["interval_date"]
    )
    keys = ["queue_id", "interval_date"]
    grouped = sums.groupby(keys, sort=True)
    totals = grouped.sum()
    missing = sums.drop(columns=keys).isna().groupby([sums[k] for k in keys]).any()
    totals = totals.mask(missing)
    totals["is_erlang_c_fallback"] = (
        plan["is_erlang_c_fallback"].astype(bool).groupby([sums[k] for k in keys]).any()
    )
    return totals.reset_index().loc[:, columns]
