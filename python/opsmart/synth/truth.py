"""``truth.json``: the data-generating process and the true effects of a run, so the
warehouse's estimates can be checked against what was simulated."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

from opsmart.synth.agents import Rosters
from opsmart.synth.center import Center
from opsmart.synth.clock import LocalClock, format_offset
from opsmart.synth.config import GeneratorConfig
from opsmart.synth.landing import rate_change_day

__all__ = ["truth", "truth_json"]

_DAY = 86_400

# The models' forms in words, as truth.json states them beside their parameters.
_STAFFING_RULE = (
    "heads = ceil((A + beta*sqrt(A)) / (1 - aux_share) * day_factor) "
    "per 15-min bin, A = forecast arrivals/s * expected AHT; e-mail: "
    "daily workload spread over opening hours * 1.15"
)
_CSAT_FORM = (
    "P(score >= 4) = logistic(alpha + beta_wait * wait_minutes + "
    "beta_unres * unresolved); unresolved = is_resolved is not true; "
    "surveyed: voice and chat contacts with a customer, handled at "
    "response_rate_handled, abandoned at response_rate_abandoned "
    "(random, independent of the experience)"
)
_NPS_FORM = (
    "multinomial logit vs passive: "
    "log(P(promoter)/P(passive)) = pro0 + pro_wait*w + pro_unres*u; "
    "log(P(detractor)/P(passive)) = det0 + "
    "det_wait*w + det_unres*u; w = mean wait minutes of the customer's "
    "voice/chat offered contacts in the 30 days before the response day "
    "(0 if none), u = their offered contacts (any channel) not resolved "
    "in those days; sampled daily with probability "
    "monthly_sample_rate/30 * response_rate per active customer"
)
_CHURN_FORM = (
    "at the end of each 30-day window from the start: P(churn) = "
    "logistic(gamma0 + gamma_wait*w + gamma_unres*u + segment_offset); "
    "w = mean wait minutes of the customer's voice/chat offered contacts "
    "in the window (0 if none), u = their unresolved offered contacts in "
    "the window; churned_at is on the window's last day after 20:00 and "
    "after the "
    "customer's last contact; churned customers contact no more"
)
_NOTES = (
    "contacts are filed by local arrival date; surveys by local response date",
    "e-mails still unanswered at the end of the period are not written "
    "(open_email_at_end); CSAT answers due after the period are not written",
    "abandoned and flowout contacts have is_resolved null; contained sessions "
    "are resolved unless escalated to a voice contact",
)


def truth(
    cfg: GeneratorConfig,
    center: Center,
    rosters: Rosters,
    arguments: dict[str, Any],
    rows: dict[str, int],
    not_written: dict[str, int],
    churn_windows: list[dict[str, Any]],
) -> dict[str, Any]:
    """The contents of ``truth.json`` for a finished run.

    Parameters
    ----------
    cfg, center, rosters
        The run's configuration, center and rosters (all days rostered).
    arguments
        The arguments of :func:`opsmart.synth.generate` as written.
    rows
        Rows written per source.
    not_written
        Rows simulated but not written, per reason.
    churn_windows
        Each churn window: first and last day, customers at risk and churned.

    Returns
    -------
    dict
        JSON-ready but for non-finite floats (see :func:`truth_json`).
    """
    days = center.clock.days
    return {
        "generator": "opsmart.synth",
        "arguments": arguments,
        "timezone": _zone_truth(center.clock, days),
        "row_counts": rows,
        "not_written": not_written,
        "teams": {t: len(ids) for t, ids in center.team_agents.items()},
        "expected_aht_seconds": center.aht,
        "staffing": _staffing_truth(rosters, days),
        "csat": {"form": _CSAT_FORM, **dataclasses.asdict(cfg.csat)},
        "nps": {"form": _NPS_FORM, **dataclasses.asdict(cfg.nps)},
        "churn": {
            "form": _CHURN_FORM,
            **dataclasses.asdict(cfg.churn),
            "windows": churn_windows,
        },
        "queues": [dataclasses.asdict(q) for q in cfg.queues],
        "reasons": [dataclasses.asdict(r) for r in cfg.reasons],
        "costs": {t.team_id: t.cost_per_agent_hour for t in cfg.teams},
        "rate_change": {
            "team_id": cfg.rate_change_team,
            "day": rate_change_day(cfg, days),
            "factor": cfg.rate_change_factor,
        },
        "notes": list(_NOTES),
    }


def truth_json(document: dict[str, Any]) -> str:
    """`document` as the text of ``truth.json``: sorted keys, and null for the
    infinite parameters (a queue without abandonment) that JSON cannot spell."""
    return json.dumps(_sanitize(document), indent=2, sort_keys=True) + "\n"


def _sanitize(value: Any) -> Any:
    if isinstance(value, float):
        return None if not math.isfinite(value) else value
    if isinstance(value, dict):
        return {str(k): _sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_sanitize(v) for v in value]
    return value


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


def _staffing_truth(rosters: Rosters, days: int) -> dict[str, Any]:
    """The staffing rule, each day's factor and the shifts no agent was free for."""
    return {
        "rule": _STAFFING_RULE,
        "day_factors": [round(f, 4) for f in rosters.factors[:days]],
        "dropped_shifts_no_agent_free": rosters.roster.dropped_shifts,
    }
