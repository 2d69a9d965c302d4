"""Survey answers: post-contact CSAT, filed under the day each lands, and the daily
slice of relationship NPS, with the ``survey_responses`` columns they make."""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.center import Center
from opsmart.synth.clock import LocalClock
from opsmart.synth.contacts import Contacts, concat_or_empty
from opsmart.synth.customers import Population
from opsmart.synth.experience import OfferedService
from opsmart.synth.simulate import ABANDONED, HANDLED
from opsmart.synth.surveys import (
    choose_themes,
    csat_scores,
    nps_scores,
    pick_comments,
)
from opsmart.synth.writer import Column

__all__ = [
    "Responses",
    "concat_responses",
    "csat_responses",
    "file_by_landing_day",
    "relationship_nps",
    "response_columns",
]

_DAY = 86_400
#: Share of CSAT answers landing 0, 1, 2 and 3 days after the contact.
_CSAT_DELAY_PROBS = (0.55, 0.25, 0.12, 0.08)


def _sum_by(
    keys: NDArray[np.int64], weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    """`weights` summed per key in 0..n-1."""
    out: NDArray[np.float64] = np.bincount(keys, weights=weights, minlength=n).astype(
        np.float64
    )
    return out


@dataclass
class Responses:
    """Survey answers as parallel lists and arrays (``responded`` in seconds)."""

    response_id: list[str]
    survey_type: list[str]
    contact_id: list[str | None]
    customer: NDArray[np.int64]
    responded: NDArray[np.int64]
    score: NDArray[np.int64]
    comment: list[str | None]


def concat_responses(parts: list[Responses]) -> Responses:
    """The answers of `parts`, in their order."""
    return Responses(
        response_id=[x for p in parts for x in p.response_id],
        survey_type=[x for p in parts for x in p.survey_type],
        contact_id=[x for p in parts for x in p.contact_id],
        customer=concat_or_empty([p.customer for p in parts], np.int64),
        responded=concat_or_empty([p.responded for p in parts], np.int64),
        score=concat_or_empty([p.score for p in parts], np.int64),
        comment=[x for p in parts for x in p.comment],
    )


def response_columns(r: Responses) -> dict[str, Column]:
    """The ``survey_responses`` landing columns, ordered by response time and id."""
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


def csat_responses(
    c: Contacts, ids: list[str], center: Center, rng: np.random.Generator
) -> Responses:
    """Post-contact CSAT answers to the day's contacts `c` (with their `ids`): who
    answers (by outcome, at random), the score on their wait and resolution, when
    the answer lands (0-3 days later) and its comment."""
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
    return Responses(
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


def relationship_nps(
    d: int,
    day: dt.date,
    center: Center,
    population: Population,
    recent_service: deque[OfferedService],
    rng: np.random.Generator,
) -> Responses:
    """Day `d`'s relationship NPS answers: the daily slice of a monthly random sample
    of active customers, scored on their service in the days before (at most 30)."""
    nps_model = center.cfg.nps
    day_start = center.clock.midnight(d)
    day_end = center.clock.midnight(d + 1)
    active = population.active_on(day_start, day_end)
    answer_probability = nps_model.monthly_sample_rate / 30.0 * nps_model.response_rate
    sampled = active[rng.random(active.size) < answer_probability]
    customers = population.size
    served = concat_or_empty([s.customer for s in recent_service], np.int64)

    def total(values: list[NDArray[np.float64]]) -> NDArray[np.float64]:
        return _sum_by(served, concat_or_empty(values, np.float64), customers)[sampled]

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
    return Responses(
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


def file_by_landing_day(
    csat: Responses,
    clock: LocalClock,
    days: int,
    csat_due: dict[int, list[Responses]],
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
            Responses(
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
