"""Reading the staffing plan for a what-if, read-only: one reading for `opsmart plan`
and `opsmart explore`.

:func:`plan_rows` reads a queue's rows of ``reports.rpt_staffing_plan`` with the
interval length and the queue's prices of waiting (``rpt_staffing``) that
:func:`opsmart.forecast.whatif.what_if` takes; :func:`select_plan_rows` keeps some
local dates and hours; :func:`read_wait_effects` reads the fitted wait effects;
:func:`plan_what_if` does all of it on an open connection.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from opsmart.analyst.sql import WarehouseError
from opsmart.forecast.history import MIN_HISTORY_WEEKS
from opsmart.forecast.whatif import (
    PRICE_COLUMNS,
    WaitEffects,
    WhatIf,
    wait_effects,
    what_if,
)

__all__ = [
    "PLAN_TABLE",
    "PlanWhatIf",
    "has_table",
    "plan_queues",
    "plan_rows",
    "plan_what_if",
    "read_wait_effects",
    "select_plan_rows",
    "table_frame",
    "what_if_notes",
]

PLAN_TABLE = "reports.rpt_staffing_plan"
_CHURN_COLUMNS = (
    "term",
    "estimate",
    "ci_lower",
    "ci_upper",
    "customer_windows",
    "churned_customer_windows",
    "churn_per_wait_second_rate",
)
_CURVE_COLUMNS = (
    "wait_band_index",
    "wait_band_lower_seconds",
    "csat_responses",
    "csat_rate",
    "csat_rate_lower",
    "csat_rate_upper",
)


def has_table(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse has the table ``schema.table``."""
    schema, table = name.split(".")
    found = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def table_frame(
    connection: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> pd.DataFrame:
    """The columns of `table`, or no rows with those columns when it is absent."""
    if not has_table(connection, table):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    return connection.execute(f"select {', '.join(columns)} from {table}").df()


def plan_queues(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The queues of the staffing plan, sorted.

    Raises
    ------
    WarehouseError
        When the warehouse has no plan table (built before it existed).
    """
    if not has_table(connection, PLAN_TABLE):
        raise WarehouseError(
            f"the warehouse has no {PLAN_TABLE}: it was built before the staffing "
            "plan existed; rebuild it (`opsmart build`)"
        )
    return [
        str(r[0])
        for r in connection.execute(
            f"select distinct queue_id from {PLAN_TABLE} order by 1"
        ).fetchall()
    ]


def plan_rows(
    connection: duckdb.DuckDBPyConnection, queue: str
) -> tuple[pd.DataFrame, float]:
    """The queue's plan rows with its prices, and the plan's interval seconds.

    Raises
    ------
    WarehouseError
        Without a plan table, with an empty plan, or for a queue not in it.
    """
    queues = plan_queues(connection)
    if not queues:
        raise WarehouseError(
            f"the warehouse has no forecast yet ({PLAN_TABLE} is empty): the plan "
            f"needs {MIN_HISTORY_WEEKS} complete weeks of history per queue"
        )
    if queue not in queues:
        raise WarehouseError(
            f"unknown queue {queue!r} in the plan; known queues: {', '.join(queues)} "
            f"(a queue with under {MIN_HISTORY_WEEKS} weeks of history has no plan)"
        )
    rows = connection.execute(
        f"""
        select
            queue_id, contacts_offered_forecast, aht_seconds_forecast,
            patience_seconds, sl_threshold_seconds, required_agents,
            cast(agent_cost_per_hour_amount as double) as agent_cost_per_hour_amount,
            interval_date, interval_start_local_at, interval_start_at
        from {PLAN_TABLE}
        where queue_id = ?
        order by interval_start_at
        """,
        [queue],
    ).df()
    gaps = rows["interval_start_at"].diff().dt.total_seconds()
    gaps = gaps[gaps > 0]
    seconds = float(gaps.min()) if not gaps.empty else 1800.0
    prices = pd.Series(math.nan, index=list(PRICE_COLUMNS))
    if has_table(connection, "reports.rpt_staffing"):
        maxima = ", ".join(f"cast(max({c}) as double) as {c}" for c in PRICE_COLUMNS)
        found = connection.execute(
            f"select {maxima} from reports.rpt_staffing where queue_id = ?", [queue]
        ).df()
        prices = found.iloc[0]
    rows = rows.assign(
        interval_seconds=seconds, **{c: prices[c] for c in PRICE_COLUMNS}
    )
    return rows, seconds


def select_plan_rows(
    rows: pd.DataFrame,
    days: Iterable[date] | None,
    hours: tuple[int, int] | None,
) -> pd.DataFrame:
    """The rows of the given local dates and local hours (from H1:00 to before H2:00).

    Raises
    ------
    WarehouseError
        For a date outside the plan's horizon, or when no row is left.
    """
    local_dates = pd.to_datetime(rows["interval_date"]).dt.date
    chosen = set(days or ())
    if chosen:
        known = set(local_dates)
        missing = sorted(d for d in chosen if d not in known)
        if missing:
            raise WarehouseError(
                f"--date {', '.join(d.isoformat() for d in missing)} is not in the "
                f"plan's horizon, {min(known).isoformat()} to {max(known).isoformat()}"
            )
        rows = rows.loc[local_dates.isin(chosen)]
    if hours:
        hour = pd.to_datetime(rows["interval_start_local_at"]).dt.hour
        rows = rows.loc[(hour >= hours[0]) & (hour < hours[1])]
    if rows.empty:
        raise WarehouseError("no plan interval falls in those dates and hours")
    return rows


def read_wait_effects(connection: duckdb.DuckDBPyConnection) -> WaitEffects:
    """The fitted wait effects of ``rpt_wait_churn_effects`` and
    ``rpt_wait_experience_curve`` (NaN where a report is absent or empty)."""
    churn = table_frame(connection, "reports.rpt_wait_churn_effects", _CHURN_COLUMNS)
    curve = table_frame(connection, "reports.rpt_wait_experience_curve", _CURVE_COLUMNS)
    return wait_effects(churn, curve)


@dataclass(frozen=True)
class PlanWhatIf:
    """A what-if on the plan: the rows chosen, the effects applied, the result."""

    queue_id: str
    interval_seconds: float
    selected: pd.DataFrame
    effects: WaitEffects
    result: WhatIf

    @property
    def has_prices(self) -> bool:
        """Whether the queue has prices of waiting (``rpt_staffing``)."""
        return bool(self.selected["waiting_cost_per_second_amount"].notna().any())

    @property
    def has_effects(self) -> bool:
        """Whether a churn or CSAT effect of waiting was fitted."""
        e = self.effects
        return math.isfinite(e.churn_per_wait_second_rate) or any(
            math.isfinite(v) for v in e.csat_rate
        )


def plan_what_if(
    connection: duckdb.DuckDBPyConnection,
    queue: str,
    agents_delta: int,
    *,
    days: Iterable[date] | None = None,
    hours: tuple[int, int] | None = None,
) -> PlanWhatIf:
    """:func:`opsmart.forecast.whatif.what_if` of `agents_delta` agents on the
    queue's plan rows of those local dates and hours (default: all)."""
    rows, seconds = plan_rows(connection, queue)
    selected = select_plan_rows(rows, days, hours)
    effects = read_wait_effects(connection)
    return PlanWhatIf(
        queue_id=queue,
        interval_seconds=seconds,
        selected=selected,
        effects=effects,
        result=what_if(selected, effects, agents_delta),
    )


def what_if_notes(found: PlanWhatIf) -> list[str]:
    """What to know when reading a what-if: the baseline, clipped and skipped
    intervals, scenarios that never settle, missing prices or effects."""
    result, has_prices, has_effects = found.result, found.has_prices, found.has_effects
    notes = [
        "baseline: the plan's required agents on the phones for the service target "
        "at the point forecast; the change adds agents on the phones (schedule "
        "about N / (1 - shrinkage) to get them)"
    ]
    if result.intervals_clipped:
        notes.append(
            f"{result.intervals_clipped} interval(s) have fewer agents than "
            f"{-result.agents_delta}: held at 0 agents"
        )
    if result.intervals_skipped:
        notes.append(
            f"{result.intervals_skipped} interval(s) without required agents or "
            "an AHT left out (see plan_null_reason)"
        )
    for name, scenario in (("baseline", result.baseline), ("change", result.changed)):
        if scenario.unstable_intervals:
            notes.append(
                f"{name}: {scenario.unstable_intervals} interval(s) with no "
                "abandonment and load at or above the agents never settle "
                "(Erlang C): no wait figures"
            )
    if not has_prices:
        notes.append("no prices of waiting (reports.rpt_staffing): no priced cost")
    if not has_effects:
        notes.append(
            "no fitted wait effects (reports.rpt_wait_churn_effects, "
            "rpt_wait_experience_curve): no CSAT or churn change"
        )
    return notes
