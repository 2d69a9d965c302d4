"""`opsmart plan`: what adding or removing agents at some hours of the staffing plan
does to service, customers and cost, read-only on a published warehouse."""

from __future__ import annotations

import argparse
import json
import math
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from opsmart.analyst.sql import WarehouseError
from opsmart.cli._common import EXIT_OK
from opsmart.forecast.history import MIN_HISTORY_WEEKS
from opsmart.forecast.whatif import PRICE_COLUMNS, WhatIf, wait_effects, what_if

__all__ = ["cmd_plan", "hours_range"]

_PLAN = "reports.rpt_staffing_plan"
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


def hours_range(text: str) -> tuple[int, int]:
    """--hours: ``H`` (that local hour) or ``H1-H2`` (from H1:00 to before H2:00),
    whole hours with 0 <= H1 < H2 <= 24."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*(?:-\s*(\d{1,2})\s*)?", text)
    if not match:
        raise argparse.ArgumentTypeError(
            f"must be local hours H or H1-H2 such as 9-12, got {text!r}"
        )
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) is not None else start + 1
    if not 0 <= start < end <= 24:
        raise argparse.ArgumentTypeError(
            f"must be 0 <= H1 < H2 <= 24 (from H1:00 to before H2:00), got {text!r}"
        )
    return start, end


def _has_table(connection: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, table = name.split(".")
    found = connection.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def _frame(
    connection: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]
) -> pd.DataFrame:
    """The columns of `table`, or no rows with those columns when it is absent."""
    if not _has_table(connection, table):
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    return connection.execute(f"select {', '.join(columns)} from {table}").df()


def _plan_rows(
    connection: duckdb.DuckDBPyConnection, queue: str
) -> tuple[pd.DataFrame, float]:
    """The queue's plan rows with its prices, and the plan's interval seconds."""
    if not _has_table(connection, _PLAN):
        raise WarehouseError(
            f"the warehouse has no {_PLAN}: it was built before the staffing plan "
            "existed; rebuild it (`opsmart build`)"
        )
    queues = [
        str(r[0])
        for r in connection.execute(
            f"select distinct queue_id from {_PLAN} order by 1"
        ).fetchall()
    ]
    if not queues:
        raise WarehouseError(
            f"the warehouse has no forecast yet ({_PLAN} is empty): the plan needs "
            f"{MIN_HISTORY_WEEKS} complete weeks of history per queue"
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
        from {_PLAN}
        where queue_id = ?
        order by interval_start_at
        """,
        [queue],
    ).df()
    gaps = rows["interval_start_at"].diff().dt.total_seconds()
    gaps = gaps[gaps > 0]
    seconds = float(gaps.min()) if not gaps.empty else 1800.0
    prices = pd.Series(math.nan, index=list(PRICE_COLUMNS))
    if _has_table(connection, "reports.rpt_staffing"):
        maxima = ", ".join(f"cast(max({c}) as double) as {c}" for c in PRICE_COLUMNS)
        found = connection.execute(
            f"select {maxima} from reports.rpt_staffing where queue_id = ?", [queue]
        ).df()
        prices = found.iloc[0]
    rows = rows.assign(
        interval_seconds=seconds, **{c: prices[c] for c in PRICE_COLUMNS}
    )
    return rows, seconds


def _select(
    rows: pd.DataFrame, days: list[date] | None, hours: tuple[int, int] | None
) -> pd.DataFrame:
    """The rows of the given local dates and local hours."""
    local_dates = pd.to_datetime(rows["interval_date"]).dt.date
    if days:
        known = set(local_dates)
        missing = sorted(d for d in set(days) if d not in known)
        if missing:
            raise WarehouseError(
                f"--date {', '.join(d.isoformat() for d in missing)} is not in the "
                f"plan's horizon, {min(known).isoformat()} to {max(known).isoformat()}"
            )
        rows = rows.loc[local_dates.isin(set(days))]
    if hours:
        hour = pd.to_datetime(rows["interval_start_local_at"]).dt.hour
        rows = rows.loc[(hour >= hours[0]) & (hour < hours[1])]
    if rows.empty:
        raise WarehouseError("no plan interval falls in those dates and hours")
    return rows


def _notes(result: WhatIf, has_prices: bool, has_effects: bool) -> list[str]:
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


