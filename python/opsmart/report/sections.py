"""The nine sections of the nightly report: one function each, returning HTML.

Each function takes a `ReportContext` (a read-only DuckDB connection, the run date,
the dbt vars in force) and returns the section's body. A table the warehouse does not
have, a day without data or a source that was never delivered (no surveys means null
CSAT) gives a "no data" note, never an exception and never a 0 for a null.
`SECTIONS` lists them in report order with the question each answers.
"""

from __future__ import annotations

import calendar
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from opsmart._text import one_line
from opsmart.ingest.report import NOT_LOADED_REASONS
from opsmart.report import charts
from opsmart.report._html import (
    NA,
    OKR_STATUSES,
    esc,
    fmt_count,
    fmt_kpi,
    fmt_money,
    fmt_number,
    fmt_points,
    fmt_rate,
    fmt_seconds,
    is_missing,
    note,
    status_badge,
    table,
)

__all__ = [
    "SECTIONS",
    "ReportContext",
    "SectionSpec",
    "cost_vs_satisfaction",
    "data_quality",
    "definitions",
    "demand_matrix",
    "missing_tables",
    "okr_scorecard",
    "query",
    "service_level",
    "staffing",
    "top_feedback",
    "wait_curve",
]

Row = dict[str, Any]

#: The dbt_project.yml defaults of the demand-matrix thresholds, used only when the
#: warehouse has no run log to say which values the build used.
_DEMAND_DEFAULTS = {
    "demand_predictable_max_error_rate": 0.2,
    "demand_complex_min_index": 0.5,
    "demand_min_forecast_days": 28,
}
#: Customer feedback is summarised over this many days up to the run date.
FEEDBACK_DAYS = 28
#: Example comments shown per theme, and their length before "…".
_EXAMPLES_PER_THEME, _EXAMPLE_CHARS = 2, 180
#: Runs listed from audit.run_log.
_RUNS_SHOWN = 7
#: Landing files not loaded listed in the report (the run log lists them all).
_NOT_LOADED_SHOWN = 50
#: Periods drawn in an OKR trend sparkline.
_TREND_PERIODS = 8
#: Why a scorecard row has no change (rpt_okr_scorecard.change_null_reason).
_NOT_COMPARED = {
    "partial_period": "partial period: not compared",
    "first_period": "no previous period",
    "previous_period_partial": "no previous whole period",
    "no_data": "no data to compare",
}
#: A cell with nothing to show (not "no data": there is nothing to have).
_DASH = '<span class="muted">&ndash;</span>'
#: The key-result KPIs that queues have targets for, in the order shown.
_QUEUE_TARGETS = ("service_level_rate", "asa_seconds", "abandonment_rate")


@dataclass(frozen=True)
class ReportContext:
    """What every section reads: the warehouse, the run date and the dbt vars.

    ``run_date`` is None only when the warehouse has no contacts at all.
    ``latest_run`` is the newest ``audit.run_log`` row (without its JSON), if any;
    ``latest_ingest`` is the load step's part of that run's JSON.
    """

    connection: duckdb.DuckDBPyConnection
    run_date: date | None
    dbt_vars: Mapping[str, Any] = field(default_factory=dict)
    dbt_vars_source: str | None = None
    latest_run: Mapping[str, Any] | None = None
    latest_ingest: Mapping[str, Any] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        """The currency code of the amounts (dbt var `currency`)."""
        return str(self.dbt_vars.get("currency") or "currency units")

    def var(self, name: str, default: Any = None) -> Any:
        """A dbt var in force, or `default`."""
        return self.dbt_vars.get(name, default)

    @property
    def timezone(self) -> str:
        """The center's zone (dbt var `reporting_timezone`): its days are the dates."""
        return str(self.dbt_vars.get("reporting_timezone") or "UTC")


@dataclass(frozen=True)
class SectionSpec:
    """One section: anchor id, heading, the one-line question, its function."""

    section_id: str
    title: str
    answers: str
    render: Callable[[ReportContext], str]


# ---------------------------------------------------------------------------- access


def query(ctx: ReportContext, sql: str, params: Sequence[object] = ()) -> list[Row]:
    """Rows of `sql` as dicts; decimals become floats and NaN becomes None."""
    cursor = ctx.connection.execute(sql, list(params))
    names = [column[0] for column in cursor.description or ()]
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def missing_tables(connection: duckdb.DuckDBPyConnection, *tables: str) -> list[str]:
    """Those of `tables` ("schema.table") the warehouse does not have."""
    found = {
        f"{schema}.{name}"
        for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    }
    return [name for name in tables if name not in found]


def _missing_note(ctx: ReportContext, *tables: str) -> str | None:
    absent = missing_tables(ctx.connection, *tables)
    if not absent:
        return None
    return note(
        f"No data: this warehouse has no {', '.join(absent)} "
        "(built by an older version of opsmart?)."
    )


