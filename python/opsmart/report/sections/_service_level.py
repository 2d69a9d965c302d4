"""Section 2, service level, ASA and abandonment by interval: the run date's
intervals of the biggest voice queue against their Erlang A baseline, and every
queue's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsmart.report import charts
from opsmart.report._html import (
    chart_grid,
    esc,
    fmt_count,
    fmt_number,
    fmt_rate,
    fmt_seconds,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _count,
    _counted,
    _one_decimal,
    _percent,
    _run_date_or_note,
    query,
)

__all__ = ["service_level"]


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


def service_level(ctx: ReportContext) -> str:
    """The run date's intervals of the biggest voice queue, and every queue's day."""
    run_date = _run_date_or_note(
        ctx, "marts.fct_queue_intervals", "marts.fct_queue_days"
    )
    if isinstance(run_date, str):
        return run_date
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
        [run_date],
    )
    if not biggest:
        return note(f"No data: no queue was offered contacts on {run_date}.")
    queue_id, channel = biggest[0]["queue_id"], biggest[0]["channel"]
    zone = query(
        ctx, "select timezone from marts.dim_queues where queue_id = ?", [queue_id]
    )
    local_day = _LocalDay.of(
        run_date, str(zone[0]["timezone"]) if zone else ctx.timezone
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
        [queue_id, run_date],
    )
    return (
        f'<p class="summary">Intervals of <strong>{esc(queue_id)}</strong> '
        f"({esc(channel)}, the biggest {'voice ' if channel == 'voice' else ''}queue "
        f"on {run_date}); times are the queue's local clock "
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
    common: dict[str, Any] = {
        "x_label": local_day.label,
        "x_ticks": local_day.ticks,
        "x_domain": (0.0, local_day.hours),
        "width": 640,
        "height": 240,
    }
    svgs = [
        charts.line_chart(
            _against_baseline(
                hours, intervals, "service_level_rate", "erlang_a_service_level_rate"
            ),
            title=f"Service level, {queue_id}",
            y_label="service level (%)",
            y_domain=(0.0, 1.0),
            y_format=_percent,
            references=_service_level_target(intervals),
            **common,
        ),
        charts.line_chart(
            _against_baseline(
                hours, intervals, "abandonment_rate", "erlang_a_abandonment_rate"
            ),
            title=f"Abandonment, {queue_id}",
            y_label="abandoned (% of offered)",
            y_format=_percent,
            **common,
        ),
        charts.line_chart(
            _against_baseline(hours, intervals, "asa_seconds", "erlang_a_asa_seconds"),
            title=f"Average speed of answer, {queue_id}",
            y_label="ASA (seconds)",
            **common,
        ),
        charts.line_chart(
            _staffing_gap(hours, intervals),
            title=f"Staffing gap, {queue_id}",
            y_label="agents",
            **common,
        ),
    ]
    return chart_grid(svgs) + _estimated_staffing_note(intervals, has_agent_intervals)


def _against_baseline(
    hours: list[float], intervals: list[Row], actual: str, baseline: str
) -> list[charts.LineSeries]:
    """The `actual` column of each interval, and its Erlang A `baseline` dashed."""
    return [
        charts.LineSeries(
            "actual",
            list(zip(hours, [r[actual] for r in intervals], strict=True)),
            color=charts.COLORS["actual"],
        ),
        charts.LineSeries(
            "Erlang A baseline",
            list(zip(hours, [r[baseline] for r in intervals], strict=True)),
            color=charts.COLORS["baseline"],
            dashed=True,
        ),
    ]


def _service_level_target(intervals: list[Row]) -> list[charts.ReferenceLine]:
    """The queue's service-level target as a reference line ("target 80 % in 20 s");
    none when no interval has a target."""
    target = next((r["sl_target_rate"] for r in intervals if r["sl_target_rate"]), None)
    if target is None:
        return []
    threshold = next(
        (r["sl_threshold_seconds"] for r in intervals if r["sl_threshold_seconds"]),
        None,
    )
    label = f"target {_percent(target)}" + (f" in {threshold} s" if threshold else "")
    return [charts.ReferenceLine(target, label)]


def _staffing_gap(hours: list[float], intervals: list[Row]) -> list[charts.LineSeries]:
    """Staffed agents, the baseline's estimate where there was no agent data, and
    the agents Erlang A says the target needed."""
    return [
        charts.LineSeries(
            "staffed agents",
            list(zip(hours, [r["staffed_agents"] for r in intervals], strict=True)),
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
    ]


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
