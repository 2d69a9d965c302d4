"""The agents' days: each day's shifts, rostered in day order, and the
``agent_intervals`` rows their time makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from opsmart.synth.arrivals import BIN_SECONDS
from opsmart.synth.center import Center
from opsmart.synth.config import GeneratorConfig
from opsmart.synth.simulate import AgentShift
from opsmart.synth.staffing import Roster
from opsmart.synth.streams import ROSTERS, stream
from opsmart.synth.writer import Column

__all__ = ["Rosters", "agent_interval_columns", "day_factor"]

#: Segment kinds of an agent's shift: logged in, handling a contact, in aux.
_STAFFED, _HANDLING, _AUX = 0, 1, 2


def day_factor(cfg: GeneratorConfig, rng: np.random.Generator) -> float:
    """How a day's staffing compares with the plan: mostly about right, now and then
    short or generous (the days a real roster misses)."""
    u = float(rng.random())
    if u < cfg.short_day_rate:
        return float(rng.uniform(0.75, 0.9))
    if u < cfg.short_day_rate + cfg.generous_day_rate:
        return float(rng.uniform(1.1, 1.2))
    return float(rng.uniform(0.95, 1.05))


class Rosters:
    """Builds each day's shifts once, in day order, and caches them until closed."""

    def __init__(self, center: Center, seed: int, days: int) -> None:
        self.center = center
        self.seed = seed
        self.days = days
        self.roster = Roster(center.team_agents, center.weekday_need)
        self.cache: dict[int, list[AgentShift]] = {}
        self.next_day = 0
        self.factors: list[float] = []
        self.by_index: dict[int, AgentShift] = {}

    def day(self, d: int) -> list[AgentShift]:
        """The shifts of day `d`, rostering any day up to it not rostered yet."""
        while self.next_day <= d:
            self._roster_day(self.next_day)
            self.next_day += 1
        return self.cache[d]

    def _roster_day(self, k: int) -> None:
        rng = stream(self.seed, ROSTERS, k)
        factor = day_factor(self.center.cfg, rng)
        self.factors.append(factor)
        weekday = (self.center.start_date + dt.timedelta(days=k)).weekday()
        clock = self.center.clock
        midnight = clock.midnight(k)
        # wall-clock start bins -> elapsed bins from the day's local midnight
        starts = {
            q.queue_id: [
                ((clock.bin_start(k, first) - midnight) // BIN_SECONDS, bins)
                for first, bins in self.center.shift_starts(q, weekday, factor)
            ]
            for q in self.center.staffed
        }
        shifts = self.roster.build_day(
            k, weekday, starts, self.center.queue_team, rng, day_start=midnight
        )
        self.cache[k] = shifts
        self.by_index.update((s.index, s) for s in shifts)

    def loader(
        self, queue_id: str
    ) -> Callable[[], tuple[list[AgentShift], int] | None]:
        """A loader for the queue's server: each call hands over the next day's
        shifts of `queue_id` and the day's end, None after the last day."""
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
        """Day `d`'s shifts, served to the end, dropped from the cache."""
        shifts = self.day(d)
        del self.cache[d]
        for s in shifts:
            del self.by_index[s.index]
        return shifts


def _shift_segments(
    shifts: list[AgentShift],
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Every non-empty segment of the shifts: owner (index in `shifts`), kind, start
    and end (seconds)."""
    owner: list[int] = []
    kind: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, s in enumerate(shifts):
        logout = s.close()
        segs = [(_STAFFED, s.shift_start, logout)]
        segs += [
            (_HANDLING, a, b) for a, b in zip(s.busy_start, s.busy_end, strict=True)
        ]
        segs += [(_AUX, a, b) for a, b in s.aux]
        for k, a, b in segs:
            if b > a:
                owner.append(i)
                kind.append(k)
                starts.append(a)
                ends.append(b)
    return owner, kind, starts, ends


def agent_interval_columns(shifts: list[AgentShift]) -> dict[str, Column]:
    """Per agent x 15-minute interval: staffed, available, handling and aux seconds."""
    shifts = sorted(shifts, key=lambda s: s.agent_id)
    owner, kind, starts, ends = _shift_segments(shifts)
    st = np.asarray(starts, dtype=np.int64)
    en = np.asarray(ends, dtype=np.int64)
    # each segment cut at the interval boundaries it crosses
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
    row_bin = rows % width + bmin
    owners = (rows // width).tolist()
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
