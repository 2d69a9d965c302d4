"""`generate`: simulate a contact center day by day and write the landing files."""

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


class _Center:
    """Static structure of the simulated center (forecasts, teams, agents).

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
        volume_factor = weekday_factor(weekday, self.cfg.weekday_factors)
        base = (
            q.daily_volume_per_50_agents
            * self.scale
            * volume_factor
            * self.shapes[q.queue_id]
        )
        if q.channel == "voice":
            self_service = next(s for s in self.queues if s.channel == "self_service")
            opens, closes = self.open_bins
            escalations = np.zeros(BINS_PER_DAY)
            for name, share in self_service.reason_mix:
                r = self.cfg.reason(name)
                if r.escalation_queue == q.queue_id:
                    escalations += (
                        share * r.escalation_rate * self.shapes[self_service.queue_id]
                    )
            escalations[:opens] = 0.0
            escalations[closes:] = 0.0
            base = base + (
                self_service.daily_volume_per_50_agents
                * self.scale
                * volume_factor
                * escalations
            )
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

    def __init__(self, center: _Center, seed: int, days: int) -> None:
        self.center = center
        self.seed = seed
        self.days = days
        self.roster = Roster(center.team_agents, center.weekday_need)
        self.cache: dict[int, list[AgentShift]] = {}
        self.next_day = 0
        self.factors: list[float] = []
        self.by_index: dict[int, AgentShift] = {}

    def day(self, d: int) -> list[AgentShift]:
        while self.next_day <= d:
            k = self.next_day
            rng = _rng(self.seed, 1, k)
            factor = _day_factor(self.center.cfg, rng)
            self.factors.append(factor)
            weekday = (self.center.start_date + dt.timedelta(days=k)).weekday()
            starts = {
                q.queue_id: self.center.shift_starts(q, weekday, factor)
                for q in self.center.staffed
            }
            clock = self.center.clock
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
                k, weekday, starts, self.center.queue_team, rng, day_start=midnight
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
            return shifts, self.center.clock.midnight(d + 1)

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
    center: _Center,
    rosters: _Rosters,
    servers: dict[str, QueueServer],
    population: Population,
    seed: int,
) -> tuple[_Contacts, int]:
    """Arrivals, customers, durations and service of day `d`.

    Returns the day's contacts, ordered by arrival, and how many are still open
    (e-mails unanswered at the end of the period, which are not written).
    """
    rng = _rng(seed, 2, d)
    arrivals = _sample_day_arrivals(d, center, rng)
    sessions = _self_service_sessions(d, center, arrivals, population, rng)
    parts: list[_Contacts] = []
    still_open = 0
    for queue in center.staffed:
        served, queue_still_open = _serve_queue(
            d, queue, center, arrivals, sessions, servers, rosters, population, rng
        )
        parts.append(served)
        still_open += queue_still_open
    parts.append(_contained_sessions(center, sessions))
    merged = _merge_contacts(parts)
    order = np.lexsort((merged.queue, merged.arrived))
    return _take_contacts(merged, order), still_open


@dataclass(frozen=True)
class _DayArrivals:
    """One day's arrival instants and contact reasons, per queue and reason."""

    times: dict[str, list[NDArray[np.int64]]]
    reasons: dict[str, list[NDArray[np.int64]]]


def _sample_day_arrivals(
    d: int, center: _Center, rng: np.random.Generator
) -> _DayArrivals:
    """Each queue's arrivals on day `d`: volume x weekday x intraday shape x each
    reason's share and random daily shock (with the odd spike)."""
    cfg = center.cfg
    clock = center.clock
    day_start = clock.midnight(d)
    # the day's elapsed 15-minute bins, each read on the wall clock (DST days: 92, 100)
    wall_bins = clock.day_bins(d)
    weekday = (center.start_date + dt.timedelta(days=d)).weekday()
    volume_factor = weekday_factor(weekday, cfg.weekday_factors)
    reason_shock = {}
    for r in cfg.reasons:
        shock = math.exp(
            r.daily_sigma * float(rng.standard_normal()) - r.daily_sigma**2 / 2
        )
        if r.spike_rate > 0 and float(rng.random()) < r.spike_rate:
            shock *= float(rng.uniform(r.spike_low, r.spike_high))
        reason_shock[r.reason] = shock

    times: dict[str, list[NDArray[np.int64]]] = {q.queue_id: [] for q in cfg.queues}
    reasons: dict[str, list[NDArray[np.int64]]] = {q.queue_id: [] for q in cfg.queues}
    for q in cfg.queues:
        shape = center.shapes[q.queue_id]
        for name, share in q.reason_mix:
            expected = (
                q.daily_volume_per_50_agents
                * center.scale
                * volume_factor
                * share
                * reason_shock[name]
            )
            t = sample_arrivals(expected * shape[wall_bins], rng)
            times[q.queue_id].append(t + day_start)
            reasons[q.queue_id].append(np.full(t.size, center.reason_index[name]))
    return _DayArrivals(times, reasons)