def _count(ctx: ReportContext, table: str, where: str = "true") -> int:
    """Rows of `table` (a public table) matching `where`; 0 if the table is absent."""
    if missing_tables(ctx.connection, table):
        return 0
    return int(query(ctx, f"select count(*) as n from {table} where {where}")[0]["n"])


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _no_run_date() -> str:
    return note("No data: the warehouse has no contacts, so there is no run date.")


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _one_decimal(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def _money(value: float) -> str:
    return f"{value:,.2f}"


@dataclass(frozen=True)
class _LocalDay:
    """The x axis of a local day: hours elapsed since its local midnight.

    A day of 23 or 25 hours (a DST change) gets an axis of that length, and its tick
    labels read the wall clock, so 03:00 follows 01:00 on a spring-forward day and
    01:00 comes twice on a fall-back day; nothing is drawn on top of anything.
    """

    zone: str
    start: datetime  # the day's local midnight, naive UTC as the marts store instants
    hours: float

    @classmethod
    def of(cls, day: date, zone: str) -> _LocalDay:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            tz, zone = ZoneInfo("UTC"), "UTC"

        def midnight(of: date) -> datetime:
            # a skipped midnight reads (fold=0) as the instant the clock jumps
            local = datetime.combine(of, time(), tzinfo=tz)
            return local.astimezone(UTC).replace(tzinfo=None)

        start = midnight(day)
        hours = (midnight(day + timedelta(days=1)) - start).total_seconds() / 3600
        return cls(zone, start, hours)

    def x(self, instant: datetime) -> float:
        """Hours from the local midnight to `instant` (naive UTC)."""
        return (instant - self.start).total_seconds() / 3600

    @property
    def ticks(self) -> list[tuple[float, str]]:
        """00:00, 03:00, ... 24:00 on the wall clock, each where it falls in elapsed
        time (03:00 comes 2 hours after midnight on a spring-forward day)."""
        tz = ZoneInfo(self.zone)
        day = (self.start.replace(tzinfo=UTC)).astimezone(tz).date()
        ticks = []
        for hour in range(0, 25, 3):
            wall = datetime.combine(day, time(), tzinfo=tz) + timedelta(hours=hour)
            # wall-clock arithmetic: `wall` reads hour:00 of the day (24:00 = the
            # next midnight), whatever the offset
            instant = wall.astimezone(UTC).replace(tzinfo=None)
            ticks.append((self.x(instant), f"{hour:02d}:00"))
        return ticks

    @property
    def label(self) -> str:
        return f"interval start, local time ({self.zone})"


# ------------------------------------------------------------------- 1 OKR scorecard


def okr_scorecard(ctx: ReportContext) -> str:
    """Every key result on its latest complete period, the running one beside it.

    The headline of a key result is its latest complete week or month (actual,
    target, interval, change vs the previous whole period, status); the running
    period after it, still partial, is shown beside it with its partial mark. Only
    a key result without any complete period yet leads with a partial one, marked.
    """
    missing = _missing_note(ctx, "reports.rpt_okr_scorecard")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select key_result_id, objective, kpi, direction, owner_department,
            period_grain, channel_scope, significance_test, target, actual,
            actual_ci_lower, actual_ci_upper, sample_count, days_covered,
            change_from_previous, is_improving, is_change_significant,
            is_period_complete, status, change_null_reason, period_start_date
        from reports.rpt_okr_scorecard
        where ? is null or period_start_date <= ?
        order by objective, key_result_id, period_start_date
        """,
        [ctx.run_date, ctx.run_date],
    )
    if not rows:
        return note("No data: the OKR scorecard is empty.")
    history: dict[str, list[Row]] = {}
    for row in rows:
        history.setdefault(row["key_result_id"], []).append(row)
    body_rows, counts, provisional = [], dict.fromkeys(OKR_STATUSES, 0), 0
    for periods in history.values():
        headline, running = _headline_and_running(periods)
        kpi = headline["kpi"]
        counts[headline["status"] if headline["status"] in counts else "no_data"] += 1
        provisional += not headline["is_period_complete"]
        # whole periods up to the headline (its last); all of them if none is whole
        trend = [p for p in periods if p["is_period_complete"]] or periods
        sparkline = charts.sparkline(
            [p["actual"] for p in trend[-_TREND_PERIODS:]],
            title=f"{kpi}: last {min(len(trend), _TREND_PERIODS)} "
            + ("whole " if headline["is_period_complete"] else "")
            + "periods",
            target=headline["target"],
        )
        body_rows.append(
            [
                f"<strong>{esc(kpi)}</strong><br><small>{esc(headline['key_result_id'])}"
                f"</small><br><small class=muted>{_scope(headline)}</small>",
                esc(headline["objective"]),
                esc(headline["owner_department"]),
                _period(headline),
                fmt_kpi(kpi, headline["actual"], ctx.currency),
                fmt_kpi(kpi, headline["target"], ctx.currency),
                _interval(kpi, headline, ctx.currency),
                _change(kpi, headline, ctx.currency) + " " + sparkline,
                _status(headline),
                _running(running, ctx.currency),
            ]
        )
    summary = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    if provisional:
        summary += f" ({provisional} of them on a partial period: no whole period yet)"
    minimum = ctx.var("okr_min_sample_size", "the minimum")
    return (
        f'<p class="summary">Latest complete periods: {esc(summary)}.</p>'
        + table(
            [
                "Key result",
                "Objective",
                "Owner",
                "Period (latest complete)",
                "Actual",
                "Target",
                "95 % interval",
                "Trend (change vs previous whole period)",
                "Status",
                "Running period (partial)",
            ],
            body_rows,
            numeric=(4, 5),
            css_class="scorecard",
        )
        + note(
            "Each key result leads with its latest complete week or month; the "
            "running one, which the data covers only in part, is beside it with the "
            "number of its days covered, and its status is provisional. Changes "
            "compare whole periods only. Status: on track meets the target; at risk "
            "is within the tolerance (var okr_at_risk_tolerance_rate) of it, or "
            "improving significantly; off track is further away; insufficient data "
            f"means fewer than {minimum} contacts, answers or customers (var "
            "okr_min_sample_size), too few to call. * marks a change larger than its "
            "sampling noise (5 % test with the KPI's own variance: two-proportion z "
            "for rates, Welch's t for AHT and ASA, pooled multinomial z for NPS); "
            "cost per contact and occupancy have no per-contact variance and are "
            "not tested. The interval is the 95 % interval of the actual (Wilson for "
            "rates, adjusted Wald for NPS, t for means); it stays wide at small n.",
            kind="info",
        )
        + _target_levels(ctx, history)
    )


def _headline_and_running(periods: Sequence[Row]) -> tuple[Row, Row | None]:
    """The period to lead with and the running one to show beside it.

    `periods` are one key result's (or unit's) periods in date order, each with
    ``is_period_complete``. The headline is the latest complete period; the running
    period is the latest period when it is partial and later than the headline.
    Without a complete period the latest one leads, partial, and nothing is beside it.
    """
    complete = [p for p in periods if p["is_period_complete"]]
    latest = periods[-1]
    if not complete:
        return latest, None
    headline = complete[-1]
    return headline, None if latest is headline else latest


def _period_days(grain: str, start: date) -> int:
    """Days in the week (7) or calendar month starting `start`."""
    if grain == "week":
        return 7
    return calendar.monthrange(start.year, start.month)[1]


def _partial_mark(row: Row) -> str:
    """'partial, 4 of 30 days' for a partial period; '' for a whole one."""
    if row["is_period_complete"]:
        return ""
    days = _period_days(row["period_grain"], row["period_start_date"])
    covered = "?" if row["days_covered"] is None else f"{row['days_covered']}"
    return f"partial, {covered} of {days} days"


def _marked(row: Row) -> str:
    mark = _partial_mark(row)
    return f' <small class="partial">({esc(mark)})</small>' if mark else ""


def _period(row: Row) -> str:
    return f"{esc(row['period_grain'])} of {row['period_start_date']}" + _marked(row)


def _status(row: Row) -> str:
    """The status badge; on a partial period never without its partial mark."""
    return status_badge(row["status"]) + _marked(row)


def _scope(row: Row) -> str:
    scope = row["channel_scope"]
    if scope is None or scope == "all":
        return "all channels"
    return esc(", ".join(scope.split("|")))


def _running(row: Row | None, currency: str) -> str:
    if row is None:
        return _DASH
    return (
        f"{_period(row)}<br>{fmt_kpi(row['kpi'], row['actual'], currency)} "
        + _status(row)
    )


def _target_levels(ctx: ReportContext, history: Mapping[str, list[Row]]) -> str:
    """Key-result targets next to the queue catalog's targets, for the queue KPIs."""
    results = [
        periods[-1]
        for periods in history.values()
        if periods[-1]["kpi"] in _QUEUE_TARGETS
    ]
    if missing_tables(ctx.connection, "marts.dim_queues") or not results:
        return ""
    queues = query(
        ctx,
        """
        select queue_id, channel, sl_threshold_seconds, sl_target_rate,
            asa_target_seconds, abandonment_target_rate
        from marts.dim_queues
        where sl_target_rate is not null or asa_target_seconds is not null
            or abandonment_target_rate is not null
        order by channel, queue_id
        """,
    )
    rows = []
    for result in results:
        bound = "&ge;" if result["direction"] == "higher_is_better" else "&le;"
        target = f"{bound} {fmt_kpi(result['kpi'], result['target'], ctx.currency)}"
        rows.append(
            [
                f"key result <small>{esc(result['key_result_id'])}</small>",
                _scope(result),
                f"center, per {esc(result['period_grain'])}",
                *(target if kpi == result["kpi"] else _DASH for kpi in _QUEUE_TARGETS),
            ]
        )
    scopes = [r["channel_scope"] or "all" for r in results]
    for queue in queues:
        counted = any(
            scope == "all" or queue["channel"] in scope.split("|") for scope in scopes
        )
        threshold = queue["sl_threshold_seconds"]
        rows.append(
            [
                f"queue {esc(queue['queue_id'])}"
                + ("" if counted else " <small class=muted>(in no key result)</small>"),
                esc(queue["channel"]),
                "queue, per interval",
                fmt_rate(queue["sl_target_rate"], 0)
                + (f" within {threshold:,} s" if threshold is not None else ""),
                fmt_seconds(queue["asa_target_seconds"]),
                fmt_rate(queue["abandonment_target_rate"], 0),
            ]
        )
    return (
        "<h3>Key-result targets and queue targets</h3>"
        + table(
            ["Target of", "Channels", "Level", "Service level", "ASA", "Abandonment"],
            rows,
            numeric=(3, 4, 5),
        )
        + note(
            "A key result is the center's objective for the review period, over "
            "its channels; a queue's targets (the queue catalog) are its operating "
            "targets for every interval, and its service-level target is what the "
            "required agents (Erlang A) are computed to meet. They need not agree: "
            "the center can meet every queue's target and still miss a more "
            "ambitious key result, or meet the key result while one queue misses.",
            kind="info",
        )
    )


def _interval(kpi: str, row: Row, currency: str) -> str:
    low, high = row["actual_ci_lower"], row["actual_ci_upper"]
    if low is None or high is None:
        reason = (
            "not tested: no per-unit variance"
            if row["significance_test"] == "not_tested"
            else "no interval"
        )
        return f'<span class="muted" title="{esc(reason)}">&ndash;</span>'
    samples = fmt_count(row["sample_count"])
    return (
        f"{fmt_kpi(kpi, low, currency)} to {fmt_kpi(kpi, high, currency)}"
        f"<br><small>n = {samples}</small>"
    )


def _change(kpi: str, row: Row, currency: str) -> str:
    change = row["change_from_previous"]
    if change is None:
        reason = _NOT_COMPARED.get(row["change_null_reason"], "no previous period")
        return f'<span class="muted">{esc(reason)}</span>'
    if kpi.endswith("_rate"):
        text = f"{change * 100:+.1f} pp"
    elif kpi.endswith("_seconds"):
        text = f"{change:+,.1f} s"
    elif kpi.endswith("_amount"):
        text = f"{change:+,.2f} {currency}"
    else:
        text = f"{change:+,.1f}"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    tone = {True: "good", False: "bad"}.get(row["is_improving"], "muted")
    star = "*" if row["is_change_significant"] else ""
    return f'<span class="{tone}">{arrow} {esc(text)}{star}</span>' + _untested(row)


