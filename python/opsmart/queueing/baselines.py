"""Interval baselines: the adapter called by the dbt Python model."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from opsmart._frames import float_column, require_columns
from opsmart.queueing.erlang import _erlang_c_arrays
from opsmart.queueing.erlang_a import _erlang_a_arrays
from opsmart.queueing.staffing import required_agents

__all__ = [
    "INPUT_COLUMNS",
    "NULLED_COLUMNS",
    "NULL_REASONS",
    "OUTPUT_COLUMNS",
    "interval_baselines",
]

F64 = NDArray[np.float64]

INPUT_COLUMNS = (
    "queue_id",
    "interval_start_at",
    "interval_seconds",
    "contacts_offered",
    "aht_seconds",
    "staffed_agents",
    "patience_seconds",
    "sl_threshold_seconds",
    "sl_target_rate",
)
#: The models' predictions at the actual staffing.
_PERFORMANCE = (
    "erlang_c_service_level_rate",
    "erlang_c_asa_seconds",
    "erlang_c_occupancy_rate",
    "erlang_a_service_level_rate",
    "erlang_a_abandonment_rate",
    "erlang_a_asa_seconds",
    "erlang_a_occupancy_rate",
)
OUTPUT_COLUMNS = (
    "queue_id",
    "interval_start_at",
    "arrival_rate_per_second",
    "traffic_erlangs",
    *_PERFORMANCE,
    "required_agents_erlang_c",
    "required_agents_erlang_a",
    "staffing_gap_agents",
    "baseline_null_reason",
)

#: Why an interval lacks a baseline, in the order they are reported (the first that
#: applies), with the columns each nulls.
NULL_REASONS: dict[str, str] = {
    "no_handle_time": "no AHT above 0 (nothing handled in the interval or its day, "
    "or only zero-length contacts): traffic and every column after it",
    "no_staffing": "no staffed agent (staffed_agents null or below 1): the service "
    "level, abandonment, ASA, occupancy and staffing gap",
    "no_contacts_offered": "nothing offered: the service level, abandonment and ASA "
    "are undefined (occupancy is 0 and required agents 0)",
    "unstable_load": "offered load at or above the agents and no abandonment to "
    "relieve it (Erlang C, or Erlang A without a patience estimate): the queue grows "
    "without bound, so that model's ASA is null (its service level is 0)",
    "no_service_target": "no service-level target (or threshold) for the queue: the "
    "required agents and the staffing gap (and the service levels without a "
    "threshold)",
}

#: The baseline columns each reason may null (``NULL_REASONS`` in words; the docs'
#: ``baseline_null_reason``). A row names only the first reason that applies, so its
#: null columns are among those of that reason and the later ones.
NULLED_COLUMNS: dict[str, tuple[str, ...]] = {
    "no_handle_time": (
        "traffic_erlangs",
        *_PERFORMANCE,
        "required_agents_erlang_c",
        "required_agents_erlang_a",
        "staffing_gap_agents",
    ),
    "no_staffing": (*_PERFORMANCE, "staffing_gap_agents"),
    "no_contacts_offered": (
        "erlang_c_service_level_rate",
        "erlang_c_asa_seconds",
        "erlang_a_service_level_rate",
        "erlang_a_abandonment_rate",
        "erlang_a_asa_seconds",
    ),
    "unstable_load": ("erlang_c_asa_seconds", "erlang_a_asa_seconds"),
    "no_service_target": (
        "erlang_c_service_level_rate",
        "erlang_a_service_level_rate",
        "required_agents_erlang_c",
        "required_agents_erlang_a",
        "staffing_gap_agents",
    ),
}


def _required(
    lam: F64, s: F64, t: F64, target: F64, tau: F64 | None, ok: NDArray[np.bool_]
) -> F64:
    out = np.full(lam.shape, np.nan)
    if ok.any():
        r = required_agents(
            lam[ok],
            s[ok],
            threshold=t[ok],
            target_service_level=target[ok],
            patience=None if tau is None else tau[ok],
        )
        out[ok] = np.asarray(r.agents, dtype=np.float64)
    return out


def interval_baselines(frame: pd.DataFrame) -> pd.DataFrame:
    r"""Erlang C and Erlang A baselines for each (queue, interval) row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``queue_id``, ``interval_start_at``, ``interval_seconds``
        (seconds, > 0), ``contacts_offered`` (count), ``aht_seconds`` (nullable),
        ``staffed_agents`` (FTE-equivalent float, nullable), ``patience_seconds``
        (nullable; null or inf means no abandonment), ``sl_threshold_seconds``
        and ``sl_target_rate`` (fraction).

    Returns
    -------
    pandas.DataFrame
        One row per input row, in input order, with the columns of
        ``OUTPUT_COLUMNS``: ``queue_id`` and ``interval_start_at`` passed
        through, ``baseline_null_reason`` (a code of ``NULL_REASONS``, None when
        every baseline column is a number), every other column float64 (NaN = no
        baseline; never an infinity).

    Raises
    ------
    KeyError
        If an input column is missing.

    Notes
    -----
    ``arrival_rate_per_second = contacts_offered / interval_seconds`` and
    ``traffic_erlangs = arrival_rate * aht_seconds`` (stationary within the
    interval).  Performance columns use ``floor(staffed_agents)`` agents: a
    fractional FTE cannot take a call, so the count is rounded down.  Outputs are
    NaN, never 0, when the inputs do not allow a baseline: no AHT (all
    outputs from traffic on), no or zero staffing (performance columns and the
    gap), no threshold or target (service level, required agents, gap), and
    with zero offered contacts the service level, abandonment and ASA are
    undefined (NaN) while occupancy is 0 and required agents 0.  At or above
    capacity without abandonment the queue grows without bound: the ASA is NaN,
    not an infinity, and the service level 0.  ``baseline_null_reason`` names the
    first of these causes (``NULL_REASONS``).  Negative or non-finite inputs are
    treated as missing.  Erlang A service level counts
    answered within threshold over offered; its ASA is over answered contacts.
    ``staffing_gap_agents = floor(staffed_agents) - required_agents_erlang_a``.

    References
    ----------
    .. [1] Gans, N., Koole, G., Mandelbaum, A. (2003). *M&SOM* 5(2):79-141.
       https://doi.org/10.1287/msom.5.2.79.16071

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict(queue_id="q1", interval_start_at="2024-01-01 08:00",
    ...            interval_seconds=1800, contacts_offered=100, aht_seconds=180.0,
    ...            staffed_agents=14.5, patience_seconds=None,
    ...            sl_threshold_seconds=20.0, sl_target_rate=0.8)
    >>> out = interval_baselines(pd.DataFrame([row]))
    >>> out[["traffic_erlangs", "required_agents_erlang_c",
    ...      "staffing_gap_agents"]].to_numpy().tolist()
    [[10.0, 14.0, 0.0]]
    >>> out["baseline_null_reason"].tolist()
    [None]
    """
    require_columns(frame, INPUT_COLUMNS)
    with np.errstate(all="ignore"):
        secs = float_column(frame, "interval_seconds")
        offered = float_column(frame, "contacts_offered")
        aht = float_column(frame, "aht_seconds")
        staffed = np.floor(float_column(frame, "staffed_agents"))
        tau = float_column(frame, "patience_seconds")
        thr = float_column(frame, "sl_threshold_seconds")
        target = float_column(frame, "sl_target_rate")
        lam = offered / secs
        lam_ok = np.isfinite(lam) & (lam >= 0) & (secs > 0)
        lam = np.where(lam_ok, lam, np.nan)
        s_ok = np.isfinite(aht) & (aht > 0)
        base = lam_ok & s_ok
        traffic = np.where(base, lam * aht, np.nan)
        tau = np.where(np.isnan(tau) | (tau <= 0), np.inf, tau)
        t_ok = np.isfinite(thr) & (thr >= 0)
        g_ok = np.isfinite(target) & (target >= 0) & (target <= 1)
        perf = base & np.isfinite(staffed) & (staffed > 0)
    lam_v = np.where(base, lam, 0.0)
    s_v = np.where(s_ok, aht, 1.0)
    c_v = np.where(perf, staffed, 1.0)
    t_v = np.where(t_ok, thr, 0.0)
    c = _erlang_c_arrays(lam_v, s_v, c_v, t_v)
    a = _erlang_a_arrays(lam_v, s_v, c_v, tau, t_v)
    arrivals = lam_v > 0
    sl_rows = perf & t_ok & arrivals
    wait_rows = perf & arrivals

    def pick(values: F64, rows: NDArray[np.bool_]) -> F64:
        out: F64 = np.where(rows, values, np.nan)
        return out

    req_ok = base & t_ok & g_ok
    req_c = _required(lam_v, s_v, t_v, np.where(g_ok, target, 0.0), None, req_ok)
    req_a = _required(lam_v, s_v, t_v, np.where(g_ok, target, 0.0), tau, req_ok)
    # An unbounded queue's mean wait is +inf, which no BI tool can average: NaN.
    c_wait = np.where(np.isfinite(c["mean_wait"]), c["mean_wait"], np.nan)
    a_wait = np.where(
        np.isfinite(a["mean_wait_answered"]), a["mean_wait_answered"], np.nan
    )
    reasons = np.select(
        [
            lam_ok & ~s_ok,
            base & ~perf,
            perf & ~arrivals,
            wait_rows & (np.isnan(c_wait) | np.isnan(a_wait)),
            base & ~req_ok,
        ],
        list(NULL_REASONS),
        default="",
    )
    out = pd.DataFrame(
        {
            "queue_id": frame["queue_id"].to_numpy(),
            "interval_start_at": frame["interval_start_at"].to_numpy(),
            "arrival_rate_per_second": lam,
            "traffic_erlangs": traffic,
            "erlang_c_service_level_rate": pick(c["service_level"], sl_rows),
            "erlang_c_asa_seconds": pick(c_wait, wait_rows),
            "erlang_c_occupancy_rate": pick(c["occupancy"], perf),
            "erlang_a_service_level_rate": pick(a["service_level"], sl_rows),
            "erlang_a_abandonment_rate": pick(a["prob_abandon"], wait_rows),
            "erlang_a_asa_seconds": pick(a_wait, wait_rows),
            "erlang_a_occupancy_rate": pick(a["occupancy"], perf),
            "required_agents_erlang_c": req_c,
            "required_agents_erlang_a": req_a,
            "staffing_gap_agents": np.where(perf, staffed - req_a, np.nan),
            "baseline_null_reason": [reason or None for reason in reasons.tolist()],
        },
        index=frame.index,
    )
    return out