@dataclass(frozen=True)
class _SelfServiceSessions:
    """One day's self-service sessions in arrival order, and their escalations."""

    queue: QueueSpec
    arrived: NDArray[np.int64]
    reason: NDArray[np.int64]
    ivr: NDArray[np.int64]
    customer: NDArray[np.int64]
    #: whether the session ends in a call to a voice queue (within opening hours)
    escalates: NDArray[np.bool_]
    escalated_at: NDArray[np.int64]
    #: the index of the voice queue each session's reason escalates to
    escalation_queue: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.arrived.size)


def _self_service_sessions(
    d: int,
    center: _Center,
    arrivals: _DayArrivals,
    population: Population,
    rng: np.random.Generator,
) -> _SelfServiceSessions:
    """The day's self-service sessions: their IVR time, customer, and which of them
    escalate to a voice queue (by reason, only while the center is open)."""
    cfg = center.cfg
    clock = center.clock
    day_start, day_end = clock.midnight(d), clock.midnight(d + 1)
    self_service = next(q for q in cfg.queues if q.channel == "self_service")
    arrived = _cat(arrivals.times[self_service.queue_id], np.int64)
    reason = _cat(arrivals.reasons[self_service.queue_id], np.int64)
    order = np.argsort(arrived, kind="stable")
    arrived, reason = arrived[order], reason[order]
    sessions = arrived.size
    ivr = np.maximum(
        np.rint(_lognormal(rng, self_service.ivr_median_seconds, 0.6, sessions)), 10
    )
    ivr = ivr.astype(np.int64)
    escalation_rate = np.asarray([r.escalation_rate for r in cfg.reasons])[reason]
    escalated_at = arrived + ivr + rng.integers(5, 60, size=sessions)
    escalated_local = clock.wall_seconds(d, escalated_at)
    opens, closes = cfg.open_hour * 3600, cfg.close_hour * 3600
    escalates = (
        (rng.random(sessions) < escalation_rate)
        & (escalated_local >= opens)
        & (escalated_local < closes)
    )
    customer = population.pick(day_start, day_end, sessions, rng)
    anonymous = rng.random(sessions) < cfg.anonymous_rate
    customer = np.where(anonymous, -1, customer)
    escalation_queue = np.asarray(
        [center.queue_index[r.escalation_queue] for r in cfg.reasons], dtype=np.int64
    )[reason]
    return _SelfServiceSessions(
        queue=self_service,
        arrived=arrived,
        reason=reason,
        ivr=ivr,
        customer=customer,
        escalates=escalates,
        escalated_at=escalated_at,
        escalation_queue=escalation_queue,
    )