def _untested(row: Row) -> str:
    """Why a change carries no significance verdict, if it does not."""
    if row["is_change_significant"] is not None:
        return ""
    if row["significance_test"] == "not_tested":
        reason = "not tested"
    else:  # a period below var okr_min_sample_size (or, rarely, without variance)
        reason = "too few to test"
    return f' <small class="muted">({esc(reason)})</small>'


# ------------------------------------------------------------------ 2 service level


def service_level(ctx: ReportContext) -> str:
    """The run date's intervals of the biggest voice queue, and every queue's day."""
    missing = _missing_note(ctx, "marts.fct_queue_intervals", "marts.fct_queue_days")
    if missing:
        return missing
    if ctx.run_date is None:
        return _no_run_date()
    biggest = query(
        ctx,
        """
        select queue_id, channel, sum(contacts_offered) as contacts_offered
        from marts.fct_queue_intervals
        where interval_date = ?
        group by queue_id, channel
        having sum(contacts_offered) > 0
        order by channel = 'voice' desc, contacts_offered desc, queue_id
        limit 1
        """,
        [ctx.run_date],
    )
    if not biggest:
        return note(f"No data: no queue was offered contacts on {ctx.run_date}.")
    queue_id, channel = biggest[0]["queue_id"], biggest[0]["channel"]
    zone = query(
        ctx, "select timezone from marts.dim_queues where queue_id = ?", [queue_id]
    )
    local_day = _LocalDay.of(
        ctx.run_date, str(zone[0]["timezone"]) if zone else ctx.timezone
    )
    intervals = query(
        ctx,
        """
        select interval_start_at, sl_target_rate, sl_threshold_seconds,
            service_level_rate, erlang_a_service_level_rate,
            abandonment_rate, erlang_a_abandonment_rate,
            asa_seconds, erlang_a_asa_seconds,
            staffed_agents, baseline_staffed_agents, required_agents_erlang_a,
            is_staffing_estimated
        from marts.fct_queue_intervals
        where queue_id = ? and interval_date = ?
        order by interval_start_at
        """,
        [queue_id, ctx.run_date],
    )
    return (
        f'<p class="summary">Intervals of <strong>{esc(queue_id)}</strong> '
        f"({esc(channel)}, the biggest {'voice ' if channel == 'voice' else ''}queue "
        f"on {ctx.run_date}); times are the queue's local clock "
        f"({esc(local_day.zone)}, a {_one_decimal(local_day.hours)}-hour day).</p>"
        + _interval_charts(
            queue_id,
            intervals,
            local_day,
            has_agent_intervals=_count(ctx, "marts.fct_agent_intervals") > 0,
        )
        + _queue_day_table(ctx)
    )


def _interval_charts(
    queue_id: str,
    intervals: list[Row],
    local_day: _LocalDay,
    *,
    has_agent_intervals: bool,
) -> str:
    hours = [local_day.x(row["interval_start_at"]) for row in intervals]

    def pair(
        actual: str, baseline: str, color: str = charts.COLORS["actual"]
    ) -> list[charts.LineSeries]:
        return [
            charts.LineSeries(
                "actual",
                list(zip(hours, [r[actual] for r in intervals], strict=True)),
                color=color,
            ),
            charts.LineSeries(
                "Erlang A baseline",
                list(zip(hours, [r[baseline] for r in intervals], strict=True)),
                color=charts.COLORS["baseline"],
                dashed=True,
            ),
        ]

    target = next((r["sl_target_rate"] for r in intervals if r["sl_target_rate"]), None)
    threshold = next(
        (r["sl_threshold_seconds"] for r in intervals if r["sl_threshold_seconds"]),
        None,
    )
    references = []
    if target is not None:
        label = f"target {_percent(target)}" + (
            f" in {threshold} s" if threshold else ""
        )
        references.append(charts.ReferenceLine(target, label))
    common: dict[str, Any] = {
        "x_label": local_day.label,
        "x_ticks": local_day.ticks,
        "x_domain": (0.0, local_day.hours),
        "width": 640,
        "height": 240,
    }
    svgs = [
        charts.line_chart(
            pair("service_level_rate", "erlang_a_service_level_rate"),
            title=f"Service level, {queue_id}",
            y_label="service level (%)",
            y_domain=(0.0, 1.0),
            y_format=_percent,
            references=references,
            **common,
        ),
        charts.line_chart(
            pair("abandonment_rate", "erlang_a_abandonment_rate"),
            title=f"Abandonment, {queue_id}",
            y_label="abandoned (% of offered)",
            y_format=_percent,
            **common,
        ),
        charts.line_chart(
            pair("asa_seconds", "erlang_a_asa_seconds"),
            title=f"Average speed of answer, {queue_id}",
            y_label="ASA (seconds)",
            **common,
        ),
        charts.line_chart(
            [
                charts.LineSeries(
                    "staffed agents",
                    list(
                        zip(
                            hours, [r["staffed_agents"] for r in intervals], strict=True
                        )
                    ),
                ),
                charts.LineSeries(
                    "estimated (no agent data; baselines only)",
                    [
                        (hour, r["baseline_staffed_agents"])
                        if r["is_staffing_estimated"]
                        else (hour, None)
                        for hour, r in zip(hours, intervals, strict=True)
                    ],
                    color=charts.COLORS["baseline"],
                    dashed=True,
                ),
                charts.LineSeries(
                    "required (Erlang A, meets target)",
                    list(
                        zip(
                            hours,
                            [r["required_agents_erlang_a"] for r in intervals],
                            strict=True,
                        )
                    ),
                    color=charts.COLORS["target"],
                    dashed=True,
                ),
            ],
            title=f"Staffing gap, {queue_id}",
            y_label="agents",
            **common,
        ),
    ]
    return (
        '<div class="grid-2">'
        + "".join(f'<figure class="chart-box">{svg}</figure>' for svg in svgs)
        + "</div>"
        + _estimated_staffing_note(intervals, has_agent_intervals)
    )


def _estimated_staffing_note(intervals: list[Row], has_agent_intervals: bool) -> str:
    estimated = sum(bool(r["is_staffing_estimated"]) for r in intervals)
    if not estimated:
        return ""
    if not has_agent_intervals:
        return note(
            "No agent-interval data is loaded: staffed agents are unknown. The "
            "baselines assume the agents who handled contacts (dashed, an estimate); "
            "staffed hours, cost, occupancy and money at stake are left empty.",
            kind="info",
        )
    return note(
        f"No agent-interval data covered {estimated} of "
        f"{_counted(len(intervals), 'interval')}: their baselines assume the agents "
        "who handled their contacts (dashed, an estimate, so their gap is "
        "approximate); they add no staffed hours, cost or occupancy.",
        kind="info",
    )


def _queue_day_table(ctx: ReportContext) -> str:
    rows = query(
        ctx,
        """
        with interval_gaps as (
            select
                queue_id,
                count(*) filter (where staffing_gap_agents < 0) as intervals_short,
                min(staffing_gap_agents) as worst_gap_agents
            from marts.fct_queue_intervals
            where interval_date = ?
            group by queue_id
        )

        select
            queue_days.queue_id, queue_days.channel, queue_days.contacts_offered,
            queue_days.service_level_rate, queue_days.erlang_a_service_level_rate,
            queue_days.abandonment_rate, queue_days.asa_seconds,
            queue_days.staffed_agent_hours, queue_days.required_agent_hours_erlang_a,
            queue_days.staffing_gap_agent_hours,
            interval_gaps.intervals_short, interval_gaps.worst_gap_agents
        from marts.fct_queue_days as queue_days
        left join interval_gaps on queue_days.queue_id = interval_gaps.queue_id
        where queue_days.interval_date = ?
        order by queue_days.contacts_offered desc, queue_days.queue_id
        """,
        [ctx.run_date, ctx.run_date],
    )
    if not rows:
        return note(f"No data: no queue day on {ctx.run_date}.")
    return table(
        [
            "Queue",
            "Channel",
            "Offered",
            "Service level",
            "Erlang A SL",
            "Abandoned",
            "ASA",
            "Staffed agent-h",
            "Required agent-h (Erlang A)",
            "Gap agent-h",
            "Intervals short",
            "Worst gap (agents)",
        ],
        [
            [
                esc(r["queue_id"]),
                esc(r["channel"]),
                fmt_count(r["contacts_offered"]),
                fmt_rate(r["service_level_rate"]),
                fmt_rate(r["erlang_a_service_level_rate"]),
                fmt_rate(r["abandonment_rate"]),
                fmt_seconds(r["asa_seconds"]),
                fmt_number(r["staffed_agent_hours"]),
                fmt_number(r["required_agent_hours_erlang_a"]),
                fmt_number(r["staffing_gap_agent_hours"]),
                fmt_count(r["intervals_short"]),
                fmt_count(r["worst_gap_agents"]),
            ]
            for r in rows
        ],
        numeric=range(2, 12),
        caption=f"Every queue on {ctx.run_date} (day totals; gap = staffed - required)",
    )


