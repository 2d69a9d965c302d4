"""The pipeline settings the load step judges rows by (dbt vars of the same names)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["LoadSettings"]


@dataclass(frozen=True)
class LoadSettings:
    """What the row rules and the span check need to know of the pipeline.

    Each field is the dbt var of the same name (``dbt_project.yml`` documents them),
    so the load step and the models judge with the same values.
    """

    #: The pipeline's interval (minutes); an agent interval must divide it.
    interval_minutes: int = 30
    #: The zone whose clock aligns the agent intervals of a queue without its own zone.
    reporting_timezone: str = "UTC"
    #: How far (days) a timestamp may lie outside the bulk of the contacts' arrivals.
    timestamp_span_margin_days: int = 366
    #: The wall clock; no event lies more than a day after it. None: the real clock.
    now: datetime | None = None

    @classmethod
    def from_vars(
        cls, dbt_vars: Mapping[str, Any], *, now: datetime | None = None
    ) -> LoadSettings:
        """The settings of a run from its dbt vars (project defaults + overrides)."""
        defaults = cls()
        return cls(
            interval_minutes=int(
                dbt_vars.get("interval_minutes", defaults.interval_minutes)
            ),
            reporting_timezone=str(
                dbt_vars.get("reporting_timezone", defaults.reporting_timezone)
            ),
            timestamp_span_margin_days=int(
                dbt_vars.get(
                    "timestamp_span_margin_days", defaults.timestamp_span_margin_days
                )
            ),
            now=now,
        )
