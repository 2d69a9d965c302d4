"""Value-optimal staffing: staff cost against the priced cost of waiting.

For each queue interval the cost rate of c agents is

    K(c) = k_a c + k_w L_q(c) + k_ab lambda P_ab(c)

(staff cost per second, waiting cost per contact-second times the mean number
waiting, abandonment cost per abandon times the abandon rate), under Erlang A with
the interval's estimated patience (Erlang C when nobody abandoned).  The optimum
comes from :func:`opsmart.queueing.optimal_agents`; the cost at the actual
staffing uses the same measures from :func:`opsmart.queueing.erlang_a`, so the two
are comparable and the money at stake is never negative.  The prices are estimates
with an interval, so every money figure is computed at the low, central and high
prices and carried as a range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from opsmart._frames import float_column, require_columns
from opsmart.queueing import erlang_a, optimal_agents

__all__ = [
    "STAFFING_INPUT_COLUMNS",
    "STAFFING_OUTPUT_COLUMNS",
    "StaffingCosts",
    "interval_staffing",
    "staffing_costs",
]

F64 = NDArray[np.float64]

STAFFING_INPUT_COLUMNS = (
    "queue_id",
    "interval_start_at",
    "interval_seconds",
    "contacts_offered",
    "aht_seconds",
    "patience_seconds",
    "staffed_agents",
    "agent_cost_per_hour_amount",
    "waiting_cost_per_second_amount",
    "waiting_cost_per_second_lower_amount",
    "waiting_cost_per_second_upper_amount",
    "abandon_cost_amount",
    "abandon_cost_lower_amount",
    "abandon_cost_upper_amount",
)
STAFFING_OUTPUT_COLUMNS = (
    "queue_id",
    "interval_start_at",
    "actual_agents",
    "optimal_agents",
    "cost_at_actual_amount",
    "cost_at_actual_lower_amount",
    "cost_at_actual_upper_amount",
    "cost_at_optimal_amount",
    "cost_at_optimal_lower_amount",
    "cost_at_optimal_upper_amount",
    "money_at_stake_amount",
    "money_at_stake_lower_amount",
    "money_at_stake_upper_amount",
    "staff_cost_at_actual_amount",
    "staff_cost_at_optimal_amount",
)


@dataclass(frozen=True)
class StaffingCosts:
    """Cost rates (currency per second) at the actual and the optimal staffing.

    Attributes
    ----------
    optimal_agents : ndarray
        Agents minimising the cost rate; NaN where an input is missing.
    cost_rate_at_actual : ndarray
        K(actual agents); NaN where an input is missing, ``inf`` when the
        queue is unstable at the actual staffing (no abandonment and the load
        at or above the agents).
    cost_rate_at_optimal : ndarray
        K(optimal agents).
    """

    optimal_agents: F64
    cost_rate_at_actual: F64
    cost_rate_at_optimal: F64


def _arr(x: ArrayLike) -> F64:
    return np.atleast_1d(np.asarray(x, dtype=np.float64))


def staffing_costs(
    arrival_rate: ArrayLike,
    service_time: ArrayLike,
    actual_agents: ArrayLike,
    *,
    agent_cost_rate: ArrayLike,
    waiting_cost_rate: ArrayLike,
    abandon_cost: ArrayLike,
    patience: ArrayLike,
) -> StaffingCosts:
    r"""Cost-optimal agents and the cost rates at the actual and optimal staffing.

    Parameters
    ----------
    arrival_rate : array_like
        Contacts per second, >= 0.
    service_time : array_like
        Mean handle time, seconds, > 0.
    actual_agents : array_like
        Agents actually staffed, a whole number >= 0.
    agent_cost_rate : array_like
        Loaded staff cost per agent per second, >= 0.
    waiting_cost_rate : array_like
        Cost per contact per second of waiting, >= 0.
    abandon_cost : array_like
        Cost per abandoned contact, >= 0.
    patience : array_like
        Mean exponential patience, seconds, > 0; ``inf`` or NaN means nobody
        abandons (Erlang C).

    Returns
    -------
    StaffingCosts
        One-dimensional arrays broadcast from the inputs.

    Notes
    -----
    Rows with a missing (NaN) or out-of-domain input get NaN outputs instead of
    an error, so one bad interval does not stop the rest.  Zero arrivals need 0
    agents at zero cost; the cost at the actual staffing is then the idle staff
    cost ``k_a * actual``.

    Examples
    --------
    One clerk at rho = 5/6 against two, staff and waiting both cost 1:

    >>> r = staffing_costs(5 / 6, 1.0, 1, agent_cost_rate=1.0,
    ...                    waiting_cost_rate=1.0, abandon_cost=0.0,
    ...                    patience=float("inf"))
    >>> r.optimal_agents.tolist(), [round(float(r.cost_rate_at_actual[0]), 4),
    ...                             round(float(r.cost_rate_at_optimal[0]), 4)]
    ([2.0], [5.1667, 2.1751])
    """
    parts = np.broadcast_arrays(
        _arr(arrival_rate),
        _arr(service_time),
        _arr(actual_agents),
        _arr(agent_cost_rate),
        _arr(waiting_cost_rate),
        _arr(abandon_cost),
        _arr(patience),
    )
    lam, s, c, ka, kw, kb, tau = (np.ravel(p).copy() for p in parts)
    tau = np.where(np.isnan(tau), np.inf, tau)
    with np.errstate(invalid="ignore"):
        ok = (
            np.isfinite(lam)
            & (lam >= 0)
            & np.isfinite(s)
            & (s > 0)
            & np.isfinite(ka)
            & (ka >= 0)
            & np.isfinite(kw)
            & (kw >= 0)
            & np.isfinite(kb)
            & (kb >= 0)
            & (tau > 0)
        )
        c_ok = ok & np.isfinite(c) & (c >= 0) & (c == np.floor(c))
    n = lam.size
    best = np.full(n, np.nan)
    k_best = np.full(n, np.nan)
    k_actual = np.full(n, np.nan)
    if ok.any():
        r = optimal_agents(
            lam[ok],
            s[ok],
            agent_cost_rate=ka[ok],
            waiting_cost_rate=kw[ok],
            abandon_cost=kb[ok],
            patience=tau[ok],
        )
        best[ok] = np.asarray(r.agents, dtype=np.float64)
        k_best[ok] = np.asarray(r.cost, dtype=np.float64)
    if c_ok.any():
        m = erlang_a(lam[c_ok], s[c_ok], c[c_ok], tau[c_ok])
        lq = np.asarray(m.mean_queue_length, dtype=np.float64)
        p_ab = np.asarray(m.prob_abandon, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            wait = np.where(kw[c_ok] > 0, kw[c_ok] * lq, 0.0)
            k_actual[c_ok] = ka[c_ok] * c[c_ok] + wait + kb[c_ok] * lam[c_ok] * p_ab
    # Erlang A costs are unimodal in practice, not provably: never report an
    # "optimum" dearer than the actual staffing.
    cheaper = c_ok & (k_actual < k_best)
    best = np.where(cheaper, c, best)
    k_best = np.where(cheaper, k_actual, k_best)
    return StaffingCosts(
        optimal_agents=best, cost_rate_at_actual=k_actual, cost_rate_at_optimal=k_best
    )


def _interval_costs(
    frame: pd.DataFrame, suffix: str, lam: F64, actual: F64, secs: F64
) -> tuple[StaffingCosts, F64, F64]:
    """Costs of every row at the prices ``<price>{suffix}``: the rates, and the
    interval's cost at the actual (NaN where unstable) and at the optimal staffing."""
    costs = staffing_costs(
        lam,
        float_column(frame, "aht_seconds"),
        actual,
        agent_cost_rate=float_column(frame, "agent_cost_per_hour_amount") / 3600.0,
        waiting_cost_rate=float_column(frame, f"waiting_cost_per_second{suffix}"),
        abandon_cost=float_column(frame, f"abandon_cost{suffix}"),
        patience=float_column(frame, "patience_seconds"),
    )
    finite = np.isfinite(costs.cost_rate_at_actual)
    at_actual = np.where(finite, costs.cost_rate_at_actual * secs, np.nan)
    return costs, at_actual, costs.cost_rate_at_optimal * secs