# ----------------------------------------------------------- 3 cost vs satisfaction


def cost_vs_satisfaction(ctx: ReportContext) -> str:
    """Cost per contact against CSAT by queue and segment: the latest complete month,
    and the running month beside it, marked partial."""
    missing = _missing_note(ctx, "reports.rpt_cost_vs_satisfaction")
    if missing:
        return missing
    months = query(
        ctx,
        """
        select distinct period_grain, period_start_date, days_covered,
            is_period_complete
        from reports.rpt_cost_vs_satisfaction
        where period_grain = 'month' and (? is null or period_start_date <= ?)
            and dimension_type in ('queue', 'segment')
        order by period_start_date
        """,
        [ctx.run_date, ctx.run_date],
    )
    if not months:
        return note("No data: no monthly cost and satisfaction figures.")
    headline, running = _headline_and_running(months)
    rows = _units_of_month(ctx, headline["period_start_date"])
    month = headline["period_start_date"]
    points = [
        charts.ScatterPoint(
            r["cost_per_contact_amount"],
            r["csat_rate"],
            label=r["dimension_value"],
            group=r["dimension_type"],
            is_highlighted=bool(r["is_pareto_efficient"]),
        )
        for r in rows
    ]
    mark = _partial_mark(headline)
    svg = charts.scatter_chart(
        points,
        title=f"Cost per contact vs CSAT, month of {month:%Y-%m}"
        + (f" ({mark})" if mark else ""),
        x_label=f"cost per handled contact ({ctx.currency})",
        y_label="CSAT (%)",
        x_format=_money,
        y_format=_percent,
        group_colors={"queue": "#1f77b4", "segment": "#9467bd"},
        frontier_label="Pareto frontier (no unit cheaper and better)",
        no_data="no data: no unit has both a cost per contact and a CSAT",
    )
    lead = (
        f"Month of {month:%Y-%m}"
        + (
            f", the latest complete month ({headline['days_covered']} days)"
            if not mark
            else f", {mark}: no complete month yet"
        )
        + "."
    )
    return (
        f'<p class="summary">{esc(lead)}</p>'
        + _payroll_line(ctx, month)
        + f'<div class="grid-2"><figure class="chart-box">{svg}</figure>'
        f"<div>{_units_table(ctx, rows)}</div></div>"
        + note(
            "Pareto-efficient units (ringed, joined per type) have no other unit of "
            "the same type that is both cheaper per contact and more satisfying; "
            "a unit without CSAT or cost cannot be compared and has no dot.",
            kind="info",
        )
        + _running_month(ctx, running)
    )


def _units_of_month(ctx: ReportContext, month: date) -> list[Row]:
    return query(
        ctx,
        """
        select dimension_type, dimension_value, contacts_handled,
            cost_per_contact_amount, csat_responses, csat_rate, nps_responses, nps,
            nps_ci_lower, nps_ci_upper, is_pareto_efficient
        from reports.rpt_cost_vs_satisfaction
        where period_grain = 'month' and period_start_date = ?
            and dimension_type in ('queue', 'segment')
        order by dimension_type, dimension_value
        """,
        [month],
    )


def _units_table(
    ctx: ReportContext, rows: list[Row], *, caption: str | None = None
) -> str:
    return table(
        [
            "Unit",
            "Handled",
            f"Cost / contact ({ctx.currency})",
            "CSAT (answers)",
            "NPS (95 % interval)",
            "Pareto",
        ],
        [
            [
                f"{esc(r['dimension_value'])} <small class=muted>"
                f"{esc(r['dimension_type'])}</small>",
                fmt_count(r["contacts_handled"]),
                fmt_number(r["cost_per_contact_amount"], 2),
                f"{fmt_rate(r['csat_rate'])} ({fmt_count(r['csat_responses'])})",
                _nps_with_ci(r),
                {True: "efficient", False: "dominated"}.get(
                    r["is_pareto_efficient"], NA
                ),
            ]
            for r in rows
        ],
        numeric=(1, 2, 3, 4),
        caption=caption,
    )


def _running_month(ctx: ReportContext, running: Row | None) -> str:
    """The running month beside the headline: the same table, marked partial."""
    if running is None:
        return ""
    month = running["period_start_date"]
    rows = _units_of_month(ctx, month)
    title = f"Running month of {month:%Y-%m} ({_partial_mark(running)})"
    return f"<h3>{esc(title)}</h3>" + _units_table(
        ctx,
        rows,
        caption="So far this month: a few days, not comparable with a whole "
        "month (fewer answers, other weekdays)",
    )


def _payroll_line(ctx: ReportContext, month: date) -> str:
    """The month's payroll = cost allocated to contacts + the unallocated line."""
    if missing_tables(ctx.connection, "marts.fct_queue_days"):
        return ""
    (row,) = query(
        ctx,
        """
        select
            sum(staff_cost_amount) as payroll_amount,
            sum(allocated_staff_cost_amount) as allocated_amount,
            sum(unallocated_staff_cost_amount) as unallocated_amount,
            count(*) filter (where unallocated_staff_cost_amount > 0) as idle_days
        from marts.fct_queue_days
        where interval_date >= ? and interval_date < ? + interval 1 month
        """,
        [month, month],
    )
    if row["payroll_amount"] is None:
        return note(
            f"No payroll in {month:%Y-%m} (no costs or agent-interval data): the "
            "costs below are unknown.",
        )
    currency = ctx.currency
    return (
        f'<p class="summary">Payroll of {month:%Y-%m}: '
        f"<strong>{fmt_money(row['payroll_amount'], currency)}</strong> = "
        f"{fmt_money(row['allocated_amount'], currency)} allocated to the handled "
        "contacts (each queue-day's payroll over its contacts by handle time: the "
        f"costs below) + {fmt_money(row['unallocated_amount'], currency)} "
        f"unallocated ({_counted(row['idle_days'], 'queue-day')} on which a queue "
        "handled no contact).</p>"
    )


def _nps_with_ci(row: Row) -> str:
    if row["nps"] is None:
        return NA
    return (
        f"{fmt_points(row['nps'])} <small>[{fmt_points(row['nps_ci_lower'])}, "
        f"{fmt_points(row['nps_ci_upper'])}] n={fmt_count(row['nps_responses'])}"
        "</small>"
    )


# ------------------------------------------------------------------ 4 wait -> churn


def wait_curve(ctx: ReportContext) -> str:
    """CSAT and churn by wait band, resolved vs not, and the fitted price of waiting."""
    missing = _missing_note(
        ctx, "reports.rpt_wait_experience_curve", "reports.rpt_wait_churn_effects"
    )
    if missing:
        return missing
    bands = query(
        ctx,
        """
        select wait_band_index, wait_band, is_resolved, contacts,
            csat_responses, csat_rate, csat_rate_lower, csat_rate_upper,
            churn_contacts, churn_rate, churn_rate_lower, churn_rate_upper
        from reports.rpt_wait_experience_curve
        order by wait_band_index, is_resolved desc
        """,
    )
    if not bands:
        return note("No data: no offered real-time contacts to draw the curve from.")
    labels = {r["wait_band_index"]: r["wait_band"] for r in bands}
    ticks = [(float(i), str(label)) for i, label in sorted(labels.items())]
    domain = (-0.5, len(ticks) - 0.5)

    def curve(measure: str) -> list[charts.LineSeries]:
        lines = []
        for resolved, name, offset in (
            (True, "resolved", -0.06),
            (False, "unresolved", 0.06),
        ):
            rows = [r for r in bands if r["is_resolved"] is resolved]
            lines.append(
                charts.LineSeries(
                    name,
                    [(r["wait_band_index"] + offset, r[measure]) for r in rows],
                    color=charts.COLORS[name],
                    intervals=[
                        None
                        if r[f"{measure}_lower"] is None
                        else (r[f"{measure}_lower"], r[f"{measure}_upper"])
                        for r in rows
                    ],
                )
            )
        return lines

    window = ctx.var("churn_lookahead_days")
    svgs = [
        charts.line_chart(
            curve("csat_rate"),
            title="CSAT (top-2-box) by queue wait",
            x_label="queue wait band",
            y_label="CSAT top-2-box (%)",
            x_ticks=ticks,
            x_domain=domain,
            y_domain=(0.0, 1.0),
            y_format=_percent,
            no_data=_no_csat_curve(ctx),
        ),
        charts.line_chart(
            curve("churn_rate"),
            title="Churn by queue wait"
            + (f" (within {window} days)" if window is not None else ""),
            x_label="queue wait band",
            y_label="churned (% of contacts followed up in full)",
            x_ticks=ticks,
            x_domain=domain,
            y_format=_percent,
            no_data=_no_churn_curve(ctx),
        ),
    ]
    return (
        '<div class="grid-2">'
        + "".join(f'<figure class="chart-box">{svg}</figure>' for svg in svgs)
        + "</div>"
        + note(
            "Bars are 95 % Wilson intervals; a band without answers or customers has "
            "no point. Churn counts only contacts whose whole follow-up window lies "
            "inside the data: churn lands on calendar dates, so a window cut short "
            "by the data's end would misstate it.",
            kind="info",
        )
        + _churn_effects(ctx)
    )


