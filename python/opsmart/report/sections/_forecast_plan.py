"""Section 6, next week: forecast and staffing plan. The first horizon week of the
busiest queue's interval forecast with its 80 and 95 % bands and its scheduled
agents, every queue's plan per day, and the backtest accuracy of every queue.

Every number is read from the reports (rpt_queue_interval_forecasts,
rpt_staffing_plan, rpt_staffing_plan_daily, rpt_forecast_accuracy); nothing is
summed or recomputed here. The intervals are shown as they are (half-hours), not
summed to hours: a sum of interval bounds is not a bound of the sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsmart.report import charts
from opsmart.report._html import (
    esc,
    fmt_count,
    fmt_number,
    fmt_rate,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    missing_tables,
    query,
)

__all__ = ["FORECAST_TABLES", "MIN_HISTORY_WEEKS", "forecast_plan"]

#: The tables the section reads, all built by the forecast and plan models.
FORECAST_TABLES = (
    "reports.rpt_queue_interval_forecasts",
    "reports.rpt_staffing_plan",
    "reports.rpt_staffing_plan_daily",
    "reports.rpt_forecast_accuracy",
)

#: opsmart.forecast.history.MIN_HISTORY_WEEKS, repeated so the report does not
#: import the forecast package (pandas); a test holds the two equal.
MIN_HISTORY_WEEKS = 3

NO_FORECAST = f"No forecast yet: needs {MIN_HISTORY_WEEKS} weeks of history."


def forecast_plan(ctx: ReportContext) -> str:
    """The busiest queue's next week by interval with its bands and scheduled agents,
    every queue's plan per day, and every queue's forecast accuracy (or the reason
    it has none)."""
    absent = missing_tables(ctx.connection, *FORECAST_TABLES)
    if absent:
        return note(
            f"{NO_FORECAST} This warehouse has no {', '.join(absent)} "
            "(built by an older version of opsmart?)."
        )
    busiest = query(
        ctx,
        """
        select f.queue_id, min(f.interval_date) as first_day,
            max(f.interval_date) as last_day, any_value(q.timezone) as timezone
        from reports.rpt_queue_interval_forecasts as f
        left join marts.dim_queues as q on q.queue_id = f.queue_id
        where f.horizon_week = 1
        group by f.queue_id
        order by sum(f.contacts_offered_forecast) desc nulls last, f.queue_id
        limit 1
        """,
    )
    accuracy = _accuracy(ctx)
    if not busiest:
        return note(NO_FORECAST) + accuracy
    queue_id = str(busiest[0]["queue_id"])
    first_day, last_day = busiest[0]["first_day"], busiest[0]["last_day"]
    week = _LocalWeek.of(first_day, last_day, busiest[0]["timezone"] or ctx.timezone)
    intervals = query(
        ctx,
        """
        select f.interval_start_at, f.contacts_offered_forecast,
            f.contacts_offered_lower_80, f.contacts_offered_upper_80,
            f.contacts_offered_lower_95, f.contacts_offered_upper_95,
            p.scheduled_agents, p.scheduled_agents_upper_80
        from reports.rpt_queue_interval_forecasts as f
        left join reports.rpt_staffing_plan as p
            on p.queue_id = f.queue_id and p.interval_start_at = f.interval_start_at
        where f.queue_id = ? and f.horizon_week = 1
        order by f.interval_start_at
        """,
        [queue_id],
    )
    return (
        f'<p class="summary">Next week, {first_day} to {last_day}, of '
        f"<strong>{esc(queue_id)}</strong> (the queue with the most contacts "
        f"forecast) by half-hour on its local clock ({esc(week.zone)}). The bands "
        "are the forecast's 80 and 95 % prediction intervals; scheduled agents "
        "include shrinkage, at the point forecast and at the upper end of the 80 % "
        "interval (demand as high as it gets one time in ten).</p>"
        + "".join(
            f'<figure class="chart-box">{svg}</figure>'
            for svg in _week_charts(queue_id, intervals, week)
        )
        + _daily_plan(ctx, queue_id, ctx.currency)
        + _plan_gaps(ctx)
        + accuracy
    )


@dataclass(frozen=True)
class _LocalWeek:
    """The x axis of local days: hours elapsed since the first day's local midnight,
    ticked at every local midnight, so a DST day is 23 or 25 hours wide."""

    zone: str
    midnights: tuple[datetime, ...]  # naive UTC, first day's to the last day's next
    days: tuple[date, ...]

    @classmethod
    def of(cls, first: date, last: date, zone: str) -> _LocalWeek:
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            tz, zone = ZoneInfo("UTC"), "UTC"
        count = (last - first).days + 1
        days = tuple(first + timedelta(days=n) for n in range(count + 1))
        midnights = tuple(
            datetime.combine(day, time(), tzinfo=tz)
            .astimezone(UTC)
            .replace(tzinfo=None)
            for day in days
        )
        return cls(zone, midnights, days[:-1])

    def x(self, instant: datetime) -> float:
        """Hours from the first local midnight to `instant` (naive UTC)."""
        return (instant - self.midnights[0]).total_seconds() / 3600

    @property
    def ticks(self) -> list[tuple[float, str]]:
        """Each day's local midnight, labelled with its weekday and day of month."""
        return [
            (self.x(midnight), day.strftime("%a %d"))
            for midnight, day in zip(self.midnights, self.days, strict=False)
        ]

    @property
    def domain(self) -> tuple[float, float]:
        return 0.0, self.x(self.midnights[-1])


