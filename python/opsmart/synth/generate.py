"""`generate`: simulate a contact center day by day and write the landing files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from opsmart.synth.agents import Rosters, agent_interval_columns
from opsmart.synth.center import Center
from opsmart.synth.clock import LocalClock
from opsmart.synth.config import GeneratorConfig
from opsmart.synth.contacts import Contacts, contact_columns, simulate_day
from opsmart.synth.customers import make_population
from opsmart.synth.experience import (
    OfferedService,
    ServiceTotals,
    churn_at_window_end,
    offered_service,
)
from opsmart.synth.landing import LandingWriter, cost_columns, customer_columns
from opsmart.synth.responses import (
    Responses,
    concat_responses,
    csat_responses,
    file_by_landing_day,
    relationship_nps,
    response_columns,
)
from opsmart.synth.simulate import QueueServer
from opsmart.synth.streams import POPULATION, SURVEYS, stream
from opsmart.synth.truth import truth, truth_json
from opsmart.synth.writer import FORMATS

__all__ = ["GenerateSummary", "generate"]

logger = logging.getLogger(__name__)

#: Days of service relationship NPS answers look back on.
_NPS_LOOKBACK_DAYS = 30


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


def _validate(
    days: int, agents: int, seed: int, file_format: str, n_teams: int
) -> None:
    """Raise before anything is written if an argument of :func:`generate` is
    out of its domain: every team needs at least one agent."""
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


def _configured(
    config: GeneratorConfig | None, timezone: str | None
) -> GeneratorConfig:
    """The run's configuration: `config` or the defaults, in `timezone` if given."""
    cfg = config if config is not None else GeneratorConfig()
    if timezone is not None:
        cfg = dataclasses.replace(cfg, timezone=timezone)
    return cfg


def _arguments_as_written(
    days: int, agents: int, seed: int, start_date: dt.date, file_format: str
) -> dict[str, Any]:
    """The arguments of :func:`generate` as ``truth.json`` states them."""
    return {
        "days": days,
        "agents": agents,
        "seed": seed,
        "start_date": start_date.isoformat(),
        "file_format": file_format,
    }


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
    cfg = _configured(config, timezone)
    _validate(days, agents, seed, file_format, len(cfg.teams))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clock = LocalClock(cfg.timezone, start_date, days)
    writer = LandingWriter(out, clock, file_format)
    run = _Run(cfg, clock, agents, seed)
    run.simulate_days(writer, progress)
    run.write_period_files(
        writer, _arguments_as_written(days, agents, seed, start_date, file_format)
    )
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


class _Run:
    """What a run carries from day to day: the center, its rosters and queue
    servers, the customers, and the service, survey answers and churn windows
    that later days and the period's end files depend on."""

    def __init__(
        self, cfg: GeneratorConfig, clock: LocalClock, agents: int, seed: int
    ) -> None:
        self.cfg = cfg
        self.clock = clock
        self.seed = seed
        self.center = Center(cfg, agents, clock)
        self.rosters = Rosters(self.center, seed, clock.days)
        self.servers = {
            q.queue_id: QueueServer(loader=self.rosters.loader(q.queue_id), horizon=0)
            for q in self.center.staffed
        }
        self.population = make_population(
            round(cfg.customers_per_agent * agents),
            clock.midnight(clock.days),
            cfg.signup_rate_per_month,
            stream(seed, POPULATION),
        )
        self.is_realtime_queue = np.asarray(
            [q.channel in ("voice", "chat") for q in cfg.queues]
        )
        # what relationship NPS (the last 30 days) and churn (this window) depend on
        self.recent_service: deque[OfferedService] = deque(maxlen=_NPS_LOOKBACK_DAYS)
        self.window_service = ServiceTotals(self.population.size)
        self.csat_due: dict[int, list[Responses]] = {}  # answers by the day they land
        self.not_written = {"open_email_at_end": 0, "csat_after_end": 0, "churned": 0}
        self.churn_windows: list[dict[str, Any]] = []

    def simulate_days(
        self, writer: LandingWriter, progress: Callable[[str], None] | None
    ) -> None:
        """Simulate the period day by day, writing each day's files as it ends."""
        for d in range(self.clock.days):
            message = self.simulate_and_write_day(d, writer)
            logger.debug(message)
            if progress is not None:
                progress(message)

    def simulate_and_write_day(self, d: int, writer: LandingWriter) -> str:
        """Simulate day `d` and write its contacts, agent intervals and the survey
        answers landing on it; returns a line on what the day made."""
        day = self.clock.start_date + dt.timedelta(days=d)
        contacts, still_open = simulate_day(
            d, self.center, self.rosters, self.servers, self.population, self.seed
        )
        self.not_written["open_email_at_end"] += still_open
        ids = [f"ct_{day:%Y%m%d}_{i + 1:06d}" for i in range(contacts.arrived.size)]
        writer.write_day("contacts", contact_columns(contacts, self.center, ids), day)
        shifts = self.rosters.release(d)
        writer.write_day("agent_intervals", agent_interval_columns(shifts), day)
        service = offered_service(contacts, self.is_realtime_queue)
        # relationship NPS reads the service of the days before this one
        answers = self._survey_answers(d, day, contacts, ids)
        self.recent_service.append(service)
        self.window_service.add(service)
        writer.write_day("survey_responses", response_columns(answers), day)
        if (d + 1) % self.cfg.churn.window_days == 0:
            self._close_churn_window(d, contacts)
        return (
            f"{day.isoformat()}: {contacts.arrived.size} contacts, "
            f"{len(answers.response_id)} survey answers"
        )

    def _survey_answers(
        self, d: int, day: dt.date, contacts: Contacts, ids: list[str]
    ) -> Responses:
        """The answers landing on day `d`: CSAT on earlier days' contacts and this
        day's, filed by landing day, and the day's relationship NPS."""
        rng = stream(self.seed, SURVEYS, d)
        # NPS, then CSAT: the order they draw from the day's survey stream
        nps = relationship_nps(
            d, day, self.center, self.population, self.recent_service, rng
        )
        csat = csat_responses(contacts, ids, self.center, rng)
        self.not_written["csat_after_end"] += file_by_landing_day(
            csat, self.clock, self.clock.days, self.csat_due
        )
        return concat_responses([*self.csat_due.pop(d, []), nps])

    def _close_churn_window(self, d: int, contacts: Contacts) -> None:
        """Churn customers on the window ending on day `d`; start the next window."""
        window = churn_at_window_end(
            d, self.center, self.population, contacts, self.window_service, self.seed
        )
        self.not_written["churned"] += window["churned"]
        self.churn_windows.append(window)
        self.window_service.reset()

    def write_period_files(
        self, writer: LandingWriter, arguments: dict[str, Any]
    ) -> None:
        """Write what is known only at the period's end: customers (with their
        churn), costs and ``truth.json``."""
        writer.write_whole("customers", customer_columns(self.population))
        writer.write_whole("costs", cost_columns(self.cfg, self.clock.days))
        document = truth(
            self.cfg,
            self.center,
            self.rosters,
            arguments,
            writer.rows,
            self.not_written,
            self.churn_windows,
        )
        writer.write_text("truth.json", truth_json(document))