def _pct(value: float, signed: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{100 * value:+.2f} pts" if signed else f"{100 * value:.1f} %"


def _num(value: float, digits: int = 1, signed: bool = False) -> str:
    if not math.isfinite(value):
        return "-"
    return f"{value:+,.{digits}f}" if signed else f"{value:,.{digits}f}"


def _span(lo: float, hi: float, fmt: str) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return ""
    if fmt == "pct":
        return f"[{100 * lo:+.2f}, {100 * hi:+.2f}] pts"
    return f"[{lo:+,.2f}, {hi:+,.2f}]"


def _table(result: WhatIf) -> list[str]:
    b, c = result.baseline, result.changed
    label = (
        f"{result.agents_delta:+d} agent{'' if abs(result.agents_delta) == 1 else 's'}"
    )
    lines: list[tuple[str, str, str, str, str]] = [
        ("measure", "baseline", label, "change", "range (95 %)"),
        ("agent-hours", _num(b.agent_hours), _num(c.agent_hours),
         _num(c.agent_hours - b.agent_hours, signed=True), ""),
        ("service level", _pct(b.service_level_rate), _pct(c.service_level_rate),
         _pct(c.service_level_rate - b.service_level_rate, True), ""),
        ("abandonment", _pct(b.abandon_rate), _pct(c.abandon_rate),
         _pct(c.abandon_rate - b.abandon_rate, True), ""),
        ("ASA (s)", _num(b.asa_seconds), _num(c.asa_seconds),
         _num(c.asa_seconds - b.asa_seconds, signed=True), ""),
        ("mean wait, offered (s)", _num(b.mean_wait_seconds),
         _num(c.mean_wait_seconds),
         _num(c.mean_wait_seconds - b.mean_wait_seconds, signed=True), ""),
        ("CSAT top-2-box", _pct(b.csat_rate), _pct(c.csat_rate),
         _pct(result.csat_rate_change, True),
         _span(result.csat_rate_change_lower, result.csat_rate_change_upper, "pct")),
        ("churn per customer window", "", "", _pct(result.churn_rate_change, True),
         _span(result.churn_rate_change_lower, result.churn_rate_change_upper,
               "pct")),
        ("staff cost", "", "", _num(result.staff_cost_change_amount, 2, True), ""),
        ("priced waiting + abandons", _num(b.waiting_abandon_cost_amount, 2),
         _num(c.waiting_abandon_cost_amount, 2),
         _num(result.waiting_abandon_cost_change_amount, 2, True),
         _span(result.waiting_abandon_cost_change_lower_amount,
               result.waiting_abandon_cost_change_upper_amount, "amount")),
        ("net (staff + priced)", "", "", _num(result.net_cost_change_amount, 2, True),
         _span(result.net_cost_change_lower_amount,
               result.net_cost_change_upper_amount, "amount")),
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in lines) for i in range(5)]
    return [
        "  ".join(
            [row[0].ljust(widths[0])]
            + [v.rjust(w) for v, w in zip(row[1:4], widths[1:4], strict=True)]
            + [row[4]]
        ).rstrip()
        for row in lines
    ]


def cmd_plan(options: argparse.Namespace) -> int:
    """Print what `--agents-delta` agents at the chosen dates and hours would do."""
    from opsmart.analyst import open_warehouse

    connection = open_warehouse(Path(options.warehouse))
    with connection:
        rows, seconds = _plan_rows(connection, options.queue)
        selected = _select(rows, options.date, options.hours)
        churn = _frame(connection, "reports.rpt_wait_churn_effects", _CHURN_COLUMNS)
        curve = _frame(connection, "reports.rpt_wait_experience_curve", _CURVE_COLUMNS)
    effects = wait_effects(churn, curve)
    result = what_if(selected, effects, options.agents_delta)
    has_prices = bool(selected["waiting_cost_per_second_amount"].notna().any())
    has_effects = math.isfinite(effects.churn_per_wait_second_rate) or any(
        math.isfinite(v) for v in effects.csat_rate
    )
    local_dates = pd.to_datetime(selected["interval_date"]).dt.date
    first, last = min(local_dates).isoformat(), max(local_dates).isoformat()
    hours = options.hours or (0, 24)
    notes = _notes(result, has_prices, has_effects)
    if options.json:
        payload = {
            "queue_id": options.queue,
            "first_date": first,
            "last_date": last,
            "dates": sorted({d.isoformat() for d in local_dates}),
            "local_hours": list(hours),
            "interval_seconds": seconds,
            **result.as_dict(),
            "notes": notes,
        }
        print(json.dumps(payload, indent=2))
        return EXIT_OK
    days = len(set(local_dates))
    plural = "" if abs(result.agents_delta) == 1 else "s"
    label = f"{result.agents_delta:+d} agent{plural}"
    print(
        f"queue {options.queue}: {label}, {first} to {last} "
        f"({days} day{'s' if days != 1 else ''}), local {hours[0]:02d}:00-"
        f"{hours[1]:02d}:00"
    )
    print(
        f"{result.intervals} intervals ({result.hours:,.1f} h), "
        f"{result.contacts_offered:,.0f} contacts forecast"
    )
    print()
    for line in _table(result):
        print(line)
    print()
    for note in notes:
        print(f"note: {note}")
    return EXIT_OK
