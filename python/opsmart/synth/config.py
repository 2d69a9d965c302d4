"""Configuration of the demo-data generator: queues, reasons, teams and true effects.

Everything the generator draws from is a parameter here, so `truth.json` can state
the data-generating process exactly. The queue, channel and team ids match
``seeds/queues.csv`` (a test checks that).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ChurnModel",
    "CsatModel",
    "GeneratorConfig",
    "NpsModel",
    "QueueSpec",
    "ReasonSpec",
    "TeamSpec",
    "default_seed_path",
    "read_seed_queues",
]

WEEKDAY_FACTORS: tuple[float, ...] = (1.22, 1.10, 1.05, 1.02, 0.98, 0.68, 0.55)
"""Relative daily volume Monday..Sunday (normalised to a mean of 1 when used)."""


@dataclass(frozen=True)
class QueueSpec:
    """One queue: its channel, owning team, volume and customer behaviour.

    Parameters
    ----------
    queue_id, channel, team_id
        Ids as in ``seeds/queues.csv``.
    daily_volume_per_50_agents
        Mean contacts per day (weekly mean) for a 50-agent center; scales linearly
        with the number of agents.
    reason_mix
        Contact reasons and their shares of the queue's volume.
    mean_patience_seconds
        Mean of the exponential patience; ``math.inf`` for no abandonment (e-mail).
    flowout_after_seconds
        Wait after which a voicemail is offered (``math.inf`` for none).
    flowout_accept_rate
        Share of callers still waiting at that point who accept the voicemail.
    ivr_median_seconds
        Median log-normal IVR time before the agent queue (0 for none).
    talk_factor
        Channel multiplier on the reason's talk time (chat typing, e-mail writing).
    hold_rate
        Share of handled contacts with a hold.
    acw_median_seconds
        Median log-normal after-contact work.
    staffing_beta
        Safety factor of the square-root staffing rule c = A + beta * sqrt(A).
    """

    queue_id: str
    channel: str
    team_id: str
    daily_volume_per_50_agents: float
    reason_mix: tuple[tuple[str, float], ...]
    mean_patience_seconds: float = math.inf
    flowout_after_seconds: float = math.inf
    flowout_accept_rate: float = 0.0
    ivr_median_seconds: float = 0.0
    talk_factor: float = 1.0
    hold_rate: float = 0.0
    acw_median_seconds: float = 30.0
    staffing_beta: float = 0.8


@dataclass(frozen=True)
class ReasonSpec:
    """One contact reason.

    Parameters
    ----------
    reason
        The ``contact_reason`` value.
    talk_median_seconds, talk_sigma
        Log-normal talk time (before the queue's channel factor).
    transfer_rate
        Probability a handled contact is transferred (talk then x1.5).
    resolve_rate
        Probability a handled, untransferred contact is resolved (x0.75 if
        transferred).
    daily_sigma
        Log-normal day-to-day volume noise (demand predictability).
    spike_rate, spike_low, spike_high
        Probability of a spike day (an outage) and its uniform volume multiplier.
    escalation_rate, escalation_queue
        Self-service only: share of sessions that escalate to a voice contact,
        and the voice queue they go to.
    """

    reason: str
    talk_median_seconds: float
    talk_sigma: float = 0.55
    transfer_rate: float = 0.05
    resolve_rate: float = 0.85
    daily_sigma: float = 0.06
    spike_rate: float = 0.0
    spike_low: float = 1.0
    spike_high: float = 1.0
    escalation_rate: float = 0.0
    escalation_queue: str = "q_voice_support"


@dataclass(frozen=True)
class TeamSpec:
    """A team and its loaded cost per staffed agent-hour (USD)."""

    team_id: str
    cost_per_agent_hour: float


@dataclass(frozen=True)
class CsatModel:
    """Post-contact CSAT (1-5): a latent logistic model of the top-2 box.

    P(score >= 4) = logistic(alpha + beta_wait * wait_minutes + beta_unres * unresolved)
    with ``unresolved`` = 1 when ``is_resolved`` is not true (abandoned contacts count
    as unresolved). Within the top box P(5) = ``p5_given_top``; within the bottom box
    scores 1, 2, 3 have probabilities ``bottom_probs``.
    """

    alpha: float = 2.0
    beta_wait: float = -0.30
    beta_unres: float = -1.8
    response_rate_handled: float = 0.20
    response_rate_abandoned: float = 0.06
    p5_given_top: float = 0.55
    bottom_probs: tuple[float, float, float] = (0.25, 0.30, 0.45)
    max_delay_days: int = 3
    comment_rate: float = 0.30
    channels: tuple[str, ...] = ("voice", "chat")


@dataclass(frozen=True)
class NpsModel:
    """Relationship NPS (0-10): multinomial logit over detractor / passive / promoter.

    log(P(promoter)/P(passive)) = pro0 + pro_wait * w + pro_unres * u and
    log(P(detractor)/P(passive)) = det0 + det_wait * w + det_unres * u, where
    w = mean wait minutes of the customer's real-time (voice, chat) offered contacts
    in the 30 days before the response day (0 if none) and u = the number of their
    offered contacts (any channel) in those days not resolved.
    """

    pro0: float = 0.9
    pro_wait: float = -0.25
    pro_unres: float = -0.6
    det0: float = -0.6
    det_wait: float = 0.30
    det_unres: float = 0.7
    monthly_sample_rate: float = 0.04
    response_rate: float = 0.5
    comment_rate: float = 0.30


@dataclass(frozen=True)
class ChurnModel:
    """Monthly churn, evaluated at the end of every 30-day window from the start.

    P(churn) = logistic(gamma0 + gamma_wait * w + gamma_unres * u + segment offset),
    w = mean wait minutes of the customer's real-time (voice, chat) offered contacts
    in the window (0 if none), u = their unresolved offered contacts in the window.
    """

    gamma0: float = -4.2
    gamma_wait: float = 0.35
    gamma_unres: float = 0.55
    segment_offsets: tuple[tuple[str, float], ...] = (
        ("consumer", 0.0),
        ("small_business", -0.3),
        ("enterprise", -0.8),
    )
    window_days: int = 30


def _default_queues() -> tuple[QueueSpec, ...]:
    return (
        QueueSpec(
            "q_voice_sales",
            "voice",
            "team_sales",
            175.0,
            (("new_order", 0.45), ("plan_change", 0.35), ("cancellation", 0.20)),
            mean_patience_seconds=150.0,
            flowout_after_seconds=480.0,
            flowout_accept_rate=0.6,
            ivr_median_seconds=35.0,
            hold_rate=0.30,
            acw_median_seconds=40.0,
            staffing_beta=0.6,
        ),
        QueueSpec(
            "q_voice_support",
            "voice",
            "team_support",
            255.0,
            (
                ("technical_issue", 0.65),
                ("outage_report", 0.25),
                ("password_reset", 0.10),
            ),
            mean_patience_seconds=300.0,
            flowout_after_seconds=480.0,
            flowout_accept_rate=0.6,
            ivr_median_seconds=45.0,
            hold_rate=0.35,
            acw_median_seconds=45.0,
            staffing_beta=0.5,
        ),
        QueueSpec(
            "q_voice_billing",
            "voice",
            "team_billing",
            190.0,
            (
                ("billing_question", 0.55),
                ("payment_arrangement", 0.30),
                ("cancellation", 0.15),
            ),
            mean_patience_seconds=200.0,
            flowout_after_seconds=480.0,
            flowout_accept_rate=0.6,
            ivr_median_seconds=40.0,
            hold_rate=0.30,
            acw_median_seconds=40.0,
            staffing_beta=0.6,
        ),
        QueueSpec(
            "q_chat_support",
            "chat",
            "team_digital",
            230.0,
            (
                ("technical_issue", 0.35),
                ("billing_question", 0.20),
                ("plan_change", 0.15),
                ("password_reset", 0.15),
                ("delivery_status", 0.15),
            ),
            mean_patience_seconds=420.0,
            talk_factor=1.0,
            acw_median_seconds=30.0,
            staffing_beta=0.5,
        ),
        QueueSpec(
            "q_email_support",
            "email",
            "team_digital",
            120.0,
            (
                ("billing_question", 0.35),
                ("technical_issue", 0.30),
                ("delivery_status", 0.20),
                ("cancellation", 0.15),
            ),
            talk_factor=0.6,
            acw_median_seconds=60.0,
            staffing_beta=0.0,
        ),
        QueueSpec(
            "q_self_service",
            "self_service",
            "team_digital",
            800.0,
            (
                ("password_reset", 0.30),
                ("delivery_status", 0.30),
                ("billing_question", 0.25),
                ("outage_report", 0.15),
            ),
            ivr_median_seconds=150.0,
        ),
    )


def _default_reasons() -> tuple[ReasonSpec, ...]:
    return (
        ReasonSpec("new_order", 260.0, transfer_rate=0.05, resolve_rate=0.92),
        ReasonSpec("plan_change", 190.0, transfer_rate=0.06, resolve_rate=0.90),
        ReasonSpec(
            "cancellation",
            280.0,
            transfer_rate=0.20,
            resolve_rate=0.60,
            daily_sigma=0.12,
        ),
        ReasonSpec(
            "technical_issue",
            300.0,
            talk_sigma=0.65,
            transfer_rate=0.15,
            resolve_rate=0.68,
            daily_sigma=0.10,
        ),
        ReasonSpec(
            "outage_report",
            120.0,
            transfer_rate=0.03,
            resolve_rate=0.40,
            daily_sigma=0.25,
            spike_rate=0.07,
            spike_low=2.5,
            spike_high=5.0,
            escalation_rate=0.35,
            escalation_queue="q_voice_support",
        ),
        ReasonSpec(
            "password_reset",
            100.0,
            transfer_rate=0.02,
            resolve_rate=0.95,
            escalation_rate=0.10,
            escalation_queue="q_voice_support",
        ),
        ReasonSpec(
            "billing_question",
            160.0,
            transfer_rate=0.05,
            resolve_rate=0.88,
            escalation_rate=0.30,
            escalation_queue="q_voice_billing",
        ),
        ReasonSpec("payment_arrangement", 230.0, transfer_rate=0.08, resolve_rate=0.85),
        ReasonSpec(
            "delivery_status",
            120.0,
            transfer_rate=0.04,
            resolve_rate=0.90,
            daily_sigma=0.20,
            escalation_rate=0.15,
            escalation_queue="q_voice_sales",
        ),
    )


def _default_teams() -> tuple[TeamSpec, ...]:
    return (
        TeamSpec("team_sales", 38.0),
        TeamSpec("team_support", 34.0),
        TeamSpec("team_billing", 32.0),
        TeamSpec("team_digital", 30.0),
    )


@dataclass(frozen=True)
class GeneratorConfig:
    """All parameters of the demo center (defaults: a telecom-like contact center).

    Parameters
    ----------
    queues, reasons, teams
        The service system; ids match ``seeds/queues.csv``.
    timezone
        The center's IANA time zone: its local days, opening hours and intraday
        shapes follow that wall clock (through DST changes), and every timestamp is
        written with the offset in force at its instant.
    open_hour, close_hour
        Opening hours (local) of the staffed real-time queues.
    shift_hours
        Length of a shift; breaks are 15 + 30 + 15 minutes inside it.
    weekday_factors
        Relative daily volume Monday..Sunday.
    short_day_rate, generous_day_rate
        Shares of days staffed at 0.75-0.9 (sick days) and 1.1-1.2 of the rule.
    customers_per_agent
        Customers at the start per agent (about 4 contacts per customer-quarter).
    signup_rate_per_month
        New customers per month as a share of the starting population.
    anonymous_rate
        Share of contacts without a customer id (prospects, unidentified callers).
    rate_change_team, rate_change_day, rate_change_factor
        The one mid-period cost-rate change (exercises the as-of join).
    """

    queues: tuple[QueueSpec, ...] = field(default_factory=_default_queues)
    reasons: tuple[ReasonSpec, ...] = field(default_factory=_default_reasons)
    teams: tuple[TeamSpec, ...] = field(default_factory=_default_teams)
    timezone: str = "Asia/Seoul"
    currency: str = "USD"
    open_hour: int = 8
    close_hour: int = 20
    shift_hours: int = 8
    weekday_factors: tuple[float, ...] = WEEKDAY_FACTORS
    short_day_rate: float = 0.15
    generous_day_rate: float = 0.12
    customers_per_agent: float = 800.0
    signup_rate_per_month: float = 0.015
    anonymous_rate: float = 0.03
    rate_change_team: str = "team_support"
    rate_change_day: int = 45
    rate_change_factor: float = 1.06
    csat: CsatModel = field(default_factory=CsatModel)
    nps: NpsModel = field(default_factory=NpsModel)
    churn: ChurnModel = field(default_factory=ChurnModel)

    def queue(self, queue_id: str) -> QueueSpec:
        """Return the queue spec of `queue_id`."""
        for spec in self.queues:
            if spec.queue_id == queue_id:
                return spec
        raise ValueError(f"`queue_id` must be a configured queue, got {queue_id!r}")

    def reason(self, reason: str) -> ReasonSpec:
        """Return the reason spec of `reason`."""
        for spec in self.reasons:
            if spec.reason == reason:
                return spec
        raise ValueError(f"`reason` must be a configured reason, got {reason!r}")


def default_seed_path() -> Path:
    """Return the path of the repository's ``seeds/queues.csv``."""
    return Path(__file__).resolve().parents[3] / "seeds" / "queues.csv"


def read_seed_queues(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """Read ``seeds/queues.csv`` into ``{queue_id: row}``.

    Parameters
    ----------
    path
        The seed file; the repository's seed by default.

    Returns
    -------
    dict of str to dict
        One row (column name to raw string) per queue id.
    """
    seed = Path(path) if path is not None else default_seed_path()
    with seed.open(newline="", encoding="utf-8") as handle:
        return {row["queue_id"]: row for row in csv.DictReader(handle)}
