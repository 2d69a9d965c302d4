"""The report leads with the latest complete period and marks the running one.

Rows are added to a copy of the tiny warehouse: a service-level key result with two
whole weeks and a running week of one day, an abandonment key result that has only
a partial week so far, two months of cost figures (a whole February, a running
March of two days) and the queue catalog's targets.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from report_warehouse import execute, insert, render_section

from opsmart.report import sections as s
from opsmart.report.render import build_context

OPERATIONS = {"objective": "Answer customers", "owner_department": "operations"}
SERVICE_LEVEL = {
    **OPERATIONS,
    "key_result_id": "kr_sl",
    "kpi": "service_level_rate",
    "direction": "higher_is_better",
    "channel_scope": "voice|chat",
    "significance_test": "two_proportion_z",
    "target": 0.9,
    "period_grain": "week",
    "sample_count": 400,
}


def _row_of(html: str, marker: str) -> str:
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html) if marker in row]
    assert len(rows) == 1, f"expected one row with {marker!r}, got {len(rows)}"
    return rows[0]


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


@pytest.fixture
def warehouse(tiny_warehouse: Path) -> Path:
    with duckdb.connect(str(tiny_warehouse)) as connection:
        insert(
            connection,
            "reports.rpt_okr_scorecard",
            [
                {
                    **SERVICE_LEVEL,
                    "actual": 0.86,
                    "status": "at_risk",
                    "is_period_complete": True,
                    "days_covered": 7,
                    "change_null_reason": "first_period",
                    "period_start_date": date(2026, 2, 16),
                },
                {
                    **SERVICE_LEVEL,
                    "actual": 0.91,
                    "previous_actual": 0.86,
                    "change_from_previous": 0.05,
                    "is_improving": True,
                    "is_change_significant": True,
                    "change_statistic": 2.2,
                    "status": "on_track",
                    "is_period_complete": True,
                    "days_covered": 7,
                    "period_start_date": date(2026, 2, 23),
                },
                # the running week: one day so far, on track on that day only
                {
                    **SERVICE_LEVEL,
                    "actual": 1.0,
                    "sample_count": 35,
                    "status": "on_track",
                    "is_period_complete": False,
                    "days_covered": 1,
                    "change_null_reason": "partial_period",
                    "period_start_date": date(2026, 3, 2),
                },
                {
                    **OPERATIONS,
                    "key_result_id": "kr_abandon",
                    "kpi": "abandonment_rate",
                    "direction": "lower_is_better",
                    "channel_scope": "voice|chat",
                    "significance_test": "two_proportion_z",
                    "target": 0.04,
                    "actual": 0.08,
                    "sample_count": 35,
                    "status": "off_track",
                    "is_period_complete": False,
                    "days_covered": 1,
                    "change_null_reason": "partial_period",
                    "period_grain": "week",
                    "period_start_date": date(2026, 3, 2),
                },
            ],
        )
        connection.execute(
            "update reports.rpt_cost_vs_satisfaction "
            "set is_period_complete = false, days_covered = 2"
        )
        february = {
            "period_grain": "month",
            "period_start_date": date(2026, 2, 1),
            "is_period_complete": True,
            "days_covered": 28,
            "csat_responses": 40,
        }
        insert(
            connection,
            "reports.rpt_cost_vs_satisfaction",
            [
                {
                    **february,
                    "dimension_type": "queue",
                    "dimension_value": "q1",
                    "contacts_handled": 900,
                    "cost_per_contact_amount": 7.25,
                    "csat_rate": 0.8,
                    "is_pareto_efficient": True,
                },
                {
                    **february,
                    "dimension_type": "segment",
                    "dimension_value": "unknown",
                    "contacts_handled": 900,
                    "cost_per_contact_amount": 7.25,
                    "csat_rate": 0.8,
                    "is_pareto_efficient": True,
                },
            ],
        )
        insert(
            connection,
            "marts.dim_queues",
            [
                {
                    "queue_id": "q1",
                    "channel": "voice",
                    "sl_threshold_seconds": 20,
                    "sl_target_rate": 0.8,
                    "asa_target_seconds": 30,
                    "abandonment_target_rate": 0.05,
                },
                {
                    "queue_id": "q_email",
                    "channel": "email",
                    "sl_threshold_seconds": 86400,
                    "sl_target_rate": 0.9,
                    "asa_target_seconds": 28800,
                    "abandonment_target_rate": 0.0,
                },
            ],
        )
    return tiny_warehouse


@pytest.fixture
def scorecard(warehouse: Path) -> str:
    """The scorecard section of the warehouse with partial periods."""
    return render_section(warehouse, s.okr_scorecard)


def test_scorecard_leads_with_the_latest_whole_week(scorecard: str) -> None:
    html = scorecard
    cells = _cells(_row_of(html, "<small>kr_sl</small><br>"))
    key_result, period, actual, change, status, running = (
        cells[0],
        cells[3],
        cells[4],
        cells[7],
        cells[8],
        cells[9],
    )
    assert "voice, chat" in key_result
    assert period == "week of 2026-02-23"
    assert actual == "91.0&nbsp;%"
    assert "+5.0 pp*" in change and "last 2 whole periods" in change
    assert status == '<span class="status status-on_track">on track</span>'
    # the running week beside it: its day's actual, provisional, always marked
    assert running.startswith(
        'week of 2026-03-02 <small class="partial">(partial, 1 of 7 days)</small>'
    )
    assert "100.0&nbsp;%" in running
    assert running.endswith(
        'on track</span> <small class="partial">(partial, 1 of 7 days)</small>'
    )


def test_a_key_result_without_a_whole_period_leads_marked_partial(
    scorecard: str,
) -> None:
    html = scorecard
    cells = _cells(_row_of(html, "<small>kr_abandon</small><br>"))
    mark = '<small class="partial">(partial, 1 of 7 days)</small>'
    assert cells[3] == f"week of 2026-03-02 {mark}"
    assert cells[7].startswith(
        '<span class="muted">partial period: not compared</span>'
    )
    assert cells[8] == f'<span class="status status-off_track">off track</span> {mark}'
    assert cells[9] == '<span class="muted">&ndash;</span>'
    assert "(1 of them on a partial period: no whole period yet)" in html


def test_every_on_or_off_track_of_a_partial_period_carries_the_mark(
    scorecard: str,
) -> None:
    html = scorecard
    badges = re.findall(
        r'status-(?:on_track|at_risk|off_track)">[a-z ]+</span>'
        r'( <small class="partial">\(partial, \d+ of \d+ days\)</small>)?',
        html,
    )
    # kr_aht, kr_nps, kr_occupancy and kr_sl lead with whole periods; the running
    # week of kr_sl and the only week of kr_abandon are partial
    assert sorted(bool(mark) for mark in badges) == [False] * 4 + [True] * 2


def test_key_result_targets_beside_queue_targets(scorecard: str) -> None:
    html = scorecard
    assert "<h3>Key-result targets and queue targets</h3>" in html
    sl = _cells(_row_of(html, "key result <small>kr_sl</small>"))
    assert sl[1:4] == ["voice, chat", "center, per week", "&ge; 90.0&nbsp;%"]
    abandon = _cells(_row_of(html, "key result <small>kr_abandon</small>"))
    assert abandon[5] == "&le; 4.0&nbsp;%"
    voice = _cells(_row_of(html, "queue q1"))
    assert voice[3:6] == ["80&nbsp;% within 20 s", "30&nbsp;s", "5&nbsp;%"]
    email = _row_of(html, "queue q_email")
    assert "(in no key result)" in email and "90&nbsp;% within 86,400 s" in email
    assert "center&#x27;s objective for the review period" in html


def test_cost_section_leads_with_the_whole_month_and_marks_the_running_one(
    warehouse: Path,
) -> None:
    html = render_section(warehouse, s.cost_vs_satisfaction)
    assert "Month of 2026-02, the latest complete month (28 days)." in html
    assert "Cost per contact vs CSAT, month of 2026-02</text>" in html
    headline, running = html.split("<h3>Running month of 2026-03")
    assert "7.25" in headline and "7.25" not in running
    assert running.startswith(" (partial, 2 of 31 days)</h3>")


def test_cost_section_of_whole_months_only_has_nothing_beside(
    tiny_connection: duckdb.DuckDBPyConnection,
) -> None:
    html = s.cost_vs_satisfaction(build_context(tiny_connection))
    assert "Month of 2026-03, the latest complete month (31 days)." in html
    assert "Running month" not in html


def test_cost_section_without_a_whole_month_says_so(tiny_warehouse: Path) -> None:
    execute(
        tiny_warehouse,
        "update reports.rpt_cost_vs_satisfaction "
        "set is_period_complete = false, days_covered = 2",
    )
    html = render_section(tiny_warehouse, s.cost_vs_satisfaction)
    assert "Month of 2026-03, partial, 2 of 31 days: no complete month yet." in html
    assert "month of 2026-03 (partial, 2 of 31 days)</text>" in html
    assert "Running month" not in html