def _week_charts(
    queue_id: str, intervals: Sequence[Row], week: _LocalWeek
) -> list[str]:
    xs = [week.x(row["interval_start_at"]) for row in intervals]
    common: dict[str, Any] = {
        "x_label": f"interval start, local days ({week.zone})",
        "x_ticks": week.ticks,
        "x_domain": week.domain,
        "width": 960,
        "height": 260,
    }
    contacts = charts.line_chart(
        [
            charts.LineSeries(
                "forecast offered contacts (bands: 95 %, 80 %)",
                _points(xs, intervals, "contacts_offered_forecast"),
                markers=False,
                bands=(
                    charts.Band(_bounds(intervals, "95"), opacity=0.15),
                    charts.Band(_bounds(intervals, "80"), opacity=0.3),
                ),
            )
        ],
        title=f"Offered contacts per half-hour, forecast with 80 and 95 % bands, "
        f"{queue_id}",
        y_label="contacts per half-hour",
        no_data="no data: no contacts forecast",
        **common,
    )
    agents = charts.line_chart(
        [
            charts.LineSeries(
                "scheduled agents, point forecast",
                _points(xs, intervals, "scheduled_agents"),
                markers=False,
            ),
            charts.LineSeries(
                "scheduled agents, upper 80 %",
                _points(xs, intervals, "scheduled_agents_upper_80"),
                color=charts.COLORS["target"],
                dashed=True,
                markers=False,
            ),
        ],
        title=f"Scheduled agents per half-hour, plan, {queue_id}",
        y_label="agents on the schedule",
        no_data="no data: no staffing plan for these intervals",
        **common,
    )
    return [contacts, agents]


def _points(
    xs: Sequence[float], rows: Sequence[Row], column: str
) -> list[tuple[float, float | None]]:
    return [
        (x, None if row[column] is None else float(row[column]))
        for x, row in zip(xs, rows, strict=True)
    ]


def _bounds(rows: Sequence[Row], level: str) -> list[tuple[float, float] | None]:
    lower, upper = f"contacts_offered_lower_{level}", f"contacts_offered_upper_{level}"
    return [
        None
        if row[lower] is None or row[upper] is None
        else (float(row[lower]), float(row[upper]))
        for row in rows
    ]


def _daily_plan(ctx: ReportContext, busiest: str, currency: str) -> str:
    """Every queue's days of the first horizon week from rpt_staffing_plan_daily,
    the busiest queue first."""
    rows = query(
        ctx,
        """
        select d.queue_id, d.interval_date, d.hours, d.contacts_offered_forecast,
            d.scheduled_agent_hours, d.scheduled_agent_hours_upper_95,
            d.staff_cost_amount, d.staff_cost_upper_95_amount
        from reports.rpt_staffing_plan_daily as d
        where exists (
            select 1 from reports.rpt_staffing_plan as p
            where p.queue_id = d.queue_id and p.interval_date = d.interval_date
                and p.horizon_week = 1
        )
        order by d.queue_id <> ?, d.queue_id, d.interval_date
        """,
        [busiest],
    )
    if not rows:
        return note("No staffing plan per day for next week.")
    first = [r for r in rows if r["queue_id"] == busiest]
    others = [r for r in rows if r["queue_id"] != busiest]
    caption = (
        "Plan per day (scheduled agents include shrinkage). An upper 95 % day "
        "staffs every half-hour for its own 97.5 % quantile: a budget's "
        "ceiling, not a forecast of it."
    )
    html = _daily_table(first, currency, caption) if first else ""
    if others:
        queues = len({r["queue_id"] for r in others})
        whose = "queue's" if queues == 1 else "queues'"
        html += (
            f"<details><summary>The other {queues} {esc(whose)} plan per day"
            "</summary>"
            + _daily_table(others, currency, None if first else caption)
            + "</details>"
        )
    return html


