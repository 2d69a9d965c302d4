"""What-if: add or remove agents at some intervals of the staffing plan, and see
what the queue, the customers and the budget get for it.

For the selected plan rows, the queue is evaluated by
:func:`opsmart.queueing.erlang_a` (the one Erlang A of the project; patience
``inf`` is Erlang C) at the plan's required agents and at that count plus a
delta, and the fitted effects of waiting (``rpt_wait_churn_effects``,
``rpt_wait_experience_curve``) and the prices of ``rpt_staffing`` turn the
change in waits into CSAT, churn and money, each with its range. See
docs/forecast.md, "What-if".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from opsmart._frames import float_column, require_columns
from opsmart.queueing import erlang_a

__all__ = [
    "PRICE_COLUMNS",
    "WHATIF_INPUT_COLUMNS",
    "Scenario",
    "WaitEffects",
    "WhatIf",
    "wait_effects",
    "what_if",
]

F64 = NDArray[np.float64]

_PRICES = ("_amount", "_lower_amount", "_upper_amount")

#: A queue's prices of a waiting second and of an abandon, central and the ends of
#: their 95 % ranges, as ``rpt_staffing`` has them.
PRICE_COLUMNS = tuple(
    f"{price}{sfx}"
    for price in ("waiting_cost_per_second", "abandon_cost")
    for sfx in _PRICES
)

#: The columns :func:`what_if` reads: a row of ``rpt_staffing_plan`` with its
#: interval's length and its queue's prices of a waiting second and an abandon
#: (``rpt_staffing``'s, central and the ends of their 95 % ranges).
WHATIF_INPUT_COLUMNS = (
    "interval_seconds",
    "contacts_offered_forecast",
    "aht_seconds_forecast",
    "patience_seconds",
    "sl_threshold_seconds",
    "required_agents",
    "agent_cost_per_hour_amount",
    *PRICE_COLUMNS,
)


@dataclass(frozen=True)
class WaitEffects:
    """The fitted effects of waiting that :func:`what_if` applies.

    Attributes
    ----------
    churn_per_wait_second_rate : float
        Change in a customer window's churn probability per second of mean
        wait (the churn model's average marginal effect); NaN without a fit.
    churn_per_wait_second_lower_rate, churn_per_wait_second_upper_rate : float
        The same at the ends of the wait coefficient's 95 % interval.
    band_lower_seconds : tuple of float
        Lower edges of the wait bands of the CSAT curve, ascending, from 0.
    csat_rate, csat_rate_lower, csat_rate_upper : tuple of float
        Top-2-box CSAT of each band and its 95 % interval; NaN for a band
        without answers.
    """

    churn_per_wait_second_rate: float
    churn_per_wait_second_lower_rate: float
    churn_per_wait_second_upper_rate: float
    band_lower_seconds: tuple[float, ...] = (0.0,)
    csat_rate: tuple[float, ...] = (math.nan,)
    csat_rate_lower: tuple[float, ...] = (math.nan,)
    csat_rate_upper: tuple[float, ...] = (math.nan,)


@dataclass(frozen=True)
class Scenario:
    """The selected intervals at one staffing: contact-weighted queue measures,
    CSAT, and the priced cost of waiting and abandoning (NaN: unknown; see
    :func:`what_if`)."""

    agent_hours: float
    service_level_rate: float
    abandon_rate: float
    asa_seconds: float
    mean_wait_seconds: float
    csat_rate: float
    waiting_abandon_cost_amount: float
    waiting_abandon_cost_lower_amount: float
    waiting_abandon_cost_upper_amount: float
    unstable_intervals: int


@dataclass(frozen=True)
class WhatIf:
    """What :func:`what_if` returns: both scenarios and their differences."""

    agents_delta: int
    intervals: int
    intervals_skipped: int
    intervals_clipped: int
    hours: float
    contacts_offered: float
    baseline: Scenario
    changed: Scenario
    csat_rate_change: float
    csat_rate_change_lower: float
    csat_rate_change_upper: float
    churn_rate_change: float
    churn_rate_change_lower: float
    churn_rate_change_upper: float
    staff_cost_change_amount: float
    waiting_abandon_cost_change_amount: float
    waiting_abandon_cost_change_lower_amount: float
    waiting_abandon_cost_change_upper_amount: float
    net_cost_change_amount: float
    net_cost_change_lower_amount: float
    net_cost_change_upper_amount: float

    def as_dict(self) -> dict[str, object]:
        """Plain values for JSON: NaN becomes None."""

        def clean(value: object) -> object:
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, float) and not math.isfinite(value):
                return None
            return value

        out = clean(asdict(self))
        assert isinstance(out, dict)
        return out


def _effect_slope(term: pd.Series, ame: float) -> tuple[float, float, float]:
    """Churn per wait second at the estimate and the ends of its interval."""
    b = float(term["estimate"])
    lo, hi = float(term["ci_lower"]), float(term["ci_upper"])
    if not all(map(math.isfinite, (b, lo, hi, ame))):
        return math.nan, math.nan, math.nan
    if b > 0:
        slope = ame * 60.0 / b  # mean of p (1 - p) over the fitted windows
    else:
        # held at 0: the mean of p (1 - p) is at most pbar (1 - pbar) (concave)
        windows = float(term["customer_windows"])
        pbar = float(term["churned_customer_windows"]) / windows if windows else 0.0
        slope = pbar * (1.0 - pbar)
    return ame, lo / 60.0 * slope, hi / 60.0 * slope


def wait_effects(churn_effects: pd.DataFrame, curve: pd.DataFrame) -> WaitEffects:
    """The effects of waiting from the two published reports.

    Parameters
    ----------
    churn_effects : pandas.DataFrame
        ``rpt_wait_churn_effects`` (at least its ``wait_minutes`` row with
        ``term``, ``estimate``, ``ci_lower``, ``ci_upper``,
        ``customer_windows``, ``churned_customer_windows`` and
        ``churn_per_wait_second_rate``); empty: no churn effect (NaN).
    curve : pandas.DataFrame
        ``rpt_wait_experience_curve`` (``wait_band_index``,
        ``wait_band_lower_seconds``, ``csat_responses``, ``csat_rate``,
        ``csat_rate_lower``, ``csat_rate_upper``; one row per band x
        resolved status); empty: no CSAT effect (NaN).

    Returns
    -------
    WaitEffects
        The churn slope with its range, and one CSAT rate per wait band: the
        resolved and unresolved rows pooled, weighted by their answers (the
        band's overall top-2-box share), the bounds weighted alike (a range at
        least as wide as the pooled rate's own).

    Notes
    -----
    The churn model's average marginal effect is b_w / 60 x mean p (1 - p);
    at the ends of b_w's interval the mean of p (1 - p) is held at its fitted
    value (first order). When b_w is held at 0 that mean is unknown from the
    report, and pbar (1 - pbar), an upper bound, stands in.
    """
    nan3 = (math.nan, math.nan, math.nan)
    churn = nan3
    if not churn_effects.empty:
        rows = churn_effects.loc[churn_effects["term"] == "wait_minutes"]
        if not rows.empty:
            term = rows.iloc[0]
            churn = _effect_slope(term, float(term["churn_per_wait_second_rate"]))
    if curve.empty:
        return WaitEffects(*churn)
    data = pd.DataFrame(
        {
            "band": curve["wait_band_index"].astype(int),
            "lower": float_column(curve, "wait_band_lower_seconds"),
            "n": np.nan_to_num(float_column(curve, "csat_responses")),
            **{
                c: float_column(curve, c)
                for c in ("csat_rate", "csat_rate_lower", "csat_rate_upper")
            },
        }
    )
    bands: list[tuple[float, float, float, float]] = []
    for _, group in data.groupby("band", sort=True):
        n = group["n"].to_numpy()
        rates = []
        for c in ("csat_rate", "csat_rate_lower", "csat_rate_upper"):
            v = group[c].to_numpy()
            ok = (n > 0) & np.isfinite(v)
            rates.append(
                float(np.sum(n[ok] * v[ok]) / np.sum(n[ok])) if ok.any() else math.nan
            )
        bands.append((float(group["lower"].min()), rates[0], rates[1], rates[2]))
    lower, rate, lo, hi = (tuple(x) for x in zip(*bands, strict=True))
    return WaitEffects(*churn, lower, rate, lo, hi)


def _band_shares(r_edges: F64, bands: int) -> F64:
    """Shares of answered contacts per band from the answered service level at
    each band's upper edge (rows x edges): P(W < e1), P(e1 <= W < e2), ..."""
    cdf = np.concatenate(
        [np.zeros((r_edges.shape[0], 1)), r_edges, np.ones((r_edges.shape[0], 1))],
        axis=1,
    )
    shares: F64 = np.diff(cdf, axis=1)[:, :bands]
    return shares


def _weighted(values: F64, weights: F64) -> float:
    """Weighted mean over rows with weight > 0; NaN when any of them is NaN or
    none has weight."""
    use = weights > 0
    if not use.any() or not np.all(np.isfinite(values[use])):
        return math.nan
    return float(np.sum(weights[use] * values[use]) / np.sum(weights[use]))


def _scenario(
    data: dict[str, F64], agents: F64, effects: WaitEffects
) -> tuple[Scenario, F64, F64, list[float]]:
    """The scenario at `agents`, its answered contacts, its answered band
    shares (weighted over rows) and its priced cost at the three prices."""
    lam, s, tau = data["lam"], data["aht"], data["tau"]
    secs, contacts = data["secs"], data["contacts"]
    r = erlang_a(lam, s, agents, tau, threshold=data["thr"])
    sl = np.asarray(r.service_level, dtype=np.float64)
    p_ab = np.asarray(r.prob_abandon, dtype=np.float64)
    asa = np.asarray(r.mean_wait_answered, dtype=np.float64)
    wait = np.asarray(r.mean_wait, dtype=np.float64)
    lq = np.asarray(r.mean_queue_length, dtype=np.float64)
    busy = contacts > 0
    unstable = busy & ~np.asarray(r.stable, dtype=bool)
    answered = contacts * (1.0 - p_ab)
    edges = np.asarray(effects.band_lower_seconds[1:], dtype=np.float64)
    bands = len(effects.band_lower_seconds)
    if edges.size:
        e = erlang_a(lam[:, None], s[:, None], agents[:, None], tau[:, None],
                     threshold=edges[None, :])  # fmt: skip
        r_edges = np.asarray(e.service_level_answered, dtype=np.float64)
    else:
        r_edges = np.empty((len(lam), 0))
    shares = _band_shares(r_edges, bands)
    use = answered > 0
    if use.any() and not unstable.any() and np.all(np.isfinite(shares[use])):
        mix = np.sum(answered[use, None] * shares[use], axis=0) / np.sum(answered[use])
    else:
        mix = np.full(bands, np.nan)
    csat = _csat(mix, effects)[0]
    costs = []
    for sfx in _PRICES:
        kw, kb = data[f"wait{sfx}"], data[f"abandon{sfx}"]
        with np.errstate(invalid="ignore"):
            part = (np.where(kw > 0, kw * lq, 0.0) + kb * lam * p_ab) * secs
        costs.append(float(np.sum(part)) if np.all(np.isfinite(part)) else math.nan)
    scenario = Scenario(
        agent_hours=float(np.sum(agents * secs) / 3600.0),
        service_level_rate=_weighted(sl, contacts),
        abandon_rate=_weighted(p_ab, contacts),
        asa_seconds=_weighted(asa, answered),
        mean_wait_seconds=_weighted(wait, contacts),
        csat_rate=csat,
        waiting_abandon_cost_amount=costs[0],
        waiting_abandon_cost_lower_amount=costs[1],
        waiting_abandon_cost_upper_amount=costs[2],
        unstable_intervals=int(unstable.sum()),
    )
    return scenario, answered, mix, costs


def _csat(mix: F64, effects: WaitEffects) -> tuple[float, F64, F64, F64]:
    """CSAT of a band mix over the bands with a rate (shares renormalised)."""
    rate = np.asarray(effects.csat_rate, dtype=np.float64)
    lo = np.asarray(effects.csat_rate_lower, dtype=np.float64)
    hi = np.asarray(effects.csat_rate_upper, dtype=np.float64)
    ok = np.isfinite(rate) & np.isfinite(lo) & np.isfinite(hi)
    total = float(np.sum(mix[ok])) if np.all(np.isfinite(mix)) else math.nan
    if not ok.any() or not total > 0:
        return math.nan, mix, lo, hi
    share = np.where(ok, mix, 0.0) / total
    return (
        float(np.sum(share[ok] * rate[ok])),
        share,
        np.where(ok, lo, 0.0),
        np.where(ok, hi, 0.0),
    )


def _range(*values: float) -> tuple[float, float]:
    if not all(math.isfinite(v) for v in values):
        return math.nan, math.nan
    return min(values), max(values)


def what_if(plan_rows: pd.DataFrame, effects: WaitEffects, agents_delta: int) -> WhatIf:
    r"""Service, customers and cost at the plan's agents and at `agents_delta` more.

    Parameters
    ----------
    plan_rows : pandas.DataFrame
        The selected intervals: rows of ``rpt_staffing_plan`` with
        :data:`WHATIF_INPUT_COLUMNS` (``interval_seconds`` and the queue's
        prices added). ``patience_seconds`` null: Erlang C.
    effects : WaitEffects
        From :func:`wait_effects`.
    agents_delta : int
        Agents on the phones added (> 0) or removed (< 0) in every selected
        interval.

    Returns
    -------
    WhatIf
        ``baseline`` (at ``required_agents``, the plan's agents on the phones
        for the service target at the point forecast) and ``changed`` (at
        max(required + delta, 0); ``intervals_clipped`` counts the intervals
        held at 0). Each :class:`Scenario`: ``service_level_rate`` (answered
        within the threshold / offered) and ``abandon_rate`` weighted by
        forecast offered contacts, ``asa_seconds`` (mean wait of answered)
        weighted by answered contacts, ``mean_wait_seconds`` (all offered,
        abandoners to their abandon) by offered contacts, ``csat_rate`` (the
        answered contacts' wait-band mix times the CSAT curve), and the priced
        cost of waiting and abandoning with its range. Then the changes: CSAT
        and churn (with their ranges), ``staff_cost_change_amount`` = Σ agents
        added x interval hours x cost per staffed hour, the priced cost change,
        and the net (staff + priced) change with its range. Rows without
        required agents or contacts forecast, AHT or interval length are left
        out (``intervals_skipped``).

    Raises
    ------
    KeyError
        If an input column is missing.
    TypeError
        If `agents_delta` is not an integer (or is a bool).

    Notes
    -----
    Arrivals are λ = contacts / interval seconds, stationary in the interval,
    as in the plan. A scenario with an interval whose Erlang C queue is
    unstable (load at or above the agents, nobody abandons) has no finite
    wait: its ASA, mean wait, CSAT, priced cost and the changes built on them
    are NaN, and ``unstable_intervals`` counts them.

    * CSAT: the curve's band rates c_b are weighted by the answered contacts'
      shares P_b of each wait band (Erlang A's answered service level at the
      band edges). The change is Σ_b ΔP_b c_b; its range takes each band's rate
      at the end of its interval that lowers (raises) the sum: a conservative
      bound, the bands' intervals taken as independent.
    * Churn: the change in a customer window's churn probability is the churn
      model's average marginal effect per second of mean wait times the change
      in mean wait of offered contacts (a first-order, per-window figure for
      customers whose contacts all wait like these). The unresolved-contact
      effect of abandons is priced in the abandon cost, not added here.
    * Priced cost: K = k_w L_q + k_ab λ P(Ab) per second times the interval
      seconds, the waiting and abandoning parts of ``rpt_staffing``'s cost, at
      the central prices and at both ends of their ranges (the prices move
      together, as in ``rpt_staffing``); the change's range is the smaller and
      larger of its values at the two ends.

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict(interval_seconds=1800, contacts_offered_forecast=10.0,
    ...            aht_seconds_forecast=180.0, patience_seconds=None,
    ...            sl_threshold_seconds=20, required_agents=1,
    ...            agent_cost_per_hour_amount=30.0,
    ...            waiting_cost_per_second_amount=0.0,
    ...            waiting_cost_per_second_lower_amount=0.0,
    ...            waiting_cost_per_second_upper_amount=0.0, abandon_cost_amount=0.0,
    ...            abandon_cost_lower_amount=0.0, abandon_cost_upper_amount=0.0)
    >>> effects = WaitEffects(float("nan"), float("nan"), float("nan"))
    >>> out = what_if(pd.DataFrame([row]), effects, 1)
    >>> # A = 1 erlang: unstable with 1 agent, P_w = 1/3 with 2 (Erlang C)
    >>> out.baseline.unstable_intervals, round(out.changed.asa_seconds, 6)
    (1, 60.0)
    >>> out.staff_cost_change_amount
    15.0
    """
    if isinstance(agents_delta, bool) or not isinstance(agents_delta, int | np.integer):
        raise TypeError(f"`agents_delta` must be an integer, got {agents_delta!r}")
    require_columns(plan_rows, WHATIF_INPUT_COLUMNS)
    secs = float_column(plan_rows, "interval_seconds")
    contacts = float_column(plan_rows, "contacts_offered_forecast")
    aht = float_column(plan_rows, "aht_seconds_forecast")
    base = float_column(plan_rows, "required_agents")
    with np.errstate(invalid="ignore"):
        keep = (
            np.isfinite(secs) & (secs > 0) & np.isfinite(contacts) & (contacts >= 0)
            & np.isfinite(base) & (base >= 0)
            & ((np.isfinite(aht) & (aht > 0)) | (contacts == 0))
        )  # fmt: skip
        tau = float_column(plan_rows, "patience_seconds")
        tau = np.where(np.isfinite(tau) & (tau > 0), tau, np.inf)
    data: dict[str, F64] = {
        "secs": secs[keep],
        "contacts": contacts[keep],
        "lam": contacts[keep] / secs[keep],
        "aht": np.where(aht[keep] > 0, aht[keep], 1.0),
        "tau": tau[keep],
        "thr": np.nan_to_num(float_column(plan_rows, "sl_threshold_seconds")[keep]),
    }
    for sfx in _PRICES:
        data[f"wait{sfx}"] = float_column(plan_rows, f"waiting_cost_per_second{sfx}")[
            keep
        ]
        data[f"abandon{sfx}"] = float_column(plan_rows, f"abandon_cost{sfx}")[keep]
    rate = float_column(plan_rows, "agent_cost_per_hour_amount")[keep]
    base_n = base[keep]
    new_n = np.maximum(base_n + int(agents_delta), 0.0)
    before, _, mix0, cost0 = _scenario(data, base_n, effects)
    after, _, mix1, cost1 = _scenario(data, new_n, effects)
    # CSAT change and its conservative range, over the bands with a rate
    _, share0, lo, hi = _csat(mix0, effects)
    _, share1, _, _ = _csat(mix1, effects)
    d_share = share1 - share0
    csat_change = after.csat_rate - before.csat_rate
    if math.isfinite(csat_change):
        csat_lo = float(np.sum(np.where(d_share > 0, d_share * lo, d_share * hi)))
        csat_hi = float(np.sum(np.where(d_share > 0, d_share * hi, d_share * lo)))
    else:
        csat_lo = csat_hi = math.nan
    d_wait = after.mean_wait_seconds - before.mean_wait_seconds
    churn = d_wait * effects.churn_per_wait_second_rate
    churn_lo, churn_hi = _range(
        d_wait * effects.churn_per_wait_second_lower_rate,
        d_wait * effects.churn_per_wait_second_upper_rate,
    )
    staff = float(np.sum((new_n - base_n) * secs[keep] / 3600.0 * rate))
    priced = cost1[0] - cost0[0]
    priced_lo, priced_hi = _range(cost1[1] - cost0[1], cost1[2] - cost0[2])
    return WhatIf(
        agents_delta=int(agents_delta),
        intervals=int(keep.sum()),
        intervals_skipped=int((~keep).sum()),
        intervals_clipped=int(np.sum(base_n + int(agents_delta) < 0)),
        hours=float(np.sum(secs[keep]) / 3600.0),
        contacts_offered=float(np.sum(contacts[keep])),
        baseline=before,
        changed=after,
        csat_rate_change=csat_change,
        csat_rate_change_lower=csat_lo,
        csat_rate_change_upper=csat_hi,
        churn_rate_change=churn,
        churn_rate_change_lower=churn_lo,
        churn_rate_change_upper=churn_hi,
        staff_cost_change_amount=staff,
        waiting_abandon_cost_change_amount=priced,
        waiting_abandon_cost_change_lower_amount=priced_lo,
        waiting_abandon_cost_change_upper_amount=priced_hi,
        net_cost_change_amount=staff + priced,
        net_cost_change_lower_amount=staff + priced_lo,
        net_cost_change_upper_amount=staff + priced_hi,
    )
