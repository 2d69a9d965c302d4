"""The service core: first-come-first-served multi-server queue with abandonment.

Each contact, in the order it reaches the agent queue, takes the agent who can start
it earliest (non-idling FCFS). A contact whose wait would exceed its patience leaves
(abandons) at its patience, or flows out (voicemail) at its flow-out time if that
comes first, and takes no agent time. Agents start contacts only inside their work
windows; a contact running past the end of a window is finished first, then the
break (or the log-out) follows, so breaks may start late but are never cut short.

All times are whole seconds (``int``), so every identity between timestamps and
durations holds exactly.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ABANDONED",
    "FLOWOUT",
    "HANDLED",
    "NEVER",
    "OPEN",
    "AgentShift",
    "QueueServer",
    "SimulationResult",
    "simulate_fcfs",
]

NEVER = 2**62
"""A time later than any simulated time (seconds); stands for infinity."""

HANDLED, ABANDONED, FLOWOUT, OPEN = 0, 1, 2, 3
"""Outcome codes; OPEN = never answered within the simulated horizon (e-mail)."""


@dataclass
class AgentShift:
    """One agent's shift on one day, and what happened in it.

    Parameters
    ----------
    index
        A unique, deterministic tie-break number.
    windows
        Work windows ``[start, end)`` in seconds, ordered; the gaps between them are
        breaks (aux time).
    agent_id, team_id, queue_id, day
        Labels carried to ``agent_intervals``.
    """

    index: int
    windows: list[list[int]]
    agent_id: str = ""
    team_id: str = ""
    queue_id: str = ""
    day: int = 0
    avail: int = 0
    k: int = 0
    aux: list[tuple[int, int]] = field(default_factory=list)
    busy_start: list[int] = field(default_factory=list)
    busy_end: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.shift_start = self.windows[0][0]
        self.shift_end = self.windows[-1][1]
        self.avail = self.shift_start

    def earliest(self, t: int) -> int | None:
        """Earliest time >= `t` the agent can start a contact (None: shift over).

        Passing the end of a work window while idle records the scheduled break.
        """
        x = t if t > self.avail else self.avail
        windows = self.windows
        while self.k < len(windows):
            start, end = windows[self.k]
            if x < start:
                x = start
            if x < end:
                return x
            self.k += 1
            if self.k < len(windows):
                self.aux.append((end, windows[self.k][0]))
        return None

    def finish(self, start: int, end: int) -> None:
        """Record a contact busy from `start` to `end`; update availability."""
        self.busy_start.append(start)
        self.busy_end.append(end)
        windows = self.windows
        window_end = windows[self.k][1]
        if end < window_end:
            self.avail = end
            return
        self.k += 1
        if self.k < len(windows):
            nxt = windows[self.k]
            back = end + (nxt[0] - window_end)
            self.aux.append((end, back))
            nxt[0] = min(back, nxt[1])
            self.avail = back
        else:
            self.avail = end

    def close(self) -> int:
        """Finish the shift (record the remaining scheduled breaks); return log-out."""
        self.earliest(NEVER)
        last = max(self.busy_end) if self.busy_end else 0
        return max(self.shift_end, last)


@dataclass
class SimulationResult:
    """Per-contact results of :func:`simulate_fcfs` (arrays in input order)."""

    start: NDArray[np.int64]
    wait: NDArray[np.int64]
    outcome: NDArray[np.int8]
    agent: NDArray[np.int64]


class QueueServer:
    """One queue's FCFS server pool; keeps its state from one batch to the next.

    Parameters
    ----------
    loader
        Called when the pool may need the next day's shifts: returns the shifts
        and the new horizon (no shift starts at or after it is unknown), or None
        when there are no more days.
    horizon
        Time before which all shifts are loaded.
    """

    def __init__(
        self,
        loader: Callable[[], tuple[list[AgentShift], int] | None] | None = None,
        horizon: int = NEVER,
    ) -> None:
        self._heap: list[tuple[int, int, AgentShift]] = []
        self._loader = loader
        self.horizon = horizon

    def add(self, shifts: Sequence[AgentShift]) -> None:
        """Add agent shifts to the pool."""
        for shift in shifts:
            heapq.heappush(self._heap, (shift.avail, shift.index, shift))

    def _more(self) -> bool:
        if self._loader is None:
            return False
        loaded = self._loader()
        if loaded is None:
            self._loader = None
            return False
        shifts, self.horizon = loaded
        self.add(shifts)
        return True

    def run(
        self,
        arrivals: NDArray[np.int64],
        busy: NDArray[np.int64],
        patience: NDArray[np.int64],
        flowout: NDArray[np.int64],
    ) -> SimulationResult:
        """Serve contacts reaching the queue at `arrivals` (sorted), in that order.

        Parameters
        ----------
        arrivals
            Times the contacts join the agent queue (s), non-decreasing.
        busy
            Agent time each contact needs if answered (talk + hold + ACW, s).
        patience
            Longest wait each customer accepts (s); ``NEVER`` for no abandonment.
        flowout
            Wait after which the contact flows out (s); ``NEVER`` for none.

        Returns
        -------
        SimulationResult
            Start (answer) time or -1, wait, outcome code and agent shift index.
        """
        n = int(arrivals.size)
        start = np.full(n, -1, dtype=np.int64)
        wait = np.zeros(n, dtype=np.int64)
        outcome = np.zeros(n, dtype=np.int8)
        agent = np.full(n, -1, dtype=np.int64)
        heap = self._heap
        push, pop = heapq.heappush, heapq.heappop
        arr_l, busy_l = arrivals.tolist(), busy.tolist()
        pat_l, fo_l = patience.tolist(), flowout.tolist()
        for i in range(n):
            t = arr_l[i]
            pat = pat_l[i]
            fo = fo_l[i]
            limit = pat if pat < fo else fo
            best: AgentShift | None = None
            e = NEVER
            while True:
                if not heap:
                    if self.horizon - t <= limit and self._more():
                        continue
                    break
                _, idx, cand = pop(heap)
                got = cand.earliest(t)
                if got is None:
                    continue
                if heap and got > heap[0][0]:
                    push(heap, (got, idx, cand))
                    continue
                if got >= self.horizon and self.horizon - t <= limit and self._more():
                    push(heap, (got, idx, cand))
                    continue
                best, e = cand, got
                break
            if best is not None and e - t <= limit:
                end = e + busy_l[i]
                best.finish(e, end)
                push(heap, (best.avail, best.index, best))
                start[i] = e
                wait[i] = e - t
                agent[i] = best.index
                continue
            if best is not None:
                push(heap, (e, best.index, best))
            if limit >= NEVER:
                outcome[i] = OPEN
            elif fo < pat:
                outcome[i] = FLOWOUT
                wait[i] = fo
            else:
                outcome[i] = ABANDONED
                wait[i] = pat
        return SimulationResult(start=start, wait=wait, outcome=outcome, agent=agent)


def _as_int_seconds(values: ArrayLike, n: int, name: str) -> NDArray[np.int64]:
    raw = np.asarray(values, dtype=np.float64)
    if raw.ndim == 0:
        raw = np.full(n, float(raw))
    if raw.shape != (n,):
        raise ValueError(f"`{name}` must have {n} elements, got shape {raw.shape}")
    if np.any(np.isnan(raw)) or np.any(raw < 0):
        raise ValueError(f"`{name}` must be >= 0 and not NaN")
    out: NDArray[np.int64] = np.where(
        np.isinf(raw), NEVER, np.rint(np.minimum(raw, NEVER))
    ).astype(np.int64)
    return out


def simulate_fcfs(
    arrival_times: ArrayLike,
    service_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    *,
    servers: int | Sequence[AgentShift],
    flowout_seconds: ArrayLike = np.inf,
) -> SimulationResult:
    """Simulate an FCFS multi-server queue with abandonment (pure function).

    Parameters
    ----------
    arrival_times
        Times (s) the contacts join the queue; rounded to whole seconds and must
        be non-decreasing.
    service_seconds
        Agent time per contact (s), rounded to whole seconds.
    patience_seconds
        Patience per contact (s); ``inf`` for none.
    servers
        A number of always-available agents, or explicit agent shifts (which are
        mutated to record what they did).
    flowout_seconds
        Wait after which a contact flows out (s); ``inf`` (default) for never.

    Returns
    -------
    SimulationResult
        Start time (-1 if not served), wait, outcome code, agent index.

    Raises
    ------
    ValueError
        If the inputs have different lengths, are negative, or arrivals decrease.

    Notes
    -----
    With Poisson arrivals, exponential service, exponential patience and a fixed
    number of servers this is the M/M/c+M (Erlang A) queue; with infinite patience
    the M/M/c (Erlang C) queue. Time is discretised to whole seconds, which is
    negligible when the means are minutes.
    """
    arrivals = _as_int_seconds(
        arrival_times, np.asarray(arrival_times).size, "arrival_times"
    )
    n = int(arrivals.size)
    if n and np.any(np.diff(arrivals) < 0):
        raise ValueError("`arrival_times` must be non-decreasing")
    busy = _as_int_seconds(service_seconds, n, "service_seconds")
    patience = _as_int_seconds(patience_seconds, n, "patience_seconds")
    flowout = _as_int_seconds(flowout_seconds, n, "flowout_seconds")
    if isinstance(servers, int):
        if isinstance(servers, bool) or servers < 1:
            raise ValueError(f"`servers` must be an int >= 1, got {servers!r}")
        shifts = [AgentShift(index=i, windows=[[0, NEVER - 1]]) for i in range(servers)]
    else:
        shifts = list(servers)
    pool = QueueServer()
    pool.add(shifts)
    return pool.run(arrivals, busy, patience, flowout)