def _churn_effects(ctx: ReportContext) -> str:
    terms = query(
        ctx,
        """
        select term, estimate, std_error, ci_lower, ci_upper, is_constrained,
            customer_windows, churned_customer_windows, churn_per_wait_second_rate,
            price_per_wait_second_amount, price_per_wait_second_lower_amount,
            price_per_wait_second_upper_amount, price_per_unresolved_contact_amount,
            price_per_unresolved_contact_lower_amount,
            price_per_unresolved_contact_upper_amount, is_converged
        from reports.rpt_wait_churn_effects
        order by term = 'intercept' desc, term
        """,
    )
    if not terms:
        return _unfitted_churn_model(ctx)
    first = terms[0]
    per_second = first["churn_per_wait_second_rate"]
    window, currency = ctx.var("churn_window_days"), ctx.currency
    headline = (
        '<p class="headline">One more second of mean wait changes the churn '
        f"probability per {esc(window) + '-day ' if window else ''}window by "
        f"<strong>{_pp(per_second)}</strong>; priced at "
        f"<strong>{fmt_money(first['price_per_wait_second_amount'], currency, 4)}"
        f"</strong> {_range(first, 'price_per_wait_second', currency, 4)} per wait "
        "second and "
        f"<strong>{fmt_money(first['price_per_unresolved_contact_amount'], currency)}"
        f"</strong> {_range(first, 'price_per_unresolved_contact', currency)} per "
        "unresolved contact (95 % intervals; the staffing costs shrink a weak fit's "
        "prices toward the fallback vars). Fitted on "
        f"{fmt_count(first['customer_windows'])} customer windows "
        f"({fmt_count(first['churned_customer_windows'])} churned).</p>"
    )
    warning = (
        ""
        if first["is_converged"]
        else note("The fit did not converge: treat the effects as unreliable.")
    )
    return (
        headline
        + warning
        + "<details><summary>Model terms: wait -> churn logistic regression</summary>"
        + table(
            ["Term", "Estimate (log-odds)", "Std. error", "95 % interval", "Held at 0"],
            [
                [
                    esc(t["term"]),
                    fmt_number(t["estimate"], 4),
                    fmt_number(t["std_error"], 4),
                    f"{fmt_number(t['ci_lower'], 4)} to {fmt_number(t['ci_upper'], 4)}",
                    "yes" if t["is_constrained"] else "no",
                ]
                for t in terms
            ],
            numeric=(1, 2, 3),
            caption="Log-odds of churn in a window per unit of the term "
            "(wait in minutes of mean wait)",
        )
        + "</details>"
    )


# The reasons below are read from what the warehouse holds, so a note never blames a
# missing source that was in fact loaded (issue 15: "no customers source" was said
# of a center with 6,423 customers whose data was shorter than one churn window).


def _no_csat_curve(ctx: ReportContext) -> str:
    answers = _count(ctx, "marts.fct_survey_responses", "survey_type = 'csat'")
    if not answers:
        return "no data: no CSAT answers are loaded"
    return (
        f"no data: {_counted(answers, 'CSAT answer')} loaded, none about an offered "
        "contact on a real-time channel (var realtime_channels)"
    )


def _no_churn_curve(ctx: ReportContext) -> str:
    customers = _count(ctx, "marts.dim_customers")
    if not customers:
        return "no data: churn unknown, no customers are loaded"
    window = ctx.var("churn_lookahead_days")
    follow_up = f"{window}-day follow-up" if window is not None else "follow-up"
    return (
        "no data: no offered real-time contact is from one of the "
        f"{_counted(customers, 'loaded customer')} while still a customer with its "
        f"whole {follow_up} (var churn_lookahead_days) inside the data"
    )


def _unfitted_churn_model(ctx: ReportContext) -> str:
    customers = _count(ctx, "marts.dim_customers")
    if not customers:
        return note(
            "No data: the wait -> churn model was not fitted: no customers are "
            "loaded, so churn is unknown."
        )
    span = query(
        ctx,
        "select min(arrived_date) as first_day, max(arrived_date) as last_day "
        "from marts.fct_contacts",
    )[0]
    first, last = span["first_day"], span["last_day"]
    covered = (
        "there are no contacts"
        if first is None
        else f"the contacts cover {_counted((last - first).days + 1, 'day')} "
        f"({first} to {last})"
    )
    window = ctx.var("churn_window_days")
    length = f"{window} days, " if window else ""
    return note(
        "No data: the wait -> churn model was not fitted although the warehouse "
        f"holds {_counted(customers, 'customer')}: it needs at least one "
        f"complete churn window ({length}var churn_window_days, laid from the first "
        f"contact) with customers at risk, and {covered}."
    )


def _range(row: Row, figure: str, currency: str, digits: int = 2) -> str:
    """The low-high range of `figure` in `row` ("<figure>_lower_amount" and
    "<figure>_upper_amount"), as "(low to high)"; empty without one."""
    low, high = row.get(f"{figure}_lower_amount"), row.get(f"{figure}_upper_amount")
    if low is None or high is None:
        return ""
    return (
        f"<small>({fmt_money(low, currency, digits)} to "
        f"{fmt_money(high, currency, digits)})</small>"
    )


def _pp(rate: float | None) -> str:
    """A probability change in percentage points."""
    if rate is None or is_missing(rate):
        return NA
    return f"{rate * 100:+.4f} percentage points"


# ----------------------------------------------------------------------- 5 staffing


