"""Staffing: the square-root rule, shifts covering the requirement, and a roster.

The roster follows the *forecast* (expected volume, without the day's random demand
shocks), so outage days and sick days produce long waits, as in a real center.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from opsmart.synth.arrivals import BIN_SECONDS, BINS_PER_DAY
from opsmart.synth.simulate import AgentShift

__all__ = [
    "AUX_SHARE",
    "Roster",
    "allocate_agents",
    "cover_with_shifts",
    "shift_windows",
    "sqrt_staffing",
    "staffing_need",
]

_BREAKS = ((120, 15), (240, 30), (360, 15))
"""Scheduled breaks of a full shift: (minutes after shift start, minutes long)."""

_PART_TIME_BREAKS = ((120, 15),)
"""Scheduled break of a 4-hour part-time shift."""

AUX_SHARE = sum(length for _, length in _BREAKS) / 480.0
"""Share of an 8-hour shift spent in breaks (aux)."""


def sqrt_staffing(
    traffic_erlangs: NDArray[np.float64], beta: float
) -> NDArray[np.int64]:
    """Square-root staffing ``c = ceil(A + beta * sqrt(A))`` (0 where A = 0).

    Parameters
    ----------
    traffic_erlangs
        Offered load A = arrival_rate * aht_seconds per interval.
    beta
        Quality-of-service safety factor (about 0.5-1 for 80/20 service levels).

    Returns
    -------
    NDArray[np.int64]
        Agents needed per interval.

    References
    ----------
    1. Halfin, S. & Whitt, W. (1981). Heavy-traffic limits for queues with many
       exponential servers. *Operations Research* 29(3):567-588.
       doi:10.1287/opre.29.3.567
    """
    load = np.maximum(np.asarray(traffic_erlangs, dtype=np.float64), 0.0)
    raw = np.ceil(load + beta * np.sqrt(load) - 1e-9)
    out: NDArray[np.int64] = np.where(load > 0, np.maximum(raw, 1.0), 0.0).astype(
        np.int64
    )
    return out


def cover_with_shifts(
    need: NDArray[np.int64],
    *,
    shift_bins: int,
    first_bin: int,
    last_bin: int,
    part_time_bins: int = 0,
) -> list[tuple[int, int]]:
    """Greedy shifts (start bin, length in bins) so coverage >= need in every bin.

    Scanning the day, each uncovered agent-bin starts a full shift when the
    shortfall lasts at least three quarters of a full shift (or no part-time
    shift is allowed), else a part-time shift.

    Parameters
    ----------
    need
        Agents needed per bin of the day.
    shift_bins
        Full shift length in bins.
    first_bin, last_bin
        Shifts start no earlier than `first_bin` and end no later than `last_bin`.
    part_time_bins
        Part-time shift length in bins (0: full shifts only).

    Returns
    -------
    list of (int, int)
        (start bin, length in bins), one per shift, by start.
    """
    cover = np.zeros(need.size, dtype=np.int64)
    shifts: list[tuple[int, int]] = []
    for b in range(first_bin, last_bin):
        while cover[b] < need[b]:
            short = need[b:last_bin] > cover[b:last_bin]
            run = int(np.argmin(short)) if not short.all() else int(short.size)
            length = shift_bins
            if part_time_bins and run < shift_bins * 3 // 4:
                length = part_time_bins
            length = min(length, last_bin - first_bin)
            s = min(b, last_bin - length)
            shifts.append((s, length))
            cover[s : s + length] += 1
    return shifts


def shift_windows(
    start: int, shift_seconds: int, jitter: Sequence[int]
) -> list[list[int]]:
    """Work windows of a shift starting at `start` (s) with breaks shifted by jitter.

    Parameters
    ----------
    start
        Shift start (s since the period start).
    shift_seconds
        Shift length (s): 8 hours (breaks of 15, 30 and 15 minutes after 2, 4 and
        6 hours) or shorter (one 15-minute break after 2 hours).
    jitter
        Offsets (s) of the scheduled breaks, each within +-10 minutes (extra
        values are ignored).

    Returns
    -------
    list of [start, end]
        The work windows (each at least 75 minutes); the gaps are breaks.
    """
    breaks = _BREAKS if shift_seconds >= 28_800 else _PART_TIME_BREAKS
    windows: list[list[int]] = []
    cursor = start
    for (after, length), offset in zip(breaks, jitter[: len(breaks)], strict=True):
        brk = start + after * 60 + int(offset)
        windows.append([cursor, brk])
        cursor = brk + length * 60
    windows.append([cursor, start + shift_seconds])
    return windows


def allocate_agents(weights: Sequence[float], total: int) -> list[int]:
    """Split `total` agents over teams in proportion to `weights` (each >= 1).

    Uses the largest-remainder method, so the parts sum to `total` exactly.
    """
    n = len(weights)
    if total < n:
        raise ValueError(f"`agents` must be >= {n} (one per team), got {total}")
    w = np.asarray(weights, dtype=np.float64)
    share = w / w.sum() * (total - n)
    base = np.floor(share).astype(np.int64)
    left = (total - n) - int(base.sum())
    order = np.argsort(-(share - base), kind="stable")
    base[order[:left]] += 1
    return [int(x) + 1 for x in base]


class Roster:
    """Assigns agents of each team to the day's shifts, a day at a time.

    Every agent has two fixed days off a week, put on the weekdays where the team
    needs fewest agents; on a working day, the agents who worked least so far are
    picked first. When the requirement exceeds the agents working that day, shifts
    are dropped at random (the day runs short-staffed).

    Parameters
    ----------
    team_agents
        Agent ids per team.
    weekday_need
        Expected shifts per team on each weekday (Monday first).
    days_off
        Days off per agent per week.
    """

    def __init__(
        self,
        team_agents: dict[str, list[str]],
        weekday_need: dict[str, list[float]],
        *,
        days_off: int = 2,
    ) -> None:
        self.team_agents = team_agents
        self.total_count = {a: 0 for ids in team_agents.values() for a in ids}
        self.off: dict[str, frozenset[int]] = {}
        for team, ids in team_agents.items():
            slack = [len(ids) - n for n in weekday_need[team]]
            for agent in ids:
                order = sorted(range(7), key=lambda w: (-slack[w], w))
                chosen = frozenset(order[:days_off])
                for w in chosen:
                    slack[w] -= 1
                self.off[agent] = chosen
        self._counter = 0
        self.dropped_shifts = 0

    def build_day(
        self,
        day: int,
        weekday: int,
        starts_by_queue: dict[str, list[tuple[int, int]]],
        queue_team: dict[str, str],
        rng: np.random.Generator,
        *,
        day_start: int | None = None,
    ) -> list[AgentShift]:
        """Shifts (with agents) of one day.

        Parameters
        ----------
        day
            Day index from the period start.
        weekday
            0 = Monday (resets the weekly counts).
        starts_by_queue
            Shifts needed per queue: (start bin of the day, length in bins).
        queue_team
            The team of each queue.
        rng
            The day's random generator.
        day_start
            Seconds from the period start at which the day's bin 0 starts (its local
            midnight); ``day * 86400`` if None.

        Returns
        -------
        list of AgentShift
            The day's shifts.
        """
        shifts: list[AgentShift] = []
        for team, ids in self.team_agents.items():
            wanted = [
                (q, s)
                for q in sorted(starts_by_queue)
                if queue_team[q] == team
                for s in starts_by_queue[q]
            ]
            free = [a for a in ids if weekday not in self.off[a]]
            tiebreak = rng.random(len(free))
            order = sorted(
                range(len(free)), key=lambda i: (self.total_count[free[i]], tiebreak[i])
            )
            if len(wanted) > len(free):
                keep = np.sort(rng.choice(len(wanted), size=len(free), replace=False))
                self.dropped_shifts += len(wanted) - len(free)
                wanted = [wanted[int(i)] for i in keep]
            chosen = [free[i] for i in order[: len(wanted)]]
            perm = rng.permutation(len(chosen))
            for (queue_id, (start_bin, bins)), j in zip(wanted, perm, strict=True):
                agent_id = chosen[int(j)]
                self.total_count[agent_id] += 1
                start = (
                    day * 86_400 if day_start is None else day_start
                ) + start_bin * BIN_SECONDS
                jitter = rng.integers(-10, 11, size=len(_BREAKS)) * 60
                shifts.append(
                    AgentShift(
                        index=self._counter,
                        windows=shift_windows(
                            start, bins * BIN_SECONDS, jitter.tolist()
                        ),
                        agent_id=agent_id,
                        team_id=team,
                        queue_id=queue_id,
                        day=day,
                    )
                )
                self._counter += 1
        return shifts


def staffing_need(
    expected_per_bin: NDArray[np.float64],
    aht_seconds: float,
    *,
    beta: float,
    channel: str,
    open_bins: tuple[int, int],
    factor: float,
) -> NDArray[np.int64]:
    """Agents (on shift, including breaks) needed per bin of a day for one queue.

    Real-time queues use the square-root rule A + beta * sqrt(A) per bin; e-mail
    spreads the day's workload over the opening hours (+15 %). The result is divided
    by the on-shift share not in breaks, multiplied by the day's staffing factor
    and rounded up (at least 1 where there is load).
    """
    need = np.zeros(BINS_PER_DAY, dtype=np.float64)
    lo, hi = open_bins
    if channel == "email":
        work = float(expected_per_bin.sum()) * aht_seconds
        per_bin = work / ((hi - lo) * BIN_SECONDS) * 1.15
        need[lo:hi] = math.ceil(per_bin) if per_bin > 0 else 0
    else:
        load = expected_per_bin / BIN_SECONDS * aht_seconds
        need = np.where(load > 0, load + beta * np.sqrt(load), 0.0)
        need[:lo] = 0
        need[hi:] = 0
    heads = np.ceil(need / (1.0 - AUX_SHARE) * factor - 1e-9)
    heads = np.where(need > 0, np.maximum(heads, 1.0), 0.0)
    out: NDArray[np.int64] = heads.astype(np.int64)
    return out
