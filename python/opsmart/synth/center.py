"""The simulated center's static structure: queues, forecasts, teams and agents."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.arrivals import BINS_PER_DAY, intraday_shape, weekday_factor
from opsmart.synth.clock import LocalClock
from opsmart.synth.config import GeneratorConfig, QueueSpec
from opsmart.synth.handling import expected_aht
from opsmart.synth.staffing import allocate_agents, cover_with_shifts, staffing_need

__all__ = ["Center"]

#: Agents the configured volumes are per (``daily_volume_per_50_agents``).
_AGENTS_PER_VOLUME = 50.0


class Center:
    """Static structure of the simulated center (forecasts, teams, agents).

    Forecasts, opening hours and shift starts are on the local wall clock (96
    15-minute bins a day); `clock` lays them on elapsed time, DST days included.
    """

    def __init__(self, cfg: GeneratorConfig, agents: int, clock: LocalClock) -> None:
        self.cfg = cfg
        self.scale = agents / _AGENTS_PER_VOLUME
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
        self.aht = {q.queue_id: expected_aht(cfg, q) for q in self.staffed}
        self.queue_team = {q.queue_id: q.team_id for q in cfg.queues}
        self.shift_bins = cfg.shift_hours * 4
        self.weekday_need = {
            team.team_id: self._weekday_shifts(team.team_id) for team in cfg.teams
        }
        self.team_agents = self._name_agents(agents)

    def _weekday_shifts(self, team_id: str) -> list[float]:
        """Shifts the team's queues need on each weekday at an ordinary day factor:
        the weights its agents' rostered days follow."""
        return [
            float(
                sum(
                    len(self.shift_starts(q, wd, 1.0))
                    for q in self.staffed
                    if q.team_id == team_id
                )
            )
            for wd in range(7)
        ]

    def _name_agents(self, agents: int) -> dict[str, list[str]]:
        """The agents of each team (``agent_0001`` ...), shared out by the shifts
        each team needs in a week."""
        teams = self.cfg.teams
        weights = [max(sum(self.weekday_need[t.team_id]), 1.0) for t in teams]
        sizes = allocate_agents(weights, agents)
        team_agents: dict[str, list[str]] = {}
        n = 0
        for team, size in zip(teams, sizes, strict=True):
            team_agents[team.team_id] = [f"agent_{n + i + 1:04d}" for i in range(size)]
            n += size
        return team_agents

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
            base = base + (
                self_service.daily_volume_per_50_agents
                * self.scale
                * volume_factor
                * self._escalation_shape(q, self_service)
            )
        out: NDArray[np.float64] = base
        return out

    def _escalation_shape(
        self, q: QueueSpec, self_service: QueueSpec
    ) -> NDArray[np.float64]:
        """Per bin, the share of a day's self-service sessions that escalate to the
        voice queue `q`: only while the center is open."""
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
        return escalations

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