def staffing(ctx: ReportContext) -> str:
    """Actual vs target (Erlang A) vs value-optimal agent-hours on the run date, and
    the money at stake as a range next to payroll (that day and the whole data)."""
    missing = _missing_note(ctx, "reports.rpt_staffing_daily")
    if missing:
        return missing
    if ctx.run_date is None:
        return _no_run_date()
    rows = query(
        ctx,
        """
        select queue_id, channel, intervals, intervals_priced, contacts_offered,
            actual_agent_hours, required_agent_hours_erlang_a, optimal_agent_hours,
            staff_cost_amount, cost_at_actual_amount, cost_at_optimal_amount,
            money_at_stake_amount, money_at_stake_lower_amount,
            money_at_stake_upper_amount
        from reports.rpt_staffing_daily
        where interval_date = ?
        order by money_at_stake_amount desc nulls last, queue_id
        """,
        [ctx.run_date],
    )
    if not rows:
        return note(f"No data: no staffing figures for {ctx.run_date}.")
    shown = [
        r for r in rows if (r["contacts_offered"] or 0) > 0 or r["actual_agent_hours"]
    ]
    svg = charts.bar_chart(
        [r["queue_id"] for r in shown],
        [
            charts.BarSeries("actual", [r["actual_agent_hours"] for r in shown]),
            charts.BarSeries(
                "target (Erlang A, meets SL)",
                [r["required_agent_hours_erlang_a"] for r in shown],
                color=charts.COLORS["baseline"],
            ),
            charts.BarSeries(
                "value-optimal",
                [r["optimal_agent_hours"] for r in shown],
                color=charts.COLORS["optimal"],
            ),
        ],
        title=f"Agent-hours by queue, {ctx.run_date}",
        x_label="queue",
        y_label="agent-hours",
        y_format=_one_decimal,
        no_data="no data: no queue had contacts or staff",
    )
    currency = ctx.currency
    body = table(
        [
            "Queue",
            "Actual agent-h",
            "Target agent-h",
            "Optimal agent-h",
            f"Payroll ({currency})",
            f"Cost at actual ({currency})",
            f"Cost at optimal ({currency})",
            f"Money at stake ({currency})",
        ],
        [
            [
                esc(r["queue_id"]),
                fmt_number(r["actual_agent_hours"]),
                fmt_number(r["required_agent_hours_erlang_a"]),
                fmt_number(r["optimal_agent_hours"]),
                fmt_number(r["staff_cost_amount"], 2),
                fmt_number(r["cost_at_actual_amount"], 2),
                fmt_number(r["cost_at_optimal_amount"], 2),
                fmt_number(r["money_at_stake_amount"], 2)
                + _number_range(
                    r["money_at_stake_lower_amount"], r["money_at_stake_upper_amount"]
                ),
            ]
            for r in rows
        ],
        numeric=range(1, 8),
    )
    unpriced = [
        f"{r['queue_id']} {r['intervals_priced']} of {r['intervals']}"
        for r in rows
        if (r["contacts_offered"] or 0) > 0 and r["intervals_priced"] != r["intervals"]
    ]
    return (
        f'<p class="headline">Money at stake on {ctx.run_date}: '
        f"{_stake_against_payroll(rows, currency)} (cost of staff, waiting and "
        "abandonment at the actual staffing minus at the value-optimal staffing; "
        "the range comes from the 95 % intervals of the prices of waiting and "
        "abandoning).</p>"
        + _stake_over_the_data(ctx)
        + f'<div class="grid-2"><figure class="chart-box">{svg}</figure>'
        f"<div>{body}</div></div>"
        + (
            note(
                "Intervals without a cost are left out of the sums (priced: "
                + ", ".join(unpriced)
                + ").",
                kind="info",
            )
            if unpriced
            else ""
        )
    )


def _sum(rows: Sequence[Row], column: str) -> float | None:
    """Sum of the non-null `column` of `rows`; None when every value is null."""
    values = [r[column] for r in rows if r[column] is not None]
    return float(sum(values)) if values else None