def _daily_table(rows: Sequence[Row], currency: str, caption: str | None) -> str:
    return table(
        [
            "Queue",
            "Date",
            "Hours",
            "Contacts (forecast)",
            "Scheduled agent-h",
            "Scheduled agent-h, upper 95 %",
            f"Staff cost ({currency})",
            f"Staff cost, upper 95 % ({currency})",
        ],
        [
            [
                esc(r["queue_id"]),
                esc(r["interval_date"].strftime("%a %Y-%m-%d")),
                fmt_number(r["hours"], 0),
                fmt_number(r["contacts_offered_forecast"]),
                fmt_number(r["scheduled_agent_hours"]),
                fmt_number(r["scheduled_agent_hours_upper_95"]),
                fmt_number(r["staff_cost_amount"], 2),
                fmt_number(r["staff_cost_upper_95_amount"], 2),
            ]
            for r in rows
        ],
        numeric=range(2, 8),
        caption=caption,
    )


def _plan_gaps(ctx: ReportContext) -> str:
    """Which queues have next-week half-hours the plan leaves partly empty, and why
    (rpt_staffing_plan.plan_null_reason); empty when every half-hour is planned."""
    rows = query(
        ctx,
        """
        select queue_id, plan_null_reason, count(*) as intervals
        from reports.rpt_staffing_plan
        where horizon_week = 1 and plan_null_reason is not null
        group by queue_id, plan_null_reason
        order by queue_id, plan_null_reason
        """,
    )
    if not rows:
        return ""
    return note(
        "Half-hours next week without every agent count (shown as no data): "
        + ", ".join(
            f"{r['queue_id']} {r['intervals']} ({r['plan_null_reason']})" for r in rows
        )
        + ".",
        kind="info",
    )


def _accuracy(ctx: ReportContext) -> str:
    """Every catalog queue's backtest scores, or the reason it has none."""
    rows = query(
        ctx,
        """
        select queue_id, channel, forecast_method, history_weeks, backtest_origins,
            intervals_scored, contacts_offered, wape, mase, coverage_rate_80,
            coverage_rate_95,
            is_forecast, forecast_null_reason
        from reports.rpt_forecast_accuracy
        order by is_forecast desc nulls last, queue_id
        """,
    )
    if not rows:
        return ""
    return (
        "<h3>Forecast accuracy over the last weeks (backtest)</h3>"
        '<p class="note info">How to read it: WAPE is the share of contacts '
        "mis-forecast; MASE below 1 beats the seasonal naive forecast (last "
        "week's same half-hour); coverage near the nominal level (80 %, 95 %) "
        "means the bands are honest (whole-number bounds lean a little above).</p>"
        + table(
            [
                "Queue",
                "Channel",
                "Method",
                "Weeks of history",
                "Origins",
                "Intervals scored",
                "WAPE",
                "MASE",
                "Coverage 80 %",
                "Coverage 95 %",
                "Forecast",
            ],
            [
                [
                    esc(r["queue_id"]),
                    esc(r["channel"]),
                    esc(r["forecast_method"]),
                    fmt_count(r["history_weeks"]),
                    fmt_count(r["backtest_origins"]),
                    fmt_count(r["intervals_scored"]),
                    fmt_rate(r["wape"]),
                    fmt_number(r["mase"], 2),
                    fmt_rate(r["coverage_rate_80"]),
                    fmt_rate(r["coverage_rate_95"]),
                    _forecast_status(r),
                ]
                for r in rows
            ],
            numeric=range(3, 10),
        )
    )


def _forecast_status(row: Row) -> str:
    """'yes', or 'no: <reason>' (a forecast without a backtest says why too, and
    one scored on nothing offered says so, its scores being no data)."""
    reason = row["forecast_null_reason"]
    if row["is_forecast"]:
        if reason is not None:
            return f"yes, not scored: {esc(reason)}"
        # scored, but nothing was offered: WAPE, MASE and coverage have no value
        return "yes, nothing offered" if row["contacts_offered"] == 0 else "yes"
    return f"no: {esc(reason or 'unknown')}"