def _serve_queue(
    d: int,
    q: QueueSpec,
    center: _Center,
    arrivals: _DayArrivals,
    sessions: _SelfServiceSessions,
    servers: dict[str, QueueServer],
    rosters: _Rosters,
    population: Population,
    rng: np.random.Generator,
) -> tuple[_Contacts, int]:
    """Day `d`'s contacts of a staffed queue, direct and escalated from self-service:
    their customers and durations drawn, then served by the queue's agents.

    Returns the contacts that ended and how many are still open.
    """
    cfg = center.cfg
    clock = center.clock
    day_start, day_end = clock.midnight(d), clock.midnight(d + 1)
    queue_index = center.queue_index[q.queue_id]
    arrived = _cat(arrivals.times[q.queue_id], np.int64)
    reason = _cat(arrivals.reasons[q.queue_id], np.int64)
    customer = population.pick(day_start, day_end, arrived.size, rng)
    customer = np.where(rng.random(arrived.size) < cfg.anonymous_rate, -1, customer)
    direct = arrived.size
    if q.ivr_median_seconds > 0:
        ivr = np.rint(_lognormal(rng, q.ivr_median_seconds, _IVR_SIGMA, direct))
        ivr = np.maximum(ivr, 5).astype(np.int64)
    else:
        ivr = np.zeros(direct, dtype=np.int64)
    escalated = sessions.escalates & (sessions.escalation_queue == queue_index)
    arrived = np.concatenate([arrived, sessions.escalated_at[escalated]])
    reason = np.concatenate([reason, sessions.reason[escalated]])
    customer = np.concatenate([customer, sessions.customer[escalated]])
    ivr = np.concatenate([ivr, np.zeros(int(escalated.sum()), dtype=np.int64)])
    n = arrived.size
    talk_median = np.asarray([r.talk_median_seconds for r in cfg.reasons])[reason]
    talk_sigma = np.asarray([r.talk_sigma for r in cfg.reasons])[reason]
    transfer_rate = np.asarray([r.transfer_rate for r in cfg.reasons])[reason]
    resolve_rate = np.asarray([r.resolve_rate for r in cfg.reasons])[reason]
    transferred = rng.random(n) < transfer_rate
    talk = talk_median * q.talk_factor * np.where(transferred, 1.5, 1.0)
    talk = talk * np.exp(talk_sigma * rng.standard_normal(n))
    talk_seconds = np.clip(np.rint(talk), 10, _MAX_TALK).astype(np.int64)
    has_hold = rng.random(n) < q.hold_rate
    hold = np.clip(np.rint(_lognormal(rng, _HOLD_MEDIAN, _HOLD_SIGMA, n)), 5, _MAX_HOLD)
    hold_seconds = np.where(has_hold, hold, 0).astype(np.int64)
    acw = np.rint(_lognormal(rng, q.acw_median_seconds, _ACW_SIGMA, n))
    acw_seconds = np.clip(acw, 0, _MAX_ACW).astype(np.int64)
    if math.isfinite(q.mean_patience_seconds):
        patience = np.rint(rng.exponential(q.mean_patience_seconds, n))
        patience = patience.astype(np.int64)
    else:
        patience = np.full(n, NEVER, dtype=np.int64)
    if math.isfinite(q.flowout_after_seconds):
        accept = rng.random(n) < q.flowout_accept_rate
        flowout_after = np.where(accept, int(q.flowout_after_seconds), NEVER)
        flowout_after = flowout_after.astype(np.int64)
    else:
        flowout_after = np.full(n, NEVER, dtype=np.int64)
    resolved_draw = rng.random(n) < resolve_rate * np.where(transferred, 0.75, 1.0)

    start, wait, outcome, agent_index = _serve_in_join_order(
        servers[q.queue_id],
        arrived + ivr,
        talk_seconds + hold_seconds + acw_seconds,
        patience,
        flowout_after,
    )
    ended = outcome != OPEN
    handled = outcome == HANDLED
    agent_ids = [
        rosters.by_index[int(a)].agent_id if h else None
        for a, h in zip(
            agent_index[ended].tolist(), handled[ended].tolist(), strict=True
        )
    ]
    zero = np.zeros(n, dtype=np.int64)
    contacts = _Contacts(
        queue=np.full(int(ended.sum()), queue_index, dtype=np.int64),
        reason=reason[ended],
        customer=customer[ended],
        arrived=arrived[ended],
        ivr=ivr[ended],
        wait=wait[ended],
        talk=np.where(handled, talk_seconds, zero)[ended],
        hold=np.where(handled, hold_seconds, zero)[ended],
        acw=np.where(handled, acw_seconds, zero)[ended],
        outcome=outcome[ended],
        answered=np.where(handled, start, 0)[ended],
        agent=agent_ids,
        transferred=(transferred & handled)[ended],
        resolved=np.where(handled, resolved_draw.astype(np.int64), -1)[ended],
    )
    return contacts, int(n - ended.sum())


def _serve_in_join_order(
    server: QueueServer,
    joins: NDArray[np.int64],
    work_seconds: NDArray[np.int64],
    patience: NDArray[np.int64],
    flowout_after: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[Any]]:
    """Run a queue's server on contacts in the order they join its agent queue;
    returns start, wait, outcome and agent index in the contacts' own order."""
    n = joins.size
    join_order = np.argsort(joins, kind="stable")
    served = server.run(
        joins[join_order],
        work_seconds[join_order],
        patience[join_order],
        flowout_after[join_order],
    )
    back = np.empty(n, dtype=np.int64)
    back[join_order] = np.arange(n)
    outcome = served.outcome[back].astype(np.int64)
    return served.start[back], served.wait[back], outcome, served.agent[back]