def interval_staffing(frame: pd.DataFrame) -> pd.DataFrame:
    r"""Value-optimal staffing of each (queue, interval) row: the dbt adapter.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns of ``STAFFING_INPUT_COLUMNS``: keys ``queue_id`` and
        ``interval_start_at``, ``interval_seconds`` (> 0), ``contacts_offered``,
        ``aht_seconds``, ``patience_seconds`` (null = nobody abandons),
        ``staffed_agents`` (FTE-equivalent), ``agent_cost_per_hour_amount``,
        and the prices ``waiting_cost_per_second_amount`` and
        ``abandon_cost_amount`` with the low and high ends of their intervals
        (``..._lower_amount``, ``..._upper_amount``).

    Returns
    -------
    pandas.DataFrame
        One row per input row, in order, with ``STAFFING_OUTPUT_COLUMNS``:
        ``actual_agents = floor(staffed_agents)``, ``optimal_agents`` (at the
        central prices), the interval's cost (rate x interval seconds) at both
        and ``money_at_stake_amount`` = cost at actual - cost at optimal (>= 0:
        where the search's optimum would cost more than the actual staffing, the
        actual staffing is reported as optimal), each with its range over the
        prices' intervals (``_lower_amount``, ``_upper_amount``), and the staff
        part of the two costs (agent cost x agents x interval seconds, at the
        central prices): the rest of the money at stake is customer value.
        NaN where an input is missing (a null staffing or cost rate is no
        figure, never 0) or the actual staffing is unstable (infinite waiting
        cost).

    Raises
    ------
    KeyError
        If an input column is missing.

    Notes
    -----
    Both prices move together from their low to their high ends (they come from
    one fit and one customer value).  Every cost K(c) is nondecreasing in the
    prices, so the costs at the actual and at the optimal staffing range from
    their values at the low prices to those at the high prices.  The money at
    stake M = K(actual) - min_c K(c) is not monotone: it rises with the prices
    while the actual staffing is below the optimum and falls while it is above.
    The optimum c*(k) never falls as the prices rise (Topkis 1978: K has
    decreasing differences in c and the prices).  So if c*(low) <= actual <=
    c*(high) the range starts at 0, a lower bound: the actual staffing is
    optimal at some price in between, unless the optimum jumps past it (then M
    stays above 0, and the bound is conservative).  Otherwise M is monotone
    over the prices and the range runs from the smallest to the largest of M at
    the low, central and high prices (M is convex along the prices, an affine
    function minus a minimum of affine functions, so its largest value is at
    an end).

    References
    ----------
    .. [1] Topkis, D. M. (1978). Minimizing a submodular function on a lattice.
       *Operations Research* 26(2):305-321, doi:10.1287/opre.26.2.305.

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict(queue_id="q1", interval_start_at="2026-01-05 09:00",
    ...            interval_seconds=1800, contacts_offered=0, aht_seconds=300.0,
    ...            patience_seconds=None, staffed_agents=2.5,
    ...            agent_cost_per_hour_amount=36.0,
    ...            waiting_cost_per_second_amount=0.01,
    ...            waiting_cost_per_second_lower_amount=0.0,
    ...            waiting_cost_per_second_upper_amount=0.02,
    ...            abandon_cost_amount=5.0, abandon_cost_lower_amount=4.0,
    ...            abandon_cost_upper_amount=6.0)
    >>> out = interval_staffing(pd.DataFrame([row]))
    >>> out[["actual_agents", "optimal_agents", "money_at_stake_amount"]].values
    array([[ 2.,  0., 36.]])
    """
    require_columns(frame, STAFFING_INPUT_COLUMNS)
    secs = float_column(frame, "interval_seconds")
    with np.errstate(invalid="ignore", divide="ignore"):
        lam = np.where(secs > 0, float_column(frame, "contacts_offered") / secs, np.nan)
        actual = np.floor(float_column(frame, "staffed_agents"))
    central, actual_c, optimal_c = _interval_costs(frame, "_amount", lam, actual, secs)
    low, actual_lo, optimal_lo = _interval_costs(
        frame, "_lower_amount", lam, actual, secs
    )
    high, actual_hi, optimal_hi = _interval_costs(
        frame, "_upper_amount", lam, actual, secs
    )
    stakes = np.column_stack(
        [actual_lo - optimal_lo, actual_c - optimal_c, actual_hi - optimal_hi]
    )
    known = ~np.isnan(stakes).any(axis=1)
    with np.errstate(invalid="ignore"):
        crosses = (low.optimal_agents <= actual) & (actual <= high.optimal_agents)
    stake_lo = np.where(known, np.where(crosses, 0.0, stakes.min(axis=1)), np.nan)
    stake_hi = np.where(known, stakes.max(axis=1), np.nan)
    per_agent = float_column(frame, "agent_cost_per_hour_amount") / 3600.0 * secs
    return pd.DataFrame(
        {
            "queue_id": frame["queue_id"].to_numpy(),
            "interval_start_at": frame["interval_start_at"].to_numpy(),
            "actual_agents": actual,
            "optimal_agents": central.optimal_agents,
            "cost_at_actual_amount": actual_c,
            "cost_at_actual_lower_amount": actual_lo,
            "cost_at_actual_upper_amount": actual_hi,
            "cost_at_optimal_amount": optimal_c,
            "cost_at_optimal_lower_amount": optimal_lo,
            "cost_at_optimal_upper_amount": optimal_hi,
            "money_at_stake_amount": actual_c - optimal_c,
            "money_at_stake_lower_amount": stake_lo,
            "money_at_stake_upper_amount": stake_hi,
            "staff_cost_at_actual_amount": np.where(
                np.isnan(actual_c), np.nan, per_agent * actual
            ),
            "staff_cost_at_optimal_amount": np.where(
                np.isnan(optimal_c), np.nan, per_agent * central.optimal_agents
            ),
        }
    )
