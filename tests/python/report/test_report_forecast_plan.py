"""The forecast and staffing plan section on hand-made report rows: the numbers shown
are the tables', the first horizon week only, every queue's accuracy or reason, and
a note (not an exception) without a forecast or without the tables."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import duckdb
from report_warehouse import execute, insert, render_section

from opsmart.forecast.history import MIN_HISTORY_WEEKS
from opsmart.report import sections as s
from opsmart.report.sections._forecast_plan import MIN_HISTORY_WEEKS as SHOWN_WEEKS
from opsmart.report.sections._forecast_plan import _LocalWeek

MONDAY = date(2026, 3, 9)


def _row_of(html: str, marker: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html) if marker in row]
    assert len(rows) == 1, f"expected one row with {marker!r}, got {len(rows)}"
    return rows[0]


def _forecast_row(
    queue: str, start: datetime, week: int, mean: float
) -> dict[str, object]:
    return {
        "queue_id": queue,
        "horizon_week": week,
        "interval_date": start.date(),
        "interval_start_at": start,
        "interval_start_local_at": start,
        "contacts_offered_forecast": mean,
        "contacts_offered_lower_80": 6,
        "contacts_offered_upper_80": 15,
        "contacts_offered_lower_95": 4,
        "contacts_offered_upper_95": 18,
    }


def _fill(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        insert(
            connection,
            "marts.dim_queues",
            [
                {"queue_id": "q_big", "channel": "voice", "timezone": "UTC"},
                {"queue_id": "q_small", "channel": "chat", "timezone": "UTC"},
            ],
        )
        nine, half_past = datetime(2026, 3, 9, 9, 0), datetime(2026, 3, 9, 9, 30)
        insert(
            connection,
            "reports.rpt_queue_interval_forecasts",
            [
                _forecast_row("q_big", nine, 1, 10.4),
                _forecast_row("q_big", half_past, 1, 10.4),
                _forecast_row("q_small", nine, 1, 2.0),
                # week 2 is busier but not next week: it must not pick the queue
                _forecast_row("q_small", datetime(2026, 3, 16, 9, 0), 2, 500.0),
            ],
        )
        insert(
            connection,
            "reports.rpt_staffing_plan",
            [
                {
                    "queue_id": "q_big",
                    "horizon_week": 1,
                    "interval_date": MONDAY,
                    "interval_start_at": start,
                    "scheduled_agents": agents,
                    "scheduled_agents_upper_80": agents + 2,
                }
                for start, agents in ((nine, 5), (half_past, 6))
            ]
            + [
                {
                    "queue_id": "q_small",
                    "horizon_week": 1,
                    "interval_date": MONDAY,
                    "interval_start_at": nine,
                    "scheduled_agents": 1,
                    "plan_null_reason": "no_prices",
                },
                {
                    "queue_id": "q_small",
                    "horizon_week": 2,
                    "interval_date": date(2026, 3, 16),
                    "interval_start_at": datetime(2026, 3, 16, 9, 0),
                    "scheduled_agents": 99,
                },
            ],
        )
        insert(
            connection,
            "reports.rpt_staffing_plan_daily",
            [
                {
                    "queue_id": "q_big",
                    "interval_date": MONDAY,
                    "hours": 24,
                    "contacts_offered_forecast": 20.8,
                    "scheduled_agent_hours": 5.5,
                    "scheduled_agent_hours_upper_95": 7.3,
                    "staff_cost_amount": 123.45,
                    "staff_cost_upper_95_amount": 161.5,
                },
                {
                    "queue_id": "q_small",
                    "interval_date": MONDAY,
                    "hours": 24,
                    "scheduled_agent_hours": 0.5,
                },
                {
                    "queue_id": "q_small",
                    "interval_date": date(2026, 3, 16),
                    "hours": 24,
                    "scheduled_agent_hours": 4321.0,
                },
            ],
        )
        insert(
            connection,
            "reports.rpt_forecast_accuracy",
            [
                {
                    "queue_id": "q_big",
                    "channel": "voice",
                    "forecast_method": "exponential_smoothing",
                    "history_weeks": 6,
                    "backtest_origins": 2,
                    "intervals_scored": 1344,
                    "wape": 0.1234,
                    "mase": 0.87,
                    "coverage_rate_80": 0.8412,
                    "coverage_rate_95": 0.9623,
                    "is_forecast": True,
                },
                {
                    "queue_id": "q_quiet",
                    "channel": "self_service",
                    "intervals_scored": 672,
                    "contacts_offered": 0,
                    "is_forecast": True,
                },
                {
                    "queue_id": "q_new",
                    "channel": "email",
                    "history_weeks": 1,
                    "is_forecast": False,
                    "forecast_null_reason": "too_little_history",
                },
            ],
        )


def test_the_busiest_queue_and_its_numbers_are_the_tables(tiny_warehouse: Path) -> None:
    _fill(tiny_warehouse)
    html = render_section(tiny_warehouse, s.forecast_plan)
    assert "Next week, 2026-03-09 to 2026-03-09, of <strong>q_big</strong>" in html
    day = _row_of(html, "<td>q_big</td><td>Mon 2026-03-09")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", day)
    assert cells == [
        "q_big",
        "Mon 2026-03-09",
        "24",
        "20.8",
        "5.5",
        "7.3",
        "123.45",
        "161.50",
    ]
    # the other queues' days are folded away below the busiest queue's
    others = html.split("<details>", 1)[1].split("</details>", 1)[0]
    assert "<td>q_small</td>" in others and "<td>q_big</td>" not in others
    assert "The other 1 queue&#x27;s plan per day" in html
    # the second week is not next week: neither its day nor its agents show
    assert "2026-03-16" not in html and "4,321" not in html
    accuracy = re.findall(
        r"<td[^>]*>(.*?)</td>", _row_of(html, "exponential_smoothing")
    )
    assert accuracy[3:] == [
        "6",
        "2",
        "1,344",
        "12.3&nbsp;%",
        "0.87",
        "84.1&nbsp;%",
        "96.2&nbsp;%",
        "yes",
    ]
    assert "no: too_little_history" in _row_of(html, "q_new")
    assert "<td>yes, nothing offered</td>" in _row_of(html, "q_quiet")
    assert "MASE below 1 beats the seasonal naive" in html
    assert (
        "without every agent count (shown as no data): q_small 1 (no_prices)." in html
    )


def test_the_charts_draw_the_bands_and_the_scheduled_agents(
    tiny_warehouse: Path,
) -> None:
    _fill(tiny_warehouse)
    html = render_section(tiny_warehouse, s.forecast_plan)
    contacts, agents = re.findall(r"<svg.*?</svg>", html)
    # one run per band (95 %, then 80 %), the axis reaching the upper 95 % bound 18
    assert contacts.count('class="band"') == 2
    ticks = [float(t) for t in re.findall(r">(\d+(?:\.\d+)?)</text>", contacts)]
    assert max(ticks) >= 18
    assert "Mon 09" in contacts
    # point 5, 6 and upper 80 % 7, 8 agents: the axis reaches 8, not week 2's 99
    agent_ticks = [float(t) for t in re.findall(r">(\d+(?:\.\d+)?)</text>", agents)]
    assert 8 <= max(agent_ticks) < 99
    assert 'data-series="scheduled agents, upper 80 %"' in agents


def test_no_forecast_rows_is_a_note_and_the_reasons_are_listed(
    tiny_warehouse: Path,
) -> None:
    assert SHOWN_WEEKS == MIN_HISTORY_WEEKS
    html = render_section(tiny_warehouse, s.forecast_plan)
    assert "No forecast yet: needs 3 weeks of history." in html
    assert "<svg" not in html
    with duckdb.connect(str(tiny_warehouse)) as connection:
        insert(
            connection,
            "reports.rpt_forecast_accuracy",
            [
                {
                    "queue_id": "q_new",
                    "is_forecast": False,
                    "forecast_null_reason": "no_history",
                }
            ],
        )
    html = render_section(tiny_warehouse, s.forecast_plan)
    assert "No forecast yet" in html
    assert "no: no_history" in _row_of(html, "q_new")


def test_a_warehouse_without_the_tables_says_so(tiny_warehouse: Path) -> None:
    execute(tiny_warehouse, "drop table reports.rpt_staffing_plan_daily")
    html = render_section(tiny_warehouse, s.forecast_plan)
    assert "No forecast yet: needs 3 weeks of history." in html
    assert "reports.rpt_staffing_plan_daily" in html


def test_the_week_axis_is_elapsed_time_ticked_at_local_midnights() -> None:
    """New York's spring-forward Sunday is 23 hours wide: Monday's midnight (04:00Z)
    sits at 23 h, and 03:00 EDT (07:00Z) two hours after Sunday's (05:00Z)."""
    week = _LocalWeek.of(date(2026, 3, 8), date(2026, 3, 9), "America/New_York")
    assert week.ticks == [(0.0, "Sun 08"), (23.0, "Mon 09")]
    assert week.domain == (0.0, 47.0)
    assert week.x(datetime(2026, 3, 8, 7, 0)) == 2.0
    assert _LocalWeek.of(MONDAY, MONDAY, "Not/AZone").zone == "UTC"