def _contained_sessions(center: _Center, sessions: _SelfServiceSessions) -> _Contacts:
    """The self-service sessions as contacts: contained, resolved unless escalated."""
    zero = np.zeros(sessions.size, dtype=np.int64)
    return _Contacts(
        queue=np.full(
            sessions.size, center.queue_index[sessions.queue.queue_id], dtype=np.int64
        ),
        reason=sessions.reason,
        customer=sessions.customer,
        arrived=sessions.arrived,
        ivr=sessions.ivr,
        wait=zero,
        talk=zero,
        hold=zero,
        acw=zero,
        outcome=np.full(sessions.size, _CONTAINED, dtype=np.int64),
        answered=zero,
        agent=[None] * sessions.size,
        transferred=np.zeros(sessions.size, dtype=np.bool_),
        resolved=np.where(sessions.escalates, 0, 1).astype(np.int64),
    )


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
    c: _Contacts, center: _Center, ids: list[str], population: Population
) -> dict[str, Column]:
    cfg = center.cfg
    handled = c.outcome == HANDLED
    cust_ids = [f"cust_{i + 1:07d}" if i >= 0 else "" for i in c.customer.tolist()]
    return {
        "contact_id": (ids, None),
        "customer_id": (cust_ids, c.customer < 0),
        "queue_id": ([cfg.queues[i].queue_id for i in c.queue.tolist()], None),
        "channel": ([cfg.queues[i].channel for i in c.queue.tolist()], None),
        "contact_reason": ([center.reasons[i] for i in c.reason.tolist()], None),
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
    c: _Contacts, ids: list[str], center: _Center, rng: np.random.Generator
) -> _Responses:
    model = center.cfg.csat
    channel = np.asarray([center.queues[i].channel for i in c.queue.tolist()])
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
    reasons = np.asarray([center.reasons[i] for i in c.reason[take].tolist()])
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
    """Simulate a contact center and write a landing directory of the data contract.

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
        The center's parameters (:class:`GeneratorConfig` defaults if None).
    timezone
        The center's IANA zone, overriding the config's (default Asia/Seoul): its
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
    clock = LocalClock(cfg.timezone, start_date, days)
    writer = _LandingWriter(out, clock, file_format)
    center = _Center(cfg, agents, clock)
    rosters = _Rosters(center, seed, days)
    servers = {
        q.queue_id: QueueServer(loader=rosters.loader(q.queue_id), horizon=0)
        for q in center.staffed
    }
    population = make_population(
        round(cfg.customers_per_agent * agents),
        clock.midnight(days),
        cfg.signup_rate_per_month,
        _rng(seed, 0),
    )
    is_realtime_queue = np.asarray([q.channel in ("voice", "chat") for q in cfg.queues])
    # what relationship NPS (the last 30 days) and churn (this window) depend on
    recent_service: deque[_OfferedService] = deque(maxlen=30)
    window_service = _ServiceTotals(population.size)
    csat_due: dict[int, list[_Responses]] = {}  # answers by the day they land
    not_written = {"open_email_at_end": 0, "csat_after_end": 0, "churned": 0}
    churn_windows: list[dict[str, Any]] = []

    for d in range(days):
        day = start_date + dt.timedelta(days=d)
        contacts, still_open = _simulate_day(
            d, center, rosters, servers, population, seed
        )
        not_written["open_email_at_end"] += still_open
        ids = [f"ct_{day:%Y%m%d}_{i + 1:06d}" for i in range(contacts.arrived.size)]
        writer.write_day(
            "contacts", _contact_columns(contacts, center, ids, population), day
        )
        writer.write_day(
            "agent_intervals", _agent_interval_columns(rosters.release(d)), day
        )

        survey_rng = _rng(seed, 3, d)
        service = _offered_service(contacts, is_realtime_queue)
        window_service.add(service)
        nps = _relationship_nps(d, day, center, population, recent_service, survey_rng)
        recent_service.append(service)
        csat = _csat_responses(contacts, ids, center, survey_rng)
        not_written["csat_after_end"] += _file_by_landing_day(
            csat, clock, days, csat_due
        )
        answers = _concat_responses([*csat_due.pop(d, []), nps])
        writer.write_day("survey_responses", _response_columns(answers), day)

        if (d + 1) % cfg.churn.window_days == 0:
            window = _churn_at_window_end(
                d, center, population, contacts, window_service, seed
            )
            not_written["churned"] += window["churned"]
            churn_windows.append(window)
            window_service.reset()
        message = (
            f"{day.isoformat()}: {contacts.arrived.size} contacts, "
            f"{len(answers.response_id)} survey answers"
        )
        logger.debug(message)
        if progress is not None:
            progress(message)

    _write_customers(population, writer.write, writer.ext)
    _write_costs(cfg, days, writer.write, writer.ext)
    truth = _truth(
        cfg,
        center,
        rosters,
        days,
        agents,
        seed,
        start_date,
        file_format,
        writer.rows,
        not_written,
        churn_windows,
    )
    truth_path = writer.out / "truth.json"
    truth_path.write_text(json.dumps(_sanitize(truth), indent=2, sort_keys=True) + "\n")
    writer.files.append(truth_path)
    return GenerateSummary(
        out_dir=writer.out,
        days=days,
        agents=agents,
        seed=seed,
        start_date=start_date,
        file_format=file_format,
        rows=dict(writer.rows),
        files=tuple(writer.files),
    )


class _LandingWriter:
    """Writes the landing files of one run and counts their rows and files."""

    def __init__(self, out: Path, clock: LocalClock, file_format: str) -> None:
        self.out = out
        self.clock = clock
        self.file_format = file_format
        self.ext = "csv" if file_format == "csv" else "parquet"
        self.rows = dict.fromkeys(
            ("contacts", "agent_intervals", "survey_responses", "customers", "costs"),
            0,
        )
        self.files: list[Path] = []

    def write(self, source: str, cols: dict[str, Column], name: str) -> None:
        """Write `cols` as `<out>/<source>/<name>`."""
        path = self.out / source / name
        self.rows[source] += write_source(
            source,
            cols,
            path,
            clock=self.clock,
            file_format=self.file_format,
            integer_numbers=_INTEGER_NUMBERS,
        )
        self.files.append(path)

    def write_day(self, source: str, cols: dict[str, Column], day: dt.date) -> None:
        """Write one day's file of `source`: `<source>_<YYYY-MM-DD>.<ext>`."""
        self.write(source, cols, f"{source}_{day.isoformat()}.{self.ext}")