def _number_range(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f" <small>({fmt_number(low, 2)} to {fmt_number(high, 2)})</small>"


def _stake_against_payroll(rows: Sequence[Row], currency: str) -> str:
    """ "<strong>total</strong> (low to high), against a payroll of P" for `rows`."""
    stake = _sum(rows, "money_at_stake_amount")
    if stake is None:
        return f"<strong>{NA}</strong>"
    low = _sum(rows, "money_at_stake_lower_amount")
    high = _sum(rows, "money_at_stake_upper_amount")
    payroll = _sum(rows, "staff_cost_amount")
    against = (
        f", against a payroll of {fmt_money(payroll, currency)}"
        if payroll is not None
        else ", payroll unknown"
    )
    return (
        f"<strong>{fmt_money(stake, currency)}</strong> "
        f"({fmt_money(low, currency)} to {fmt_money(high, currency)}){against}"
    )


def _stake_over_the_data(ctx: ReportContext) -> str:
    """The whole data's money at stake next to its payroll, and what it is made of:
    staff cost the value-optimal staffing adds or saves, and customer value (churn
    from waits and abandons, priced by the fit) it protects. The customer value is
    why it can exceed payroll."""
    total = query(
        ctx,
        """
        select min(interval_date) as first_day, max(interval_date) as last_day,
            sum(money_at_stake_amount) as money_at_stake_amount,
            sum(money_at_stake_lower_amount) as money_at_stake_lower_amount,
            sum(money_at_stake_upper_amount) as money_at_stake_upper_amount,
            sum(staff_cost_amount) as staff_cost_amount,
            sum(staff_cost_at_optimal_amount - staff_cost_at_actual_amount)
                as extra_staff_cost_amount
        from reports.rpt_staffing_daily
        where money_at_stake_amount is not null
        """,
    )[0]
    stake, extra = total["money_at_stake_amount"], total["extra_staff_cost_amount"]
    if stake is None:
        return ""
    currency = ctx.currency
    made_of = ""
    if extra is not None:
        # money at stake = staff cost saved + customer value kept
        value = stake + extra
        made_of = (
            " The value-optimal staffing would "
            + ("add " if extra >= 0 else "save ")
            + f"{fmt_money(abs(extra), currency)} of staff cost and "
            + ("keep " if value >= 0 else "give up ")
            + f"{fmt_money(abs(value), currency)} of customer value (churn from "
            "waits and abandons, priced by the fit)."
        )
        payroll = total["staff_cost_amount"]
        if payroll is not None and stake > payroll and value > 0:
            made_of += (
                " The money at stake is mostly that customer value, not payroll: "
                "that is how it can exceed payroll."
            )
    return (
        f"<p>From {total['first_day']} to {total['last_day']}: money at stake "
        f"{_stake_against_payroll([total], currency)} of the same queue-days (sums "
        f"of the days' ranges, so a conservative range).{made_of}</p>"
    )


# ------------------------------------------------------------------ 6 demand matrix


def demand_matrix(ctx: ReportContext) -> str:
    """Contact reasons on predictability x complexity, with their operating model."""
    missing = _missing_note(ctx, "reports.rpt_demand_matrix")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select contact_reason, operating_model, contacts, containment_rate,
            days_forecast, forecast_error_rate, aht_seconds,
            resolution_complexity_index, period_start_date, period_end_date
        from reports.rpt_demand_matrix
        order by contacts desc, contact_reason
        """,
    )
    if not rows:
        return note("No data: no contacts to classify.")
    max_error = float(
        ctx.var("demand_predictable_max_error_rate")
        or _DEMAND_DEFAULTS["demand_predictable_max_error_rate"]
    )
    min_index = float(
        ctx.var("demand_complex_min_index")
        or _DEMAND_DEFAULTS["demand_complex_min_index"]
    )
    min_days = (
        ctx.var("demand_min_forecast_days")
        or _DEMAND_DEFAULTS["demand_min_forecast_days"]
    )
    biggest = max((r["contacts"] or 0) for r in rows) or 1
    svg = charts.quadrant_chart(
        [
            charts.QuadrantPoint(
                r["contact_reason"],
                r["forecast_error_rate"],
                r["resolution_complexity_index"],
                size=(r["contacts"] or 0) / biggest,
            )
            for r in rows
        ],
        title="Demand matrix: predictability x complexity",
        x_label="forecast error (%, seasonal-naive daily; left = predictable)",
        y_label="resolution complexity index (0-1)",
        x_threshold=max_error,
        y_threshold=min_index,
        quadrant_labels=(
            "bionic agent tools",
            "expert teams",
            "digital self-service",
            "flexible staffing",
        ),
        x_format=_percent,
        y_format=lambda v: f"{v:.1f}",
        unplaced_label="no forecast yet",
    )
    body = table(
        [
            "Contact reason",
            "Contacts",
            "Contained",
            "Forecast error",
            "Complexity",
            "AHT",
            "Operating model",
        ],
        [
            [
                esc(r["contact_reason"]),
                fmt_count(r["contacts"]),
                fmt_rate(r["containment_rate"]),
                fmt_rate(r["forecast_error_rate"]),
                fmt_number(r["resolution_complexity_index"], 2),
                fmt_seconds(r["aht_seconds"]),
                _operating_model(r),
            ]
            for r in rows
        ],
        numeric=(1, 2, 3, 4, 5),
    )
    period = f"{rows[0]['period_start_date']} to {rows[0]['period_end_date']}"
    return (
        f'<div class="grid-2"><figure class="chart-box">{svg}</figure>'
        f"<div>{body}</div></div>"
        + note(
            f"Over {period}. Predictable: forecast error <= {_percent(max_error)}; "
            f"complex: index >= {min_index:g}. A reason needs {min_days} forecast days "
            "before its predictability is known; until then it sits in the "
            "'no forecast yet' strip and has no operating model. Dot size: contacts.",
            kind="info",
        )
    )


def _operating_model(row: Row) -> str:
    if row["operating_model"]:
        return esc(row["operating_model"].replace("_", " "))
    days = fmt_count(row["days_forecast"])
    return f'<span class="na" title="{days} forecast days">no data</span>'


# ----------------------------------------------------------------------- 7 feedback


def top_feedback(ctx: ReportContext, *, days: int = FEEDBACK_DAYS) -> str:
    """Comment counts per theme and owning department, with masked examples."""
    missing = _missing_note(ctx, "reports.rpt_customer_feedback")
    if missing:
        return missing
    start = None if ctx.run_date is None else ctx.run_date - timedelta(days=days - 1)
    window = "(? is null or responded_date between ? and ?)"
    params = [ctx.run_date, start, ctx.run_date]
    themes = query(
        ctx,
        f"""
        select owning_department, theme,
            count(distinct response_id) as comments,
            count(distinct response_id) filter (where not is_top2box) as low_scores,
            count(distinct response_id) filter (where is_top2box is not null)
                as scored
        from reports.rpt_customer_feedback
        where {window}
        group by owning_department, theme
        """,
        params,
    )
    if not themes:
        return _no_comments(ctx, start)
    examples = query(
        ctx,
        f"""
        with comments as (
            select theme, masked_comment, max(responded_at) as responded_at
            from reports.rpt_customer_feedback
            where {window}
            group by theme, masked_comment
        )

        select theme, masked_comment
        from comments
        qualify row_number() over (
            partition by theme order by responded_at desc, masked_comment
        ) <= {_EXAMPLES_PER_THEME}
        order by theme, responded_at desc, masked_comment
        """,
        params,
    )
    by_theme: dict[str, list[str]] = {}
    for example in examples:
        text = _shorten(example["masked_comment"] or "")
        by_theme.setdefault(example["theme"], []).append(text)
    totals: dict[str, int] = {}
    for theme in themes:
        theme["owning_department"] = theme["owning_department"] or "unowned"
        department = theme["owning_department"]
        totals[department] = totals.get(department, 0) + theme["comments"]
    themes.sort(
        key=lambda t: (
            -totals[t["owning_department"]],
            t["owning_department"],
            -t["comments"],
            t["theme"],
        )
    )
    most = max(t["comments"] for t in themes) or 1
    rows, named = [], set()
    for theme in themes:
        department = theme["owning_department"]
        rows.append(
            [
                ""
                if department in named
                else f"<strong>{esc(department)}</strong><br>"
                f"<small class=muted>{totals[department]:,} theme mentions</small>",
                esc(theme["theme"].replace("_", " ")),
                f"{fmt_count(theme['comments'])}<span class=bar "
                f'style="width:{100 * theme["comments"] / most:.0f}px"></span>',
                fmt_rate(theme["low_scores"] / theme["scored"])
                if theme["scored"]
                else NA,
                "<ul class=examples>"
                + "".join(
                    f"<li>&ldquo;{esc(t)}&rdquo;</li>"
                    for t in by_theme.get(theme["theme"], [])
                )
                + "</ul>",
            ]
        )
        named.add(department)
    span = (
        "All comments" if start is None else f"Comments from {start} to {ctx.run_date}"
    )
    return table(
        [
            "Owning department",
            "Theme",
            "Comments",
            "Below top-2-box",
            "Examples (masked)",
        ],
        rows,
        numeric=(2, 3),
        caption=f"{span}; a comment with two themes counts in both",
        css_class="feedback",
    )


def _no_comments(ctx: ReportContext, start: date | None) -> str:
    answers = _count(ctx, "marts.fct_survey_responses")
    if not answers:
        return note("No data: no survey answers are loaded.")
    comments = query(
        ctx,
        "select count(distinct response_id) as comments, max(responded_date) as latest "
        "from reports.rpt_customer_feedback",
    )[0]
    if not comments["comments"]:
        return note(
            f"No data: {_counted(answers, 'survey answer')} loaded, none with a "
            "comment."
        )
    return note(
        f"No data: no comments from {start} to {ctx.run_date}; "
        f"{_counted(comments['comments'], 'comment')} in all, the latest from "
        f"{comments['latest']}."
    )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXAMPLE_CHARS else text[: _EXAMPLE_CHARS - 1] + "…"


# ------------------------------------------------------------------- 8 data quality


def data_quality(ctx: ReportContext) -> str:
    """The run's loads, quarantine and validation results, and the latest runs."""
    load_id = ctx.latest_run["run_id"] if ctx.latest_run else None
    if load_id is None and not missing_tables(ctx.connection, "raw.loaded_files"):
        load_id = query(ctx, "select max(load_id) as load_id from raw.loaded_files")[0][
            "load_id"
        ]
    return (
        "<h3>Files loaded</h3>"
        + _loaded_files(ctx, load_id)
        + "<h3>Files not loaded</h3>"
        + _files_not_loaded(ctx)
        + "<h3>Quarantined rows</h3>"
        + _quarantine(ctx, load_id)
        + "<h3>Validation</h3>"
        + _validation(ctx)
        + "<h3>Estimated staffing</h3>"
        + _estimated_staffing(ctx)
        + "<h3>Latest runs</h3>"
        + _run_log(ctx)
    )


def _estimated_staffing(ctx: ReportContext) -> str:
    """Queue intervals of the run date without agent-interval data, and why it
    matters: their staffing is an estimate, used by the baselines only."""
    missing = _missing_note(ctx, "marts.fct_queue_intervals")
    if missing:
        return missing
    if ctx.run_date is None:
        return _no_run_date()
    rows = query(
        ctx,
        """
        select
            queue_id,
            count(*) as intervals,
            count(*) filter (where is_staffing_estimated) as intervals_estimated,
            sum(contacts_answered) filter (where is_staffing_estimated)
                as contacts_answered_estimated
        from marts.fct_queue_intervals
        -- intervals with agent work: a self-service queue needs no agents
        where interval_date = ? and contacts_offered > 0
        group by queue_id
        having count(*) filter (where is_staffing_estimated) > 0
        order by queue_id
        """,
        [ctx.run_date],
    )
    if not rows:
        return note(
            f"Every queue interval of {ctx.run_date} with contacts offered had "
            "agent-interval data.",
            kind="info",
        )
    return table(
        [
            "Queue",
            "Intervals estimated",
            "Intervals with contacts offered",
            "Contacts handled in them",
        ],
        [
            [
                esc(r["queue_id"]),
                fmt_count(r["intervals_estimated"]),
                fmt_count(r["intervals"]),
                fmt_count(r["contacts_answered_estimated"]),
            ]
            for r in rows
        ],
        numeric=(1, 2, 3),
        caption=f"Queue intervals of {ctx.run_date} without agent-interval data",
    ) + note(
        "No agent interval covered these queue intervals (no workforce export for "
        "the queue, or contacts that arrived while nobody was logged in, such as "
        "e-mails at night). Their staffing is unknown: staffed agents and hours, "
        "staff cost, occupancy and money at stake are left empty there, never "
        "estimated. Only the queueing baselines assume the agents who handled "
        "their contacts (baseline_staffed_agents, is_staffing_estimated). Their "
        "contacts still carry their queue-day's cost.",
        kind="info",
    )


def _loaded_files(ctx: ReportContext, load_id: str | None) -> str:
    missing = _missing_note(ctx, "raw.loaded_files")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select source,
            count(*) filter (where load_id = ?) as run_files,
            sum(rows_read) filter (where load_id = ?) as run_rows_read,
            sum(rows_loaded) filter (where load_id = ?) as run_rows_loaded,
            sum(rows_quarantined) filter (where load_id = ?) as run_rows_quarantined,
            count(*) as files,
            sum(rows_read) as rows_read,
            sum(rows_loaded) as rows_loaded,
            sum(rows_quarantined) as rows_quarantined
        from raw.loaded_files
        group by source
        order by source
        """,
        [load_id] * 4,
    )
    if not rows:
        return note("No data: no landing file has been loaded.")
    return table(
        [
            "Source",
            "Files (this run)",
            "Read",
            "Loaded",
            "Quarantined",
            "Files (all)",
            "Read (all)",
            "Loaded (all)",
            "Quarantined (all)",
        ],
        [
            [
                esc(r["source"]),
                fmt_count(r["run_files"]),
                fmt_count(r["run_rows_read"] or 0) if r["run_files"] else "&ndash;",
                fmt_count(r["run_rows_loaded"] or 0) if r["run_files"] else "&ndash;",
                fmt_count(r["run_rows_quarantined"] or 0)
                if r["run_files"]
                else "&ndash;",
                fmt_count(r["files"]),
                fmt_count(r["rows_read"]),
                fmt_count(r["rows_loaded"]),
                fmt_count(r["rows_quarantined"]),
            ]
            for r in rows
        ],
        numeric=range(1, 9),
        caption=f"raw.loaded_files; this run = load {load_id or 'unknown'}",
    )


def _files_not_loaded(ctx: ReportContext) -> str:
    """The landing files the latest run did not load, with the reason for each."""
    missing = _missing_note(ctx, "audit.run_log")
    if missing:
        return missing
    if "not_loaded" not in ctx.latest_ingest:
        return note(
            "No data: the latest run's log does not list the landing files it did "
            "not load (written by an older version of opsmart?)."
        )
    files: list[Mapping[str, Any]] = ctx.latest_ingest["not_loaded"]
    if not files:
        return note(
            "Every file under the landing folder is loaded, by this run or an "
            "earlier one.",
            kind="info",
        )
    landing = str(ctx.latest_ingest.get("landing_dir", ""))
    counts = ", ".join(
        f"{code} {count:,}"
        for code, count in ctx.latest_ingest.get("not_loaded_counts", {}).items()
    )
    rows = [
        [
            f"<code>{esc(one_line(_inside(str(item['path']), landing)))}</code>",
            f"<code>{esc(item['reason'])}</code>",
            esc(
                one_line(
                    item.get("detail") or NOT_LOADED_REASONS.get(item["reason"], "")
                )
            ),
        ]
        for item in files[:_NOT_LOADED_SHOWN]
    ]
    more = len(files) - len(rows)
    return (
        f'<p class="summary">{len(files):,} file(s) under the landing folder are not '
        f"loaded ({esc(counts)}); docs/quarantine.md says what to do with each.</p>"
        + table(
            ["File (in the landing folder)", "Reason", "Why"],
            rows,
            caption=f"The run log of run {ctx.latest_run['run_id']}"
            if ctx.latest_run
            else None,
        )
        + (
            note(f"... and {more:,} more, listed in the run log.", kind="info")
            if more
            else ""
        )
    )


def _inside(path: str, landing: str) -> str:
    """`path` relative to the landing folder, when it is inside it."""
    pure, root = PurePosixPath(path), PurePosixPath(landing)
    return pure.relative_to(root).as_posix() if pure.is_relative_to(root) else path


def _quarantine(ctx: ReportContext, load_id: str | None) -> str:
    missing = _missing_note(ctx, "audit.quarantine")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select source, reason_code,
            count(*) filter (where load_id = ?) as run_rows,
            count(*) as all_rows,
            min(reason) as example_reason
        from audit.quarantine
        group by source, reason_code
        order by run_rows desc, all_rows desc, source, reason_code
        """,
        [load_id],
    )
    if not rows:
        return note("No row has ever been quarantined.", kind="info")
    return table(
        ["Source", "Reason code", "Rows (this run)", "Rows (all loads)", "Example"],
        [
            [
                esc(r["source"]),
                f"<code>{esc(r['reason_code'])}</code>",
                fmt_count(r["run_rows"]),
                fmt_count(r["all_rows"]),
                esc(r["example_reason"]),
            ]
            for r in rows
        ],
        numeric=(2, 3),
        caption="audit.quarantine by source and reason (docs/quarantine.md)",
    )


