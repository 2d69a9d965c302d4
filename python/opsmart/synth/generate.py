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

from opsmart.synth.agents import Rosters, agent_interval_columns
from opsmart.synth.center import Center
from opsmart.synth.clock import LocalClock, format_offset
from opsmart.synth.config import GeneratorConfig
from opsmart.synth.contacts import (
    CONTAINED,
    Contacts,
    concat_or_empty,
    contact_columns,
    simulate_day,
)
from opsmart.synth.customers import (
    REGIONS,
    SEGMENTS,
    Population,
    churn_probability,
    make_population,
)
from opsmart.synth.simulate import ABANDONED, HANDLED, NEVER, QueueServer
from opsmart.synth.streams import CHURN, POPULATION, SURVEYS, stream
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
_CSAT_DELAY_PROBS = (0.55, 0.25, 0.12, 0.08)
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


def _sum_by(
    keys: NDArray[np.int64], weights: NDArray[np.float64], n: int
) -> NDArray[np.float64]:
    out: NDArray[np.float64] = np.bincount(keys, weights=weights, minlength=n).astype(
        np.float64
    )
    return out


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
        customer=concat_or_empty([p.customer for p in parts], np.int64),
        responded=concat_or_empty([p.responded for p in parts], np.int64),
        score=concat_or_empty([p.score for p in parts], np.int64),
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
    c: Contacts, ids: list[str], center: Center, rng: np.random.Generator
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
    center = Center(cfg, agents, clock)
    rosters = Rosters(center, seed, days)
    servers = {
        q.queue_id: QueueServer(loader=rosters.loader(q.queue_id), horizon=0)
        for q in center.staffed
    }
    population = make_population(
        round(cfg.customers_per_agent * agents),
        clock.midnight(days),
        cfg.signup_rate_per_month,
        stream(seed, POPULATION),
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
        contacts, still_open = simulate_day(
            d, center, rosters, servers, population, seed
        )
        not_written["open_email_at_end"] += still_open
        ids = [f"ct_{day:%Y%m%d}_{i + 1:06d}" for i in range(contacts.arrived.size)]
        writer.write_day("contacts", contact_columns(contacts, center, ids), day)
        writer.write_day(
            "agent_intervals", agent_interval_columns(rosters.release(d)), day
        )

        survey_rng = stream(seed, SURVEYS, d)
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
    contacts: Contacts, is_realtime_queue: NDArray[np.bool_]
) -> _OfferedService:
    offered = (contacts.outcome != CONTAINED) & (contacts.customer >= 0)
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
    center: Center,
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
    center: Center,
    population: Population,
    contacts: Contacts,
    window_service: _ServiceTotals,
    seed: int,
) -> dict[str, Any]:
    """Churn customers at the end of a churn window (day `d` is its last) on the
    service they had in it; returns the window as truth.json states it."""
    window = center.cfg.churn.window_days
    rng = stream(seed, CHURN, d)
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
    center: Center,
    rosters: Rosters,
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