@dataclass(frozen=True)
class _OfferedService:
    """One day's offered contacts of known customers (contained sessions and
    anonymous contacts left out): the service that NPS and churn respond to."""

    customer: NDArray[np.int64]
    #: waiting minutes of voice and chat contacts; 0 for the other channels
    realtime_wait_minutes: NDArray[np.float64]
    #: 1.0 for a voice or chat contact, else 0.0
    is_realtime: NDArray[np.float64]
    #: 1.0 for a contact not resolved (is_resolved false or null), else 0.0
    is_unresolved: NDArray[np.float64]


def _offered_service(
    contacts: _Contacts, is_realtime_queue: NDArray[np.bool_]
) -> _OfferedService:
    offered = (contacts.outcome != _CONTAINED) & (contacts.customer >= 0)
    is_realtime = is_realtime_queue[contacts.queue[offered]].astype(np.float64)
    wait_minutes = contacts.wait[offered] / 60.0
    return _OfferedService(
        customer=contacts.customer[offered],
        realtime_wait_minutes=wait_minutes * is_realtime,
        is_realtime=is_realtime,
        is_unresolved=(contacts.resolved[offered] != 1).astype(np.float64),
    )


class _ServiceTotals:
    """Per customer since the current churn window began: realtime waiting minutes,
    realtime contacts and unresolved contacts."""

    def __init__(self, customers: int) -> None:
        self.customers = customers
        self.realtime_wait_minutes = np.zeros(customers)
        self.realtime_contacts = np.zeros(customers)
        self.unresolved_contacts = np.zeros(customers)

    def add(self, service: _OfferedService) -> None:
        np.add.at(
            self.realtime_wait_minutes, service.customer, service.realtime_wait_minutes
        )
        np.add.at(self.realtime_contacts, service.customer, service.is_realtime)
        np.add.at(self.unresolved_contacts, service.customer, service.is_unresolved)

    def mean_realtime_wait_minutes(self) -> NDArray[np.float64]:
        """Per customer; 0 for a customer without realtime contacts."""
        out: NDArray[np.float64] = np.divide(
            self.realtime_wait_minutes,
            self.realtime_contacts,
            out=np.zeros(self.customers),
            where=self.realtime_contacts > 0,
        )
        return out

    def reset(self) -> None:
        self.realtime_wait_minutes[:] = 0.0
        self.realtime_contacts[:] = 0.0
        self.unresolved_contacts[:] = 0.0


