"""Effects of the service on the customer, and what they are worth.

`churn` fits the monotone logistic model of waiting (and unresolved contacts) on
churn and prices one second of waiting in customer value; `staffing` turns that
price into value-optimal staffing per queue interval (Erlang A, via
:mod:`opsmart.queueing`).  The dbt Python models in ``models/reports/prep/``
are thin adapters over :func:`churn_wait_effects` and :func:`interval_staffing`.
"""

from __future__ import annotations

from opsmart.effects.churn import (
    CHURN_INPUT_COLUMNS,
    CHURN_OUTPUT_COLUMNS,
    LogisticFit,
    churn_wait_effects,
    fit_logistic,
)
from opsmart.effects.staffing import (
    STAFFING_INPUT_COLUMNS,
    STAFFING_OUTPUT_COLUMNS,
    StaffingCosts,
    interval_staffing,
    staffing_costs,
)

__all__ = [
    "CHURN_INPUT_COLUMNS",
    "CHURN_OUTPUT_COLUMNS",
    "STAFFING_INPUT_COLUMNS",
    "STAFFING_OUTPUT_COLUMNS",
    "LogisticFit",
    "StaffingCosts",
    "churn_wait_effects",
    "fit_logistic",
    "interval_staffing",
    "staffing_costs",
]
