"""Queueing-theory kernel of opsmart: Erlang B/C/A, M/M/c(/K), M/G/1, priority.

All functions are vectorised over NumPy broadcasting, return Python floats for
scalar input, validate their arguments (``ValueError`` naming the parameter,
``TypeError`` for bools) and return element-wise unstable states instead of
raising.  Time unit: any consistent unit (the pipeline uses seconds).
"""

from __future__ import annotations

from opsmart.queueing._results import (
    CostResult,
    ErlangAResult,
    PriorityResult,
    QueueResult,
    StaffingResult,
)
from opsmart.queueing.baselines import interval_baselines
from opsmart.queueing.erlang import erlang_b, erlang_c, mmc, service_level
from opsmart.queueing.erlang_a import erlang_a, estimate_patience
from opsmart.queueing.mg1 import mg1
from opsmart.queueing.priority import priority_mmc
from opsmart.queueing.staffing import optimal_agents, required_agents

__all__ = [
    "CostResult",
    "ErlangAResult",
    "PriorityResult",
    "QueueResult",
    "StaffingResult",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "estimate_patience",
    "interval_baselines",
    "mg1",
    "mmc",
    "optimal_agents",
    "priority_mmc",
    "required_agents",
    "service_level",
]