def _relationship_nps(
    d: int,
    day: dt.date,
    center: _Center,
    population: Population,
    recent_service: deque[_OfferedService],
    rng: np.random.Generator,
) -> _Responses:
    """Day `d`'s relationship NPS answers: the daily slice of a monthly random sample
    of active customers, scored on their service in the days before (at most 30)."""
    nps_model = center.cfg.nps
    day_start = center.clock.midnight(d)
    day_end = center.clock.midnight(d + 1)
    active = population.active_on(day_start, day_end)
    answer_probability = nps_model.monthly_sample_rate / 30.0 * nps_model.response_rate
    sampled = active[rng.random(active.size) < answer_probability]
    customers = population.size
    served = _cat([s.customer for s in recent_service], np.int64)

    def total(values: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        return _sum_by(served, _cat(values, np.float64), customers)[sampled]

    wait_minutes = total([s.realtime_wait_minutes for s in recent_service])
    realtime_contacts = total([s.is_realtime for s in recent_service])
    unresolved_contacts = total([s.is_unresolved for s in recent_service])
    mean_wait = np.divide(
        wait_minutes,
        realtime_contacts,
        out=np.zeros(sampled.size),
        where=realtime_contacts > 0,
    )
    scores = nps_scores(mean_wait, unresolved_contacts, nps_model, rng)
    has_comment = rng.random(sampled.size) < nps_model.comment_rate
    themes = choose_themes(
        scores >= 9,
        mean_wait,
        unresolved_contacts > 0,
        np.full(sampled.size, "plan_change"),
        rng,
    )
    texts = pick_comments(themes, rng)
    return _Responses(
        response_id=[f"nps_{day:%Y%m%d}_{i + 1:06d}" for i in range(sampled.size)],
        survey_type=["nps"] * sampled.size,
        contact_id=[None] * sampled.size,
        customer=sampled,
        responded=day_start + rng.integers(7 * 3600, 23 * 3600, size=sampled.size),
        score=scores,
        comment=[
            t if h else None for t, h in zip(texts, has_comment.tolist(), strict=True)
        ],
    )


def _file_by_landing_day(
    csat: _Responses,
    clock: LocalClock,
    days: int,
    csat_due: dict[int, list[_Responses]],
) -> int:
    """File each post-contact CSAT answer under the day it lands (0-3 days after the
    contact: late-arriving data); returns how many land after the period."""
    landing_day = clock.day_of(csat.responded).tolist()
    after_end = 0
    for target in sorted(set(landing_day)):
        sel = [i for i, x in enumerate(landing_day) if x == target]
        if target >= days:
            after_end += len(sel)
            continue
        idx = np.asarray(sel, dtype=np.int64)
        csat_due.setdefault(target, []).append(
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
    return after_end


def _churn_at_window_end(
    d: int,
    center: _Center,
    population: Population,
    contacts: _Contacts,
    window_service: _ServiceTotals,
    seed: int,
) -> dict[str, Any]:
    """Churn customers at the end of a churn window (day `d` is its last) on the
    service they had in it; returns the window as truth.json states it."""
    window = center.cfg.churn.window_days
    rng = _rng(seed, 4, d)
    day_start = center.clock.midnight(d)
    end = center.clock.midnight(d + 1)
    alive = np.flatnonzero((population.signed_up < end) & (population.churned == NEVER))
    mean_wait = window_service.mean_realtime_wait_minutes()[alive]
    probability = churn_probability(
        mean_wait,
        window_service.unresolved_contacts[alive],
        population.segment[alive],
        center.cfg.churn,
    )
    gone = alive[rng.random(alive.size) < probability]
    # after 20:00 on the window's last day, and after their last contact
    last_end = np.zeros(population.size, dtype=np.int64)
    ended = contacts.ended
    known = (contacts.customer >= 0) & (ended < end - 60)
    np.maximum.at(last_end, contacts.customer[known], ended[known])
    population.churned[gone] = np.maximum(
        day_start
        + rng.integers(20 * 3600, center.clock.day_seconds(d), size=gone.size),
        last_end[gone] + 60,
    )
    return {
        "first_day": d + 1 - window,
        "last_day": d,
        "at_risk": int(alive.size),
        "churned": int(gone.size),
    }


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
    center: _Center,
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
        "timezone": _zone_truth(center.clock, days),
        "row_counts": rows,
        "not_written": extra,
        "teams": {t: len(ids) for t, ids in center.team_agents.items()},
        "expected_aht_seconds": center.aht,
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
