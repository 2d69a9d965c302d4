"""A day's contacts: arrivals by queue and reason, self-service sessions and their
escalations, and each staffed queue's contacts served by its rostered agents."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.agents import Rosters
from opsmart.synth.arrivals import sample_arrivals, weekday_factor
from opsmart.synth.center import Center
from opsmart.synth.config import QueueSpec
from opsmart.synth.customers import Population
from opsmart.synth.handling import (
    Handling,
    draw_handling,
    draw_ivr_seconds,
    draw_patience,
    draw_resolved,
    lognormal,
)
from opsmart.synth.simulate import HANDLED, OPEN, QueueServer
from opsmart.synth.streams import CONTACTS, stream
from opsmart.synth.writer import Column

__all__ = [
    "CONTAINED",
    "Contacts",
    "concat_or_empty",
    "contact_columns",
    "simulate_day",
]

#: Outcome codes as written (the server's codes, then self-service's own).
_OUTCOMES = ("handled", "abandoned", "flowout", "open", "contained")
CONTAINED = 4


@dataclass
class Contacts:
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
        """When each contact ended: the agent's end of talk and hold if handled,
        else the end of its IVR and wait."""
        out: NDArray[np.int64] = np.where(
            self.outcome == HANDLED,
            self.answered + self.talk + self.hold,
            self.arrived + self.ivr + self.wait,
        )
        return out


def concat_or_empty(parts: list[NDArray[Any]], dtype: type) -> NDArray[Any]:
    """`parts` concatenated as `dtype`; an empty array if there are none."""
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)


def simulate_day(
    d: int,
    center: Center,
    rosters: Rosters,
    servers: dict[str, QueueServer],
    population: Population,
    seed: int,
) -> tuple[Contacts, int]:
    """Arrivals, customers, durations and service of day `d`.

    Returns the day's contacts, ordered by arrival, and how many are still open
    (e-mails unanswered at the end of the period, which are not written).
    """
    rng = stream(seed, CONTACTS, d)
    arrivals = _sample_day_arrivals(d, center, rng)
    sessions = _self_service_sessions(d, center, arrivals, population, rng)
    parts: list[Contacts] = []
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


def _reason_shocks(center: Center, rng: np.random.Generator) -> dict[str, float]:
    """Each reason's random factor on the day's volume: lognormal with mean 1, times
    the odd spike."""
    shocks = {}
    for r in center.cfg.reasons:
        shock = math.exp(
            r.daily_sigma * float(rng.standard_normal()) - r.daily_sigma**2 / 2
        )
        if r.spike_rate > 0 and float(rng.random()) < r.spike_rate:
            shock *= float(rng.uniform(r.spike_low, r.spike_high))
        shocks[r.reason] = shock
    return shocks


def _sample_day_arrivals(
    d: int, center: Center, rng: np.random.Generator
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
    reason_shock = _reason_shocks(center, rng)
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
    center: Center,
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
    arrived = concat_or_empty(arrivals.times[self_service.queue_id], np.int64)
    reason = concat_or_empty(arrivals.reasons[self_service.queue_id], np.int64)
    order = np.argsort(arrived, kind="stable")
    arrived, reason = arrived[order], reason[order]
    sessions = arrived.size
    ivr = np.maximum(
        np.rint(lognormal(rng, self_service.ivr_median_seconds, 0.6, sessions)), 10
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


@dataclass(frozen=True)
class _QueueArrivals:
    """A staffed queue's contacts of the day before service: the direct ones, then
    those escalated from self-service."""

    arrived: NDArray[np.int64]
    reason: NDArray[np.int64]
    customer: NDArray[np.int64]
    ivr: NDArray[np.int64]


@dataclass(frozen=True)
class _Service:
    """What a queue's server made of its contacts, in the contacts' own order."""

    start: NDArray[np.int64]
    wait: NDArray[np.int64]
    outcome: NDArray[np.int64]
    #: the index of the shift that handled the contact (handled contacts only)
    agent: NDArray[Any]


def _serve_queue(
    d: int,
    q: QueueSpec,
    center: Center,
    arrivals: _DayArrivals,
    sessions: _SelfServiceSessions,
    servers: dict[str, QueueServer],
    rosters: Rosters,
    population: Population,
    rng: np.random.Generator,
) -> tuple[Contacts, int]:
    """Day `d`'s contacts of a staffed queue, direct and escalated from self-service:
    their customers and durations drawn, then served by the queue's agents.

    Returns the contacts that ended and how many are still open.
    """
    joining = _queue_arrivals(d, q, center, arrivals, sessions, population, rng)
    # drawn in this order: the order fixes the numbers a seed gives
    handling = draw_handling(center.cfg, q, joining.reason, rng)
    patience, flowout_after = draw_patience(q, joining.arrived.size, rng)
    resolved = draw_resolved(center.cfg, joining.reason, handling.transferred, rng)
    service = _serve_in_join_order(
        servers[q.queue_id],
        joining.arrived + joining.ivr,
        handling.work_seconds,
        patience,
        flowout_after,
    )
    contacts = _ended_contacts(
        center.queue_index[q.queue_id], joining, handling, resolved, service, rosters
    )
    return contacts, int(np.count_nonzero(service.outcome == OPEN))


def _queue_arrivals(
    d: int,
    q: QueueSpec,
    center: Center,
    arrivals: _DayArrivals,
    sessions: _SelfServiceSessions,
    population: Population,
    rng: np.random.Generator,
) -> _QueueArrivals:
    """The queue's direct arrivals with their customers and IVR time, and the
    self-service sessions that escalate to it (they skip its IVR)."""
    clock = center.clock
    day_start, day_end = clock.midnight(d), clock.midnight(d + 1)
    arrived = concat_or_empty(arrivals.times[q.queue_id], np.int64)
    reason = concat_or_empty(arrivals.reasons[q.queue_id], np.int64)
    customer = population.pick(day_start, day_end, arrived.size, rng)
    anonymous = rng.random(arrived.size) < center.cfg.anonymous_rate
    customer = np.where(anonymous, -1, customer)
    ivr = draw_ivr_seconds(q, arrived.size, rng)
    escalated = sessions.escalates & (
        sessions.escalation_queue == center.queue_index[q.queue_id]
    )
    return _QueueArrivals(
        arrived=np.concatenate([arrived, sessions.escalated_at[escalated]]),
        reason=np.concatenate([reason, sessions.reason[escalated]]),
        customer=np.concatenate([customer, sessions.customer[escalated]]),
        ivr=np.concatenate([ivr, np.zeros(int(escalated.sum()), dtype=np.int64)]),
    )


def _serve_in_join_order(
    server: QueueServer,
    joins: NDArray[np.int64],
    work_seconds: NDArray[np.int64],
    patience: NDArray[np.int64],
    flowout_after: NDArray[np.int64],
) -> _Service:
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
    return _Service(
        start=served.start[back],
        wait=served.wait[back],
        outcome=served.outcome[back].astype(np.int64),
        agent=served.agent[back],
    )


def _ended_contacts(
    queue_index: int,
    joining: _QueueArrivals,
    handling: Handling,
    resolved: NDArray[np.bool_],
    service: _Service,
    rosters: Rosters,
) -> Contacts:
    """The queue's contacts that ended (handled, abandoned or flowed out): handling
    times, transfer and resolution count only for the handled ones."""
    ended = service.outcome != OPEN
    handled = service.outcome == HANDLED
    agent_ids = [
        rosters.by_index[int(a)].agent_id if h else None
        for a, h in zip(
            service.agent[ended].tolist(), handled[ended].tolist(), strict=True
        )
    ]
    zero = np.zeros(ended.size, dtype=np.int64)
    return Contacts(
        queue=np.full(int(ended.sum()), queue_index, dtype=np.int64),
        reason=joining.reason[ended],
        customer=joining.customer[ended],
        arrived=joining.arrived[ended],
        ivr=joining.ivr[ended],
        wait=service.wait[ended],
        talk=np.where(handled, handling.talk, zero)[ended],
        hold=np.where(handled, handling.hold, zero)[ended],
        acw=np.where(handled, handling.acw, zero)[ended],
        outcome=service.outcome[ended],
        answered=np.where(handled, service.start, 0)[ended],
        agent=agent_ids,
        transferred=(handling.transferred & handled)[ended],
        resolved=np.where(handled, resolved.astype(np.int64), -1)[ended],
    )


def _contained_sessions(center: Center, sessions: _SelfServiceSessions) -> Contacts:
    """The self-service sessions as contacts: contained, resolved unless escalated."""
    zero = np.zeros(sessions.size, dtype=np.int64)
    return Contacts(
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
        outcome=np.full(sessions.size, CONTAINED, dtype=np.int64),
        answered=zero,
        agent=[None] * sessions.size,
        transferred=np.zeros(sessions.size, dtype=np.bool_),
        resolved=np.where(sessions.escalates, 0, 1).astype(np.int64),
    )


def _merge_contacts(parts: list[Contacts]) -> Contacts:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Contacts):
        if f.name == "agent":
            values[f.name] = [a for p in parts for a in p.agent]
        else:
            values[f.name] = np.concatenate([getattr(p, f.name) for p in parts])
    return Contacts(**values)


def _take_contacts(c: Contacts, order: NDArray[np.int64]) -> Contacts:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Contacts):
        if f.name == "agent":
            values[f.name] = [c.agent[i] for i in order.tolist()]
        else:
            values[f.name] = getattr(c, f.name)[order]
    return Contacts(**values)


def contact_columns(c: Contacts, center: Center, ids: list[str]) -> dict[str, Column]:
    """The ``contacts`` landing columns of a day's contacts with their `ids`."""
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
