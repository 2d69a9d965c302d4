"""The landing files of a run: one writer that counts rows and files, and the two
sources written once at the end (customers, costs)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from opsmart.synth.clock import LocalClock
from opsmart.synth.config import GeneratorConfig
from opsmart.synth.customers import REGIONS, SEGMENTS, Population
from opsmart.synth.simulate import NEVER
from opsmart.synth.writer import Column, write_source

__all__ = ["LandingWriter", "cost_columns", "customer_columns", "rate_change_day"]

#: Number columns written as integers (the rest keep their decimals).
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


class LandingWriter:
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

    def write_whole(self, source: str, cols: dict[str, Column]) -> None:
        """Write the one file of a source not split by day: `<source>.<ext>`."""
        self.write(source, cols, f"{source}.{self.ext}")

    def write_text(self, name: str, text: str) -> None:
        """Write a file beside the sources' folders (``truth.json``)."""
        path = self.out / name
        path.write_text(text)
        self.files.append(path)


def rate_change_day(cfg: GeneratorConfig, days: int) -> int:
    """The day the configured team's rate changes: the configured day, or mid-period
    if the period is shorter, so every run has a rate before and after."""
    return min(cfg.rate_change_day, days // 2)


def customer_columns(population: Population) -> dict[str, Column]:
    """The ``customers`` landing columns: every customer, churned or not."""
    n = population.size
    churned = population.churned
    return {
        "customer_id": ([f"cust_{i + 1:07d}" for i in range(n)], None),
        "segment": ([SEGMENTS[i] for i in population.segment.tolist()], None),
        "region": ([REGIONS[i] for i in population.region.tolist()], None),
        "signed_up_at": (population.signed_up, None),
        "churned_at": (np.where(churned == NEVER, 0, churned), churned == NEVER),
        "monthly_revenue": (population.revenue, None),
    }


def cost_columns(cfg: GeneratorConfig, days: int) -> dict[str, Column]:
    """The ``costs`` landing columns: each team's rate from day 0, and the changed
    rate of one team from :func:`rate_change_day`."""
    teams = [t.team_id for t in cfg.teams]
    rates = [t.cost_per_agent_hour for t in cfg.teams]
    start = [0] * len(teams)
    old = dict(zip(teams, rates, strict=True))[cfg.rate_change_team]
    teams.append(cfg.rate_change_team)
    rates.append(round(old * cfg.rate_change_factor, 2))
    start.append(rate_change_day(cfg, days))
    return {
        "team_id": (teams, None),
        "effective_from": (np.asarray(start, dtype=np.int64), None),
        "loaded_cost_per_agent_hour": (np.asarray(rates, dtype=np.float64), None),
        "currency": ([cfg.currency] * len(teams), None),
    }
