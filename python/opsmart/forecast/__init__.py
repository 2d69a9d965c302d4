"""Interval forecasts of offered contacts and AHT, with prediction intervals.

Per queue x local interval of the coming weeks, from explainable baselines (seasonal
naive by week; exponential smoothing of a weekly level times a weekday x time-of-day
profile), with negative-binomial (counts) and normal (AHT) prediction intervals
sized by the method's own rolling-origin errors, and a rolling-origin backtest
(WAPE, MASE, coverage); then the staffing plan of the horizon (agents by Erlang A
for the service target and value-optimal, scheduled after shrinkage). Local time
throughout: a DST day has the intervals its wall clock has. `forecast_queues`,
`backtest_queues` and `staffing_plan` are what the dbt models call.
See docs/forecast.md.
"""

from __future__ import annotations

from opsmart.forecast.clock import local_intervals
from opsmart.forecast.history import HISTORY_COLUMNS, MIN_HISTORY_WEEKS
from opsmart.forecast.methods import METHODS, exponential_smoothing, seasonal_naive
from opsmart.forecast.metrics import coverage, mase, seasonal_naive_scale, wape
from opsmart.forecast.pipeline import DEFAULT_LEVELS, backtest, forecast_intervals
from opsmart.forecast.plan import (
    PLAN_INPUT_COLUMNS,
    PLAN_NULL_REASONS,
    PLAN_UPPER_LEVELS,
    daily_staffing_plan,
    staffing_plan,
)
from opsmart.forecast.queues import (
    FORECAST_NULL_REASONS,
    QUEUE_HISTORY_COLUMNS,
    backtest_queues,
    forecast_queues,
)
from opsmart.forecast.special_days import SPECIAL_DAY_COLUMNS, prepare_special_days
from opsmart.forecast.uncertainty import (
    aht_bounds,
    count_bounds,
    fit_aht_variance,
    fit_count_variance,
)
from opsmart.forecast.whatif import WaitEffects, WhatIf, wait_effects, what_if

__all__ = [
    "DEFAULT_LEVELS",
    "FORECAST_NULL_REASONS",
    "HISTORY_COLUMNS",
    "METHODS",
    "MIN_HISTORY_WEEKS",
    "PLAN_INPUT_COLUMNS",
    "PLAN_NULL_REASONS",
    "PLAN_UPPER_LEVELS",
    "QUEUE_HISTORY_COLUMNS",
    "SPECIAL_DAY_COLUMNS",
    "WaitEffects",
    "WhatIf",
    "aht_bounds",
    "backtest",
    "backtest_queues",
    "count_bounds",
    "coverage",
    "daily_staffing_plan",
    "exponential_smoothing",
    "fit_aht_variance",
    "fit_count_variance",
    "forecast_intervals",
    "forecast_queues",
    "local_intervals",
    "mase",
    "prepare_special_days",
    "seasonal_naive",
    "seasonal_naive_scale",
    "staffing_plan",
    "wait_effects",
    "wape",
    "what_if",
]
