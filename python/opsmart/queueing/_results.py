"""Frozen result records returned by the queueing functions.

Each field is a Python ``float`` (``bool`` for ``stable``) when every input was a
scalar, and a NumPy array of the broadcast shape otherwise.  Times are in the
unit of ``service_time`` (seconds in the pipeline); rates are per that unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BoolOrArray",
    "CostResult",
    "ErlangAResult",
    "FloatOrArray",
    "PriorityResult",
    "QueueResult",
    "StaffingResult",
]

FloatOrArray: TypeAlias = float | NDArray[np.float64]
BoolOrArray: TypeAlias = bool | NDArray[np.bool_]


@dataclass(frozen=True)
class QueueResult:
    """Steady-state measures of an M/M/c-type or M/G/1 queue.

    Attributes
    ----------
    prob_wait : float or ndarray
        Probability that an admitted arrival waits (all agents busy).
    mean_wait : float or ndarray
        Mean wait in queue of admitted arrivals, Wq.
    mean_queue_length : float or ndarray
        Mean number waiting, Lq.
    mean_in_system : float or ndarray
        Mean number in system, L.
    mean_response_time : float or ndarray
        Mean time in system of admitted arrivals, W = Wq + service time.
    occupancy : float or ndarray
        Fraction of agent time busy (1 when unstable).
    stable : bool or ndarray of bool
        Whether a steady state exists.
    service_level : float, ndarray or None
        P(wait <= threshold) for admitted arrivals; None without a threshold.
    prob_blocked : float or ndarray
        Probability an arrival finds the system full (0 without capacity).
    """

    prob_wait: FloatOrArray
    mean_wait: FloatOrArray
    mean_queue_length: FloatOrArray
    mean_in_system: FloatOrArray
    mean_response_time: FloatOrArray
    occupancy: FloatOrArray
    stable: BoolOrArray
    service_level: FloatOrArray | None
    prob_blocked: FloatOrArray


@dataclass(frozen=True)
class ErlangAResult(QueueResult):
    """Measures of the M/M/c+M (Erlang A) queue.

    Adds to :class:`QueueResult` (whose ``mean_wait``, ``service_level`` and
    ``mean_response_time`` are averaged over *all* arrivals):

    Attributes
    ----------
    prob_abandon : float or ndarray
        Fraction of arrivals that abandon.
    throughput : float or ndarray
        Contacts served per time unit.
    mean_wait_answered : float or ndarray
        Mean wait of served contacts (ASA).
    service_level_answered : float, ndarray or None
        Served within threshold divided by served.
    service_level_virtual : float, ndarray or None
        P(virtual wait <= threshold), the wait of an infinitely patient arrival.
    """

    prob_abandon: FloatOrArray
    throughput: FloatOrArray
    mean_wait_answered: FloatOrArray
    service_level_answered: FloatOrArray | None
    service_level_virtual: FloatOrArray | None


@dataclass(frozen=True)
class PriorityResult:
    """Measures of the non-preemptive priority M/M/c queue.

    Attributes
    ----------
    mean_wait : float or ndarray
        Mean wait per class, shaped like ``arrival_rates``.
    mean_wait_overall : float or ndarray
        Arrival-rate weighted mean wait over classes.
    prob_wait : float or ndarray
        Erlang C probability of waiting for the total load.
    occupancy : float or ndarray
        Fraction of agent time busy (1 when overloaded).
    stable : bool or ndarray of bool
        Per class: whether that class has a steady state.
    """

    mean_wait: FloatOrArray
    mean_wait_overall: FloatOrArray
    prob_wait: FloatOrArray
    occupancy: FloatOrArray
    stable: BoolOrArray


@dataclass(frozen=True)
class StaffingResult:
    """Fewest agents meeting the targets.

    Attributes
    ----------
    agents : float, ndarray or None
        Agents on the phones; None (scalar) or NaN (array) when infeasible
        within ``max_agents``.
    scheduled_agents : float, ndarray or None
        ``ceil(agents / (1 - shrinkage))``; same missing-value convention.
    """

    agents: FloatOrArray | None
    scheduled_agents: FloatOrArray | None


@dataclass(frozen=True)
class CostResult:
    """Cost-optimal staffing.

    Attributes
    ----------
    agents : float or ndarray
        Agents minimising the cost rate.
    cost : float or ndarray
        The minimal cost per time unit.
    """

    agents: FloatOrArray
    cost: FloatOrArray
