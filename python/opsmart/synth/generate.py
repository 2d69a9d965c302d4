"""`generate`: simulate a contact centre day by day and write the landing files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.arrivals import (
    BIN_SECONDS,
    BINS_PER_DAY,
    intraday_shape,
    sample_arrivals,
    weekday_factor,
)
from opsmart.synth.clock import LocalClock, format_offset
from opsmart.synth.config import GeneratorConfig, QueueSpec
from opsmart.synth.customers import (
    REGIONS,
    SEGMENTS,
    Population,
    churn_probability,
    make_population,
)
from opsmart.synth.simulate import (
    ABANDONED,
    HANDLED,
    NEVER,
    OPEN,
    AgentShift,
    QueueServer,
)
from opsmart.synth.staffing import (
    Roster,
    allocate_agents,
    cover_with_shifts,
    staffing_need,
)
from opsmart.synth.surveys import (
    choose_themes,
    csat_scores,
    nps_scores,
    pick_comments,
)
from opsmart.synth.writer import FORMATS, Column, write_source

__all__ = ["GenerateSummary", "generate"]

logger = logging.getLogger(__name__)

_DAY = 86_400
_MAX_TALK, _MAX_HOLD, _MAX_ACW = 2_700, 600, 300
_HOLD_MEDIAN, _HOLD_SIGMA, _ACW_SIGMA, _IVR_SIGMA = 45.0, 0.7, 0.5, 0.5
_CSAT_DELAY_PROBS = (0.55, 0.25, 0.12, 0.08)
_OUTCOMES = ("handled", "abandoned", "flowout", "open", "contained")
_CONTAINED = 4
_INTEGER_NUMBERS = frozenset(
    {
        "ivr_seconds",
        "wait_seconds",
        "talk_seconds",
        "hold_seconds",
        "acw_seconds",
        "staffed_seconds",
        "available_seconds",
        "handling_seconds",
        "aux_seconds",
        "score",
        "scale_min",
        "scale_max",
    }
)


@dataclass(frozen=True)
class GenerateSummary:
    """What :func:`generate` wrote.

    Attributes
    ----------
    out_dir
        The landing directory.
    days, agents, seed, start_date, file_format
        The arguments.
    rows
        Rows written per source.
    files
        Every file written (landing files and ``truth.json``).
    """

    out_dir: Path
    days: int
    agents: int
    seed: int
    start_date: dt.date
    file_format: str
    rows: dict[str, int]
    files: tuple[Path, ...]


def _rng(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng([seed, *key])


def _lognormal(
    rng: np.random.Generator, median: NDArray[np.float64] | float, sigma: float, n: int
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.asarray(median, dtype=np.float64) * np.exp(
        sigma * rng.standard_normal(n)
    )
    return out


def _lognormal_mean(median: float, sigma: float) -> float:
    return median * math.exp(sigma * sigma / 2.0)


def _expected_aht(cfg: GeneratorConfig, q: QueueSpec) -> float:
    """Expected agent time per handled contact (talk + hold + ACW) of a queue."""
    total = 0.0
    for name, share in q.reason_mix:
        r = cfg.reason(name)
        talk = _lognormal_mean(r.talk_median_seconds * q.talk_factor, r.talk_sigma)
        total += share * talk * (1.0 + 0.5 * r.transfer_rate)
    hold = q.hold_rate * _lognormal_mean(_HOLD_MEDIAN, _HOLD_SIGMA)
    return total + hold + _lognormal_mean(q.acw_median_seconds, _ACW_SIGMA)


class _Centre:
    """Static structure of the simulated centre (forecasts, teams, agents).

    Forecasts, opening hours and shift starts are on the local wall clock (96
    15-minute bins a day); `clock` lays them on elapsed time, DST days included.
    """

    def __init__(self, cfg: GeneratorConfig, agents: int, clock: LocalClock) -> None:
        self.cfg = cfg
        self.scale = agents / 50.0
        self.clock = clock
        self.start_date = clock.start_date
        self.queues = cfg.queues
        self.queue_index = {q.queue_id: i for i, q in enumerate(cfg.queues)}
        self.reasons = tuple(r.reason for r in cfg.reasons)
        self.reason_index = {r: i for i, r in enumerate(self.reasons)}
        self.shapes = {
            q.queue_id: intraday_shape(
                q.channel, open_hour=cfg.open_hour, close_hour=cfg.close_hour
            )
            for q in cfg.queues
        }
        self.open_bins = (cfg.open_hour * 4, cfg.close_hour * 4)
        self.staffed = [q for q in cfg.queues if q.channel != "self_service"]
        self.aht = {q.queue_id: _expected_aht(cfg, q) for q in self.staffed}
        self.queue_team = {q.queue_id: q.team_id for q in cfg.queues}
        self.shift_bins = cfg.shift_hours * 4
        self.weekday_need: dict[str, list[float]] = {}
        for team in cfg.teams:
            self.weekday_need[team.team_id] = [
                float(
                    sum(
                        len(self.shift_starts(q, wd, 1.0))
                        for q in self.staffed
                        if q.team_id == team.team_id
                    )
                )
                for wd in range(7)
            ]
        weights = [max(sum(self.weekday_need[t.team_id]), 1.0) for t in cfg.teams]
        sizes = allocate_agents(weights, agents)
        self.team_agents: dict[str, list[str]] = {}
        n = 0
        for team, size in zip(cfg.teams, sizes, strict=True):
            self.team_agents[team.team_id] = [
                f"agent_{n + i + 1:04d}" for i in range(size)
            ]
            n += size

    def forecast(self, q: QueueSpec, weekday: int) -> NDArray[np.float64]:
        """Expected contacts per bin joining the agent queue of `q` (no shocks)."""
        wf = weekday_factor(weekday, self.cfg.weekday_factors)
        base = q.daily_volume_per_50_agents * self.scale * wf * self.shapes[q.queue_id]
        if q.channel == "voice":
            ss = next(s for s in self.queues if s.channel == "self_service")
            lo, hi = self.open_bins
            esc = np.zeros(BINS_PER_DAY)
            for name, share in ss.reason_mix:
                r = self.cfg.reason(name)
                if r.escalation_queue == q.queue_id:
                    esc += share * r.escalation_rate * self.shapes[ss.queue_id]
            esc[:lo] = 0.0
            esc[hi:] = 0.0
            base = base + ss.daily_volume_per_50_agents * self.scale * wf * esc
        out: NDArray[np.float64] = base
        return out

    def shift_starts(
        self, q: QueueSpec, weekday: int, factor: float
    ) -> list[tuple[int, int]]:
        """Start bins of the shifts queue `q` needs on a `weekday` at `factor`."""
        need = staffing_need(
            self.forecast(q, weekday),
            self.aht[q.queue_id],
            beta=q.staffing_beta,
            channel=q.channel,
            open_bins=self.open_bins,
            factor=factor,
        )
        lo, hi = self.open_bins
        return cover_with_shifts(
            need,
            shift_bins=self.shift_bins,
            first_bin=lo,
            last_bin=hi,
            part_time_bins=0,
        )


def _day_factor(cfg: GeneratorConfig, rng: np.random.Generator) -> float:
    u = float(rng.random())
    if u < cfg.short_day_rate:
        return float(rng.uniform(0.75, 0.9))
    if u < cfg.short_day_rate + cfg.generous_day_rate:
        return float(rng.uniform(1.1, 1.2))
    return float(rng.uniform(0.95, 1.05))


class _Rosters:
    """Builds each day's shifts once, in day order, and caches them until closed."""

    def __init__(self, centre: _Centre, seed: int, days: int) -> None:
        self.centre = centre
        self.seed = seed
        self.days = days
        self.roster = Roster(centre.team_agents, centre.weekday_need)
        self.cache: dict[int, list[AgentShift]] = {}
        self.next_day = 0
        self.factors: list[float] = []
        self.by_index: dict[int, AgentShift] = {}

    def day(self, d: int) -> list[AgentShift]:
        while self.next_day <= d:
            k = self.next_day
            rng = _rng(self.seed, 1, k)
            factor = _day_factor(self.centre.cfg, rng)
            self.factors.append(factor)
            weekday = (self.centre.start_date + dt.timedelta(days=k)).weekday()
            starts = {
                q.queue_id: self.centre.shift_starts(q, weekday, factor)
                for q in self.centre.staffed
            }
            clock = self.centre.clock
            midnight = clock.midnight(k)
            # wall-clock start bins -> elapsed bins from the day's local midnight
            starts = {
                queue_id: [
                    ((clock.bin_start(k, first) - midnight) // BIN_SECONDS, bins)
                    for first, bins in wanted
                ]
                for queue_id, wanted in starts.items()
            }
            shifts = self.roster.build_day(
                k, weekday, starts, self.centre.queue_team, rng, day_start=midnight
            )
            self.cache[k] = shifts
            self.by_index.update((s.index, s) for s in shifts)
            self.next_day += 1
        return self.cache[d]

    def loader(
        self, queue_id: str
    ) -> Callable[[], tuple[list[AgentShift], int] | None]:
        state = {"loaded": -1}

        def load() -> tuple[list[AgentShift], int] | None:
            d = state["loaded"] + 1
            if d >= self.days:
                return None
            state["loaded"] = d
            shifts = [s for s in self.day(d) if s.queue_id == queue_id]
            return shifts, self.centre.clock.midnight(d + 1)

        return load

    def release(self, d: int) -> list[AgentShift]:
        shifts = self.day(d)
        del self.cache[d]
        for s in shifts:
            del self.by_index[s.index]
        return shifts


@dataclass
class _Contacts:
    """One day's contacts as arrays (seconds from the period start)."""

    queue: NDArray[np.int64]
    reason: NDArray[np.int64]
    customer: NDArray[np.int64]
    arrived: NDArray[np.int64]
    ivr: NDArray[np.int64]
    wait: NDArray[np.int64]
    talk: NDArray[np.int64]
    hold: NDArray[np.int64]
    acw: NDArray[np.int64]
    outcome: NDArray[np.int64]
    answered: NDArray[np.int64]
    agent: list[str | None]
    transferred: NDArray[np.bool_]
    resolved: NDArray[np.int64]  # 1 true, 0 false, -1 null

    @property
    def ended(self) -> NDArray[np.int64]:
        out: NDArray[np.int64] = np.where(
            self.outcome == HANDLED,
            self.answered + self.talk + self.hold,
            self.arrived + self.ivr + self.wait,
        )
        return out


def _cat(parts: list[NDArray[Any]], dtype: type) -> NDArray[Any]:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def _sum_by(
    keys: NDArray[np.int64], weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.bincount(keys, weights=weights, minlength=n).astype(
        np.float64
    )
    return out


def _simulate_day(
    d: int,
    centre: _Centre,
    rosters: _Rosters,
    servers: dict[str, QueueServer],
    population: Population,
    seed: int,
) -> tuple[_Contacts, int]:
    """Arrivals, customers, durations and service of day `d`; returns open count."""
    cfg = centre.cfg
    clock = centre.clock
    rng = _rng(seed, 2, d)
    day0, day_end = clock.midnight(d), clock.midnight(d + 1)
    # the day's elapsed 15-minute bins, each read on the wall clock (DST days: 92, 100)
    wall_bins = clock.day_bins(d)
    weekday = (centre.start_date + dt.timedelta(days=d)).weekday()
    wf = weekday_factor(weekday, cfg.weekday_factors)
    mult = {}
    for r in cfg.reasons:
        m = math.exp(
            r.daily_sigma * float(rng.standard_normal()) - r.daily_sigma**2 / 2
        )
        if r.spike_rate > 0 and float(rng.random()) < r.spike_rate:
            m *= float(rng.uniform(r.spike_low, r.spike_high))
        mult[r.reason] = m

    # arrivals per queue and reason
    times: dict[str, list[NDArray[np.int64]]] = {q.queue_id: [] for q in cfg.queues}
    reasons: dict[str, list[NDArray[np.int64]]] = {q.queue_id: [] for q in cfg.queues}
    for q in cfg.queues:
        shape = centre.shapes[q.queue_id]
        for name, share in q.reason_mix:
            expected = (
                q.daily_volume_per_50_agents * centre.scale * wf * share * mult[name]
            )
            t = sample_arrivals(expected * shape[wall_bins], rng)
            times[q.queue_id].append(t + day0)
            reasons[q.queue_id].append(np.full(t.size, centre.reason_index[name]))

    # self-service sessions and their escalations to voice
    ss = next(q for q in cfg.queues if q.channel == "self_service")
    ss_t = _cat(times[ss.queue_id], np.int64)
    ss_r = _cat(reasons[ss.queue_id], np.int64)
    order = np.argsort(ss_t, kind="stable")
    ss_t, ss_r = ss_t[order], ss_r[order]
    n_ss = ss_t.size
    ss_ivr = np.maximum(np.rint(_lognormal(rng, ss.ivr_median_seconds, 0.6, n_ss)), 10)
    ss_ivr = ss_ivr.astype(np.int64)
    esc_rate = np.asarray([r.escalation_rate for r in cfg.reasons])[ss_r]
    esc_at = ss_t + ss_ivr + rng.integers(5, 60, size=n_ss)
    esc_local = clock.wall_seconds(d, esc_at)
    lo, hi = cfg.open_hour * 3600, cfg.close_hour * 3600
    escalate = (rng.random(n_ss) < esc_rate) & (esc_local >= lo) & (esc_local < hi)
    ss_customer = population.pick(day0, day_end, n_ss, rng)
    anon = rng.random(n_ss) < cfg.anonymous_rate
    ss_customer = np.where(anon, -1, ss_customer)
    esc_queue = np.asarray(
        [centre.queue_index[r.escalation_queue] for r in cfg.reasons], dtype=np.int64
    )[ss_r]

    parts: list[_Contacts] = []
    n_open = 0
    for q in centre.staffed:
        qi = centre.queue_index[q.queue_id]
        arr = _cat(times[q.queue_id], np.int64)
        rea = _cat(reasons[q.queue_id], np.int64)
        cust = population.pick(day0, day_end, arr.size, rng)
        cust = np.where(rng.random(arr.size) < cfg.anonymous_rate, -1, cust)
        n_direct = arr.size
        if q.ivr_median_seconds > 0:
            ivr = np.rint(_lognormal(rng, q.ivr_median_seconds, _IVR_SIGMA, n_direct))
            ivr = np.maximum(ivr, 5).astype(np.int64)
        else:
            ivr = np.zeros(n_direct, dtype=np.int64)
        sel = escalate & (esc_queue == qi)
        arr = np.concatenate([arr, esc_at[sel]])
        rea = np.concatenate([rea, ss_r[sel]])
        cust = np.concatenate([cust, ss_customer[sel]])
        ivr = np.concatenate([ivr, np.zeros(int(sel.sum()), dtype=np.int64)])
        n = arr.size
        r_talk = np.asarray([r.talk_median_seconds for r in cfg.reasons])[rea]
        r_sigma = np.asarray([r.talk_sigma for r in cfg.reasons])[rea]
        r_tr = np.asarray([r.transfer_rate for r in cfg.reasons])[rea]
        r_res = np.asarray([r.resolve_rate for r in cfg.reasons])[rea]
        transferred = rng.random(n) < r_tr
        talk = r_talk * q.talk_factor * np.where(transferred, 1.5, 1.0)
        talk = talk * np.exp(r_sigma * rng.standard_normal(n))
        talk_i = np.clip(np.rint(talk), 10, _MAX_TALK).astype(np.int64)
        has_hold = rng.random(n) < q.hold_rate
        hold = np.clip(
            np.rint(_lognormal(rng, _HOLD_MEDIAN, _HOLD_SIGMA, n)), 5, _MAX_HOLD
        )
        hold_i = np.where(has_hold, hold, 0).astype(np.int64)
        acw = np.rint(_lognormal(rng, q.acw_median_seconds, _ACW_SIGMA, n))
        acw_i = np.clip(acw, 0, _MAX_ACW).astype(np.int64)
        if math.isfinite(q.mean_patience_seconds):
            pat = np.rint(rng.exponential(q.mean_patience_seconds, n)).astype(np.int64)
        else:
            pat = np.full(n, NEVER, dtype=np.int64)
        if math.isfinite(q.flowout_after_seconds):
            accept = rng.random(n) < q.flowout_accept_rate
            fo = np.where(accept, int(q.flowout_after_seconds), NEVER).astype(np.int64)
        else:
            fo = np.full(n, NEVER, dtype=np.int64)
        resolved_draw = rng.random(n) < r_res * np.where(transferred, 0.75, 1.0)
        join = arr + ivr
        order = np.argsort(join, kind="stable")
        res = servers[q.queue_id].run(
            join[order], (talk_i + hold_i + acw_i)[order], pat[order], fo[order]
        )
        inv = np.empty(n, dtype=np.int64)
        inv[order] = np.arange(n)
        start, wait = res.start[inv], res.wait[inv]
        outcome = res.outcome[inv].astype(np.int64)
        agent_idx = res.agent[inv]
        keep = outcome != OPEN
        n_open += int(n - keep.sum())
        handled = outcome == HANDLED
        agent_ids = [
            rosters.by_index[int(a)].agent_id if h else None
            for a, h in zip(
                agent_idx[keep].tolist(), handled[keep].tolist(), strict=True
            )
        ]
        zero = np.zeros(n, dtype=np.int64)
        parts.append(
            _Contacts(
                queue=np.full(int(keep.sum()), qi, dtype=np.int64),
                reason=rea[keep],
                customer=cust[keep],
                arrived=arr[keep],
                ivr=ivr[keep],
                wait=wait[keep],
                talk=np.where(handled, talk_i, zero)[keep],
                hold=np.where(handled, hold_i, zero)[keep],
                acw=np.where(handled, acw_i, zero)[keep],
                outcome=outcome[keep],
                answered=np.where(handled, start, 0)[keep],
                agent=agent_ids,
                transferred=(transferred & handled)[keep],
                resolved=np.where(handled, resolved_draw.astype(np.int64), -1)[keep],
            )
        )
    zero_ss = np.zeros(n_ss, dtype=np.int64)
    parts.append(
        _Contacts(
            queue=np.full(n_ss, centre.queue_index[ss.queue_id], dtype=np.int64),
            reason=ss_r,
            customer=ss_customer,
            arrived=ss_t,
            ivr=ss_ivr,
            wait=zero_ss,
            talk=zero_ss,
            hold=zero_ss,
            acw=zero_ss,
            outcome=np.full(n_ss, _CONTAINED, dtype=np.int64),
            answered=zero_ss,
            agent=[None] * n_ss,
            transferred=np.zeros(n_ss, dtype=np.bool_),
            resolved=np.where(escalate, 0, 1).astype(np.int64),
        )
    )
    merged = _merge_contacts(parts)
    order = np.lexsort((merged.queue, merged.arrived))
    return _take_contacts(merged, order), n_open


def _merge_contacts(parts: list[_Contacts]) -> _Contacts:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(_Contacts):
        if f.name == "agent":
            values[f.name] = [a for p in parts for a in p.agent]
        else:
            values[f.name] = np.concatenate([getattr(p, f.name) for p in parts])
    return _Contacts(**values)


def _take_contacts(c: _Contacts, order: NDArray[np.int64]) -> _Contacts:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(_Contacts):
        if f.name == "agent":
            values[f.name] = [c.agent[i] for i in order.tolist()]
        else:
            values[f.name] = getattr(c, f.name)[order]
    return _Contacts(**values)


def _contact_columns(
    c: _Contacts, centre: _Centre, ids: list[str], population: Population
) -> dict[str, Column]:
    cfg = centre.cfg
    handled = c.outcome == HANDLED
    cust_ids = [f"cust_{i + 1:07d}" if i >= 0 else "" for i in c.customer.tolist()]
    return {
        "contact_id": (ids, None),
        "customer_id": (cust_ids, c.customer < 0),
        "queue_id": ([cfg.queues[i].queue_id for i in c.queue.tolist()], None),
        "channel": ([cfg.queues[i].channel for i in c.queue.tolist()], None),
        "contact_reason": ([centre.reasons[i] for i in c.reason.tolist()], None),
        "arrived_at": (c.arrived, None),
        "answered_at": (c.answered, ~handled),
        "ended_at": (c.ended, None),
        "outcome": ([_OUTCOMES[i] for i in c.outcome.tolist()], None),
        "agent_id": ([a or "" for a in c.agent], ~handled),
        "ivr_seconds": (c.ivr, None),
        "wait_seconds": (c.wait, None),
        "talk_seconds": (c.talk, None),
        "hold_seconds": (c.hold, None),
        "acw_seconds": (c.acw, None),
        "is_transferred": (c.transferred, None),
        "is_resolved": (c.resolved == 1, c.resolved < 0),
    }


def _agent_interval_columns(shifts: list[AgentShift]) -> dict[str, Column]:
    """Per agent x 15-minute interval: staffed, available, handling and aux seconds."""
    shifts = sorted(shifts, key=lambda s: s.agent_id)
    owner: list[int] = []
    kind: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, s in enumerate(shifts):
        logout = s.close()
        segs = [(0, s.shift_start, logout)]
        segs += [(1, a, b) for a, b in zip(s.busy_start, s.busy_end, strict=True)]
        segs += [(2, a, b) for a, b in s.aux]
        for k, a, b in segs:
            if b > a:
                owner.append(i)
                kind.append(k)
                starts.append(a)
                ends.append(b)
    st = np.asarray(starts, dtype=np.int64)
    en = np.asarray(ends, dtype=np.int64)
    first = st // BIN_SECONDS
    last = (en - 1) // BIN_SECONDS
    reps = (last - first + 1).astype(np.int64)
    seg = np.repeat(np.arange(st.size), reps)
    offset = np.arange(seg.size) - np.repeat(np.cumsum(reps) - reps, reps)
    bins = first[seg] + offset
    overlap = np.minimum(en[seg], (bins + 1) * BIN_SECONDS) - np.maximum(
        st[seg], bins * BIN_SECONDS
    )
    own = np.asarray(owner, dtype=np.int64)[seg]
    knd = np.asarray(kind, dtype=np.int64)[seg]
    bmin = int(bins.min()) if bins.size else 0
    width = int(bins.max()) - bmin + 1 if bins.size else 1
    key = own * width + (bins - bmin)
    rows, inverse = np.unique(key, return_inverse=True)
    sums = np.zeros((3, rows.size), dtype=np.int64)
    np.add.at(sums, (knd, inverse), overlap)
    staffed, handling, aux = sums
    row_owner = rows // width
    row_bin = rows % width + bmin
    owners = row_owner.tolist()
    return {
        "agent_id": ([shifts[i].agent_id for i in owners], None),
        "team_id": ([shifts[i].team_id for i in owners], None),
        "queue_id": ([shifts[i].queue_id for i in owners], None),
        "interval_start": (row_bin * BIN_SECONDS, None),
        "interval_minutes": (np.full(rows.size, 15, dtype=np.int64), None),
        "staffed_seconds": (staffed, None),
        "available_seconds": (staffed - handling - aux, None),
        "handling_seconds": (handling, None),
        "aux_seconds": (aux, None),
    }


@dataclass
class _Responses:
    response_id: list[str]
    survey_type: list[str]
    contact_id: list[str | None]
    customer: NDArray[np.int64]
    responded: NDArray[np.int64]
    score: NDArray[np.int64]
    comment: list[str | None]


def _concat_responses(parts: list[_Responses]) -> _Responses:
    return _Responses(
        response_id=[x for p in parts for x in p.response_id],
        survey_type=[x for p in parts for x in p.survey_type],
        contact_id=[x for p in parts for x in p.contact_id],
        customer=_cat([p.customer for p in parts], np.int64),
        responded=_cat([p.responded for p in parts], np.int64),
        score=_cat([p.score for p in parts], np.int64),
        comment=[x for p in parts for x in p.comment],
    )


def _response_columns(r: _Responses) -> dict[str, Column]:
    order = np.lexsort((np.asarray(r.response_id), r.responded)).tolist()
    csat = np.asarray([r.survey_type[i] == "csat" for i in order])
    cust = r.customer[order]
    return {
        "response_id": ([r.response_id[i] for i in order], None),
        "survey_type": ([r.survey_type[i] for i in order], None),
        "contact_id": ([r.contact_id[i] or "" for i in order], ~csat),
        "customer_id": ([f"cust_{i + 1:07d}" for i in cust.tolist()], cust < 0),
        "responded_at": (r.responded[order], None),
        "score": (r.score[order], None),
        "scale_min": (np.where(csat, 1, 0).astype(np.int64), None),
        "scale_max": (np.where(csat, 5, 10).astype(np.int64), None),
        "comment": (
            [r.comment[i] or "" for i in order],
            np.asarray([r.comment[i] is None for i in order], dtype=np.bool_),
        ),
    }


def _csat_responses(
    c: _Contacts, ids: list[str], centre: _Centre, rng: np.random.Generator
) -> _Responses:
    model = centre.cfg.csat
    channel = np.asarray([centre.queues[i].channel for i in c.queue.tolist()])
    eligible = np.isin(channel, model.channels) & (c.customer >= 0)
    rate = np.where(
        c.outcome == HANDLED,
        model.response_rate_handled,
        np.where(c.outcome == ABANDONED, model.response_rate_abandoned, 0.0),
    )
    take = np.flatnonzero(eligible & (rng.random(c.outcome.size) < rate))
    wait_min = c.wait[take] / 60.0
    unresolved = c.resolved[take] != 1
    scores = csat_scores(wait_min, unresolved, model, rng)
    delay = rng.choice(len(_CSAT_DELAY_PROBS), size=take.size, p=_CSAT_DELAY_PROBS)
    responded = (
        c.ended[take] + rng.integers(60, 4 * 3600, size=take.size) + delay * _DAY
    )
    has_comment = rng.random(take.size) < model.comment_rate
    reasons = np.asarray([centre.reasons[i] for i in c.reason[take].tolist()])
    themes = choose_themes(scores >= 4, wait_min, unresolved, reasons, rng)
    texts = pick_comments(themes, rng)
    return _Responses(
        response_id=[f"csat_{ids[i]}" for i in take.tolist()],
        survey_type=["csat"] * take.size,
        contact_id=[ids[i] for i in take.tolist()],
        customer=c.customer[take],
        responded=responded.astype(np.int64),
        score=scores,
        comment=[
            t if h else None for t, h in zip(texts, has_comment.tolist(), strict=True)
        ],
    )


def _sanitize(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {str(k): _sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_sanitize(v) for v in value]
    return value


def _validate(
    days: int, agents: int, seed: int, file_format: str, n_teams: int
) -> None:
    for name, value, low in (
        ("days", days, 1),
        ("agents", agents, n_teams),
        ("seed", seed, 0),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"`{name}` must be an int, got {type(value).__name__}")
        if value < low:
            raise ValueError(f"`{name}` must be >= {low}, got {value}")
    if file_format not in FORMATS:
        raise ValueError(
            f"`file_format` must be one of {', '.join(FORMATS)}, got {file_format!r}"
        )


def generate(
    out_dir: Path | str,
    *,
    days: int = 90,
    agents: int = 50,
    seed: int = 42,
    start_date: dt.date = dt.date(2026, 1, 5),
    file_format: str = "csv",
    progress: Callable[[str], None] | None = None,
    config: GeneratorConfig | None = None,
    timezone: str | None = None,
) -> GenerateSummary:
    """Simulate a contact centre and write a landing directory of the data contract.

    Parameters
    ----------
    out_dir
        The landing directory (created); one folder per source is written in it.
    days
        Days to simulate, from `start_date`.
    agents
        Distinct agents (``agent_0001`` ...); volume scales with it (50 agents
        ~ 1,900 contacts a day including self-service).
    seed
        Random seed; the same seed gives byte-identical files.
    start_date
        First simulated (local) day.
    file_format
        ``csv`` or ``parquet``.
    progress
        Called with a short message after each simulated day.
    config
        The centre's parameters (:class:`GeneratorConfig` defaults if None).
    timezone
        The centre's IANA zone, overriding the config's (default Asia/Seoul): its
        days, opening hours and intraday shape follow that wall clock through DST
        changes, and timestamps are written with the offset in force.

    Returns
    -------
    GenerateSummary
        Row counts per source and the files written.

    Raises
    ------
    ValueError
        If `days` < 1, `agents` < number of teams, `seed` < 0, the format is
        unknown or the zone is not an IANA zone name.
    TypeError
        If an int argument is not an int (or is a bool).

    Notes
    -----
    Days are simulated one at a time; only the day's contacts, 30 days of per-
    customer service summaries and pending survey answers are held in memory.
    ``truth.json`` states the data-generating process and the true effects.
    """
    cfg = config if config is not None else GeneratorConfig()
    if timezone is not None:
        cfg = dataclasses.replace(cfg, timezone=timezone)
    _validate(days, agents, seed, file_format, len(cfg.teams))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ext = "csv" if file_format == "csv" else "parquet"
    clock = LocalClock(cfg.timezone, start_date, days)
    centre = _Centre(cfg, agents, clock)
    rosters = _Rosters(centre, seed, days)
    servers = {
        q.queue_id: QueueServer(loader=rosters.loader(q.queue_id), horizon=0)
        for q in centre.staffed
    }
    population = make_population(
        round(cfg.customers_per_agent * agents),
        clock.midnight(days),
        cfg.signup_rate_per_month,
        _rng(seed, 0),
    )
    n_cust = population.size
    rt_queue = np.asarray([q.channel in ("voice", "chat") for q in cfg.queues])
    win_wait = np.zeros(n_cust)
    win_rt = np.zeros(n_cust)
    win_unres = np.zeros(n_cust)
    history: deque[
        tuple[
            NDArray[np.int64],
            NDArray[np.float64],
            NDArray[np.float64],
            NDArray[np.float64],
        ]
    ] = deque(maxlen=30)
    pending: dict[int, list[_Responses]] = {}
    rows = dict.fromkeys(
        ("contacts", "agent_intervals", "survey_responses", "customers", "costs"), 0
    )
    files: list[Path] = []
    extra = {"open_email_at_end": 0, "csat_after_end": 0, "churned": 0}
    churn_windows: list[dict[str, Any]] = []

    def write(source: str, cols: dict[str, Column], name: str) -> None:
        path = out / source / name
        rows[source] += write_source(
            source,
            cols,
            path,
            clock=clock,
            file_format=file_format,
            integer_numbers=_INTEGER_NUMBERS,
        )
        files.append(path)

    for d in range(days):
        date = start_date + dt.timedelta(days=d)
        stamp = date.isoformat()
        contacts, n_open = _simulate_day(d, centre, rosters, servers, population, seed)
        extra["open_email_at_end"] += n_open
        ids = [f"ct_{date:%Y%m%d}_{i + 1:06d}" for i in range(contacts.arrived.size)]
        write(
            "contacts",
            _contact_columns(contacts, centre, ids, population),
            f"contacts_{stamp}.{ext}",
        )
        write(
            "agent_intervals",
            _agent_interval_columns(rosters.release(d)),
            f"agent_intervals_{stamp}.{ext}",
        )

        # service summaries per customer (offered contacts only)
        srng = _rng(seed, 3, d)
        offered = (contacts.outcome != _CONTAINED) & (contacts.customer >= 0)
        cust = contacts.customer[offered]
        rt = rt_queue[contacts.queue[offered]].astype(np.float64)
        wait_min = contacts.wait[offered] / 60.0
        unres = (contacts.resolved[offered] != 1).astype(np.float64)
        np.add.at(win_wait, cust, wait_min * rt)
        np.add.at(win_rt, cust, rt)
        np.add.at(win_unres, cust, unres)

        # relationship NPS: daily slice of a monthly random sample (previous 30 days)
        nps_model = cfg.nps
        day0, day_end = clock.midnight(d), clock.midnight(d + 1)
        active = population.active_on(day0, day_end)
        p_day = nps_model.monthly_sample_rate / 30.0 * nps_model.response_rate
        sampled = active[srng.random(active.size) < p_day]
        h_c = _cat([h[0] for h in history], np.int64)
        h_w = _sum_by(h_c, _cat([h[1] for h in history], np.float64), n_cust)[sampled]
        h_r = _sum_by(h_c, _cat([h[2] for h in history], np.float64), n_cust)[sampled]
        h_u = _sum_by(h_c, _cat([h[3] for h in history], np.float64), n_cust)[sampled]
        mean_wait = np.divide(h_w, h_r, out=np.zeros(sampled.size), where=h_r > 0)
        nps = nps_scores(mean_wait, h_u, nps_model, srng)
        nps_comment = srng.random(sampled.size) < nps_model.comment_rate
        themes = choose_themes(
            nps >= 9, mean_wait, h_u > 0, np.full(sampled.size, "plan_change"), srng
        )
        texts = pick_comments(themes, srng)
        nps_resp = _Responses(
            response_id=[f"nps_{date:%Y%m%d}_{i + 1:06d}" for i in range(sampled.size)],
            survey_type=["nps"] * sampled.size,
            contact_id=[None] * sampled.size,
            customer=sampled,
            responded=day0 + srng.integers(7 * 3600, 23 * 3600, size=sampled.size),
            score=nps,
            comment=[
                t if h else None
                for t, h in zip(texts, nps_comment.tolist(), strict=True)
            ],
        )
        history.append((cust, wait_min * rt, rt, unres))

        # post-contact CSAT, landing 0-3 days later (late-arriving data)
        csat = _csat_responses(contacts, ids, centre, srng)
        due = clock.day_of(csat.responded).tolist()
        for target in sorted(set(due)):
            sel = [i for i, x in enumerate(due) if x == target]
            if target >= days:
                extra["csat_after_end"] += len(sel)
                continue
            idx = np.asarray(sel, dtype=np.int64)
            pending.setdefault(target, []).append(
                _Responses(
                    response_id=[csat.response_id[i] for i in sel],
                    survey_type=[csat.survey_type[i] for i in sel],
                    contact_id=[csat.contact_id[i] for i in sel],
                    customer=csat.customer[idx],
                    responded=csat.responded[idx],
                    score=csat.score[idx],
                    comment=[csat.comment[i] for i in sel],
                )
            )
        today = _concat_responses([*pending.pop(d, []), nps_resp])
        write(
            "survey_responses",
            _response_columns(today),
            f"survey_responses_{stamp}.{ext}",
        )

        # monthly churn at the end of each 30-day window
        window = cfg.churn.window_days
        if (d + 1) % window == 0:
            crng = _rng(seed, 4, d)
            end = day_end
            alive = np.flatnonzero(
                (population.signed_up < end) & (population.churned == NEVER)
            )
            w = np.divide(win_wait, win_rt, out=np.zeros(n_cust), where=win_rt > 0)[
                alive
            ]
            p = churn_probability(
                w, win_unres[alive], population.segment[alive], cfg.churn
            )
            gone = alive[crng.random(alive.size) < p]
            # after 20:00 on the window's last day, and after their last contact
            last_end = np.zeros(n_cust, dtype=np.int64)
            ended = contacts.ended
            known = (contacts.customer >= 0) & (ended < end - 60)
            np.maximum.at(last_end, contacts.customer[known], ended[known])
            population.churned[gone] = np.maximum(
                day0 + crng.integers(20 * 3600, clock.day_seconds(d), size=gone.size),
                last_end[gone] + 60,
            )
            extra["churned"] += int(gone.size)
            churn_windows.append(
                {
                    "first_day": d + 1 - window,
                    "last_day": d,
                    "at_risk": int(alive.size),
                    "churned": int(gone.size),
                }
            )
            win_wait[:] = 0.0
            win_rt[:] = 0.0
            win_unres[:] = 0.0
        msg = (
            f"{stamp}: {contacts.arrived.size} contacts, "
            f"{len(today.response_id)} survey answers"
        )
        logger.debug(msg)
        if progress is not None:
            progress(msg)

    _write_customers(population, write, ext)
    _write_costs(cfg, days, write, ext)
    truth = _truth(
        cfg,
        centre,
        rosters,
        days,
        agents,
        seed,
        start_date,
        file_format,
        rows,
        extra,
        churn_windows,
    )
    truth_path = out / "truth.json"
    truth_path.write_text(json.dumps(_sanitize(truth), indent=2, sort_keys=True) + "\n")
    files.append(truth_path)
    return GenerateSummary(
        out_dir=out,
        days=days,
        agents=agents,
        seed=seed,
        start_date=start_date,
        file_format=file_format,
        rows=dict(rows),
        files=tuple(files),
    )


def _write_customers(
    population: Population,
    write: Callable[[str, dict[str, Column], str], None],
    ext: str,
) -> None:
    n = population.size
    churned = population.churned
    cols: dict[str, Column] = {
        "customer_id": ([f"cust_{i + 1:07d}" for i in range(n)], None),
        "segment": ([SEGMENTS[i] for i in population.segment.tolist()], None),
        "region": ([REGIONS[i] for i in population.region.tolist()], None),
        "signed_up_at": (population.signed_up, None),
        "churned_at": (np.where(churned == NEVER, 0, churned), churned == NEVER),
        "monthly_revenue": (population.revenue, None),
    }
    write("customers", cols, f"customers.{ext}")


def _write_costs(
    cfg: GeneratorConfig,
    days: int,
    write: Callable[[str, dict[str, Column], str], None],
    ext: str,
) -> None:
    teams = [t.team_id for t in cfg.teams]
    rates = [t.cost_per_agent_hour for t in cfg.teams]
    start = [0] * len(teams)
    change = min(cfg.rate_change_day, days // 2)
    old = dict(zip(teams, rates, strict=True))[cfg.rate_change_team]
    teams.append(cfg.rate_change_team)
    rates.append(round(old * cfg.rate_change_factor, 2))
    start.append(change)
    cols: dict[str, Column] = {
        "team_id": (teams, None),
        "effective_from": (np.asarray(start, dtype=np.int64), None),
        "loaded_cost_per_agent_hour": (np.asarray(rates, dtype=np.float64), None),
        "currency": ([cfg.currency] * len(teams), None),
    }
    write("costs", cols, f"costs.{ext}")


def _zone_truth(clock: LocalClock, days: int) -> dict[str, Any]:
    """The center's zone, its UTC offsets in the period and its DST days' lengths."""
    midnights = [clock.midnight(d) for d in range(days + 1)]
    offsets = {format_offset(int(o)) for o in clock.utc_offsets(midnights)}
    return {
        "name": clock.zone,
        "utc_offsets": sorted(offsets),
        "days_not_24_hours": {
            (clock.start_date + dt.timedelta(days=d)).isoformat(): clock.day_seconds(d)
            / 3600
            for d in range(days)
            if clock.day_seconds(d) != _DAY
        },
        "note": "timestamps are written with the offset in force at each instant; "
        "days, opening hours and intraday shapes follow the local wall clock",
    }


def _truth(
    cfg: GeneratorConfig,
    centre: _Centre,
    rosters: _Rosters,
    days: int,
    agents: int,
    seed: int,
    start_date: dt.date,
    file_format: str,
    rows: dict[str, int],
    extra: dict[str, int],
    churn_windows: list[dict[str, Any]],
) -> dict[str, Any]:
    c, n, ch = cfg.csat, cfg.nps, cfg.churn
    return {
        "generator": "opsmart.synth",
        "arguments": {
            "days": days,
            "agents": agents,
            "seed": seed,
            "start_date": start_date.isoformat(),
            "file_format": file_format,
        },
        "timezone": _zone_truth(centre.clock, days),
        "row_counts": rows,
        "not_written": extra,
        "teams": {t: len(ids) for t, ids in centre.team_agents.items()},
        "expected_aht_seconds": centre.aht,
        "staffing": {
            "rule": "heads = ceil((A + beta*sqrt(A)) / (1 - aux_share) * day_factor) "
            "per 15-min bin, A = forecast arrivals/s * expected AHT; e-mail: "
            "daily workload spread over opening hours * 1.15",
            "day_factors": [round(f, 4) for f in rosters.factors[:days]],
            "dropped_shifts_no_agent_free": rosters.roster.dropped_shifts,
        },
        "csat": {
            "form": "P(score >= 4) = logistic(alpha + beta_wait * wait_minutes + "
            "beta_unres * unresolved); unresolved = is_resolved is not true; "
            "surveyed: voice and chat contacts with a customer, handled at "
            "response_rate_handled, abandoned at response_rate_abandoned "
            "(random, independent of the experience)",
            **dataclasses.asdict(c),
        },
        "nps": {
            "form": "multinomial logit vs passive: "
            "log(P(promoter)/P(passive)) = pro0 + pro_wait*w + pro_unres*u; "
            "log(P(detractor)/P(passive)) = det0 + "
            "det_wait*w + det_unres*u; w = mean wait minutes of the customer's "
            "voice/chat offered contacts in the 30 days before the response day "
            "(0 if none), u = their offered contacts (any channel) not resolved "
            "in those days; sampled daily with probability "
            "monthly_sample_rate/30 * response_rate per active customer",
            **dataclasses.asdict(n),
        },
        "churn": {
            "form": "at the end of each 30-day window from the start: P(churn) = "
            "logistic(gamma0 + gamma_wait*w + gamma_unres*u + segment_offset); "
            "w = mean wait minutes of the customer's voice/chat offered contacts "
            "in the window (0 if none), u = their unresolved offered contacts in "
            "the window; churned_at is on the window's last day after 20:00 and "
            "after the "
            "customer's last contact; churned customers contact no more",
            **dataclasses.asdict(ch),
            "windows": churn_windows,
        },
        "queues": [dataclasses.asdict(q) for q in cfg.queues],
        "reasons": [dataclasses.asdict(r) for r in cfg.reasons],
        "costs": {t.team_id: t.cost_per_agent_hour for t in cfg.teams},
        "rate_change": {
            "team_id": cfg.rate_change_team,
            "day": min(cfg.rate_change_day, days // 2),
            "factor": cfg.rate_change_factor,
        },
        "notes": [
            "contacts are filed by local arrival date; surveys by local response date",
            "e-mails still unanswered at the end of the period are not written "
            "(open_email_at_end); CSAT answers due after the period are not written",
            "abandoned and flowout contacts have is_resolved null; contained sessions "
            "are resolved unless escalated to a voice contact",
        ],
    }