def _validation(ctx: ReportContext) -> str:
    missing = _missing_note(ctx, "audit.validation_results")
    if missing:
        return missing
    run_id = ctx.latest_run["run_id"] if ctx.latest_run else None
    rows = query(
        ctx,
        """
        select stage, suite, expectation, column_name, severity, success,
            observed, details
        from audit.validation_results
        where run_id = coalesce(?, (select max(run_id) from audit.validation_results))
        order by success, severity = 'error' desc, stage, suite, expectation
        """,
        [run_id],
    )
    if not rows:
        return note("No data: no validation results for this run.")
    failed = [r for r in rows if not r["success"]]
    errors = sum(r["severity"] == "error" for r in failed)
    summary = (
        f'<p class="summary">{len(rows) - len(failed)} of {len(rows)} checks passed; '
        f"{errors} error(s), {len(failed) - errors} warning(s).</p>"
    )

    def result_rows(results: list[Row]) -> list[list[str]]:
        return [
            [
                '<span class="bad">failed</span>'
                if not r["success"]
                else '<span class="good">passed</span>',
                esc(r["severity"]),
                esc(r["stage"]),
                esc(r["suite"]),
                esc(r["expectation"])
                + (f" [{esc(r['column_name'])}]" if r["column_name"] else ""),
                esc(r["observed"]),
            ]
            for r in results
        ]

    headers = ["Result", "Severity", "Stage", "Suite", "Expectation", "Observed"]
    failures = (
        table(headers, result_rows(failed), caption="Failed checks")
        if failed
        else note("Every check passed.", kind="info")
    )
    return (
        summary
        + failures
        + f"<details><summary>All {len(rows)} checks (failures first)</summary>"
        + table(headers, result_rows(rows))
        + "</details>"
    )


def _run_log(ctx: ReportContext) -> str:
    missing = _missing_note(ctx, "audit.run_log")
    if missing:
        return missing
    rows = query(
        ctx,
        f"""
        select run_id, command, status, run_date, window_start_date, seconds,
            rows_read, rows_loaded, rows_quarantined,
            validation_errors, validation_warnings
        from audit.run_log
        order by started_at desc
        limit {_RUNS_SHOWN}
        """,
    )
    if not rows:
        return note("No data: audit.run_log is empty.")
    return table(
        [
            "Run",
            "Command",
            "Status",
            "Run date",
            "Window from",
            "Seconds",
            "Read",
            "Loaded",
            "Quarantined",
            "Errors",
            "Warnings",
        ],
        [
            [
                f"<code>{esc(r['run_id'])}</code>",
                esc(r["command"]),
                esc(r["status"]),
                esc(r["run_date"]) if r["run_date"] else NA,
                esc(r["window_start_date"]) if r["window_start_date"] else "full",
                fmt_number(r["seconds"]),
                fmt_count(r["rows_read"]),
                fmt_count(r["rows_loaded"]),
                fmt_count(r["rows_quarantined"]),
                fmt_count(r["validation_errors"]),
                fmt_count(r["validation_warnings"]),
            ]
            for r in rows
        ],
        numeric=range(5, 11),
    )


# -------------------------------------------------------------------- 9 definitions


def definitions(ctx: ReportContext) -> str:
    """The dbt vars (KPI definitions and report settings) the build used."""
    if not ctx.dbt_vars:
        return note(
            "No data: neither audit.run_log nor utilities.util_kpi_definitions is in "
            "this warehouse, so the definitions in force are unknown."
        )
    rows = [
        [f"<code>{esc(name)}</code>", esc(_var_text(value))]
        for name, value in ctx.dbt_vars.items()
    ]
    return table(
        ["dbt var", "Value in force"],
        rows,
        caption=f"From {ctx.dbt_vars_source}; meanings in models/_kpi__docs.md",
        css_class="definitions",
    )


def _var_text(value: Any) -> str:
    if value is None:
        return "null (not set)"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_var_text(item) for item in value)
    return json.dumps(value)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "okr-scorecard",
        "OKR scorecard",
        "Are we on track for every key result, and which way is each one moving?",
        okr_scorecard,
    ),
    SectionSpec(
        "service-level",
        "Service level, ASA and abandonment by interval",
        "Did each interval of the day get the service its staffing should have given "
        "(Erlang A), and where were we short of agents?",
        service_level,
    ),
    SectionSpec(
        "cost-vs-satisfaction",
        "Cost per contact vs CSAT and NPS",
        "Which queues and segments buy the most satisfaction for their cost?",
        cost_vs_satisfaction,
    ),
    SectionSpec(
        "wait-curve",
        "The wait -> satisfaction -> churn curve",
        "How much do longer waits cost in satisfaction and in customers, and what is "
        "one second of waiting worth?",
        wait_curve,
    ),
    SectionSpec(
        "staffing",
        "Value-optimal staffing",
        "Did we staff each queue at what the service target needs, and at what the "
        "value-optimal staffing would have cost?",
        staffing,
    ),
    SectionSpec(
        "demand-matrix",
        "Demand matrix",
        "Which contact reasons should be automated, tooled, flexibly staffed or sent "
        "to experts?",
        demand_matrix,
    ),
    SectionSpec(
        "customer-feedback",
        "Top customer-feedback themes by department",
        "What are customers telling us, and which department owns each theme?",
        top_feedback,
    ),
    SectionSpec(
        "data-quality",
        "Data quality",
        "Can these numbers be trusted: what was loaded, set aside and validated?",
        data_quality,
    ),
    SectionSpec(
        "definitions",
        "Definitions in force",
        "Which KPI definitions (dbt vars) produced these numbers?",
        definitions,
    ),
)
