"""Whole periods on the small simulated center (35 days): dim_periods agrees with the
contacts' span recomputed here, every report with a week or a month carries its
period's mark, and the HTML report leads with complete periods and marks the
partial ones.

The checks read the dates the warehouse holds rather than fixed dates, so they hold
whatever calendar (UTC or the center's zone) the marts' dates are in.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from opsmart.report import render_report

pytestmark = pytest.mark.pipeline


def _rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def warehouse(small_center: Path) -> Path:
    return small_center / "opsmart.duckdb"


def _period_end(grain: str, start: date) -> date:
    if grain == "week":
        return start + timedelta(days=6)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def test_periods_are_whole_exactly_inside_the_span(warehouse: Path) -> None:
    span = _rows(
        warehouse,
        "select min(arrived_date) as first, max(arrived_date) as last "
        "from marts.fct_contacts",
    )[0]
    first, last = span["first"], span["last"]
    periods = _rows(
        warehouse, "select * from marts.dim_periods order by 1, period_start_date"
    )
    expected_starts = {
        "week": {first - timedelta(days=first.weekday())},
        "month": {first.replace(day=1)},
    }
    for grain, starts in expected_starts.items():
        start = min(starts)
        while start <= last:
            starts.add(start)
            end = _period_end(grain, start)
            start = end + timedelta(days=1)
    assert {(p["period_grain"], p["period_start_date"]) for p in periods} == {
        (grain, start) for grain, starts in expected_starts.items() for start in starts
    }
    for period in periods:
        start, end = period["period_start_date"], period["period_end_date"]
        assert end == _period_end(period["period_grain"], start)
        assert period["days_in_period"] == (end - start).days + 1
        covered = (min(end, last) - max(start, first)).days + 1
        assert period["days_covered"] == covered
        assert period["is_period_complete"] == (start >= first and end <= last)
        assert (period["data_first_date"], period["data_last_date"]) == (first, last)
    # 35 days from a Monday: five whole weeks, whatever the zone of the dates
    complete_weeks = [
        p for p in periods if p["period_grain"] == "week" and p["is_period_complete"]
    ]
    assert len(complete_weeks) >= 5
    # only the first and the last period of a grain can be partial
    for grain in ("week", "month"):
        starts = [p["period_start_date"] for p in periods if p["period_grain"] == grain]
        partial = [
            p["period_start_date"]
            for p in periods
            if p["period_grain"] == grain and not p["is_period_complete"]
        ]
        assert set(partial) <= {starts[0], starts[-1]}


@pytest.mark.parametrize(
    ("report", "grain", "start"),
    [
        ("rpt_okr_scorecard", "report.period_grain", "report.period_start_date"),
        (
            "rpt_cost_vs_satisfaction",
            "report.period_grain",
            "report.period_start_date",
        ),
        ("rpt_quality_vs_productivity", "'week'", "report.week_start_date"),
    ],
)
def test_every_period_report_carries_its_mark(
    warehouse: Path, report: str, grain: str, start: str
) -> None:
    counts = _rows(
        warehouse,
        f"""
        select
            count(*) as rows,
            count(*) filter (where not report.is_period_complete) as partial,
            count(*) filter (
                where periods.period_start_date is null
                or report.is_period_complete != periods.is_period_complete
                or report.days_covered != periods.days_covered
            ) as differing
        from reports.{report} as report
        left join marts.dim_periods as periods
            on periods.period_grain = {grain}
            and periods.period_start_date = {start}
        """,
    )[0]
    assert counts["rows"] > 0
    assert counts["partial"] > 0  # the months of 35 days are partial
    assert counts["differing"] == 0


def test_html_report_leads_with_complete_periods(
    warehouse: Path, tmp_path: Path
) -> None:
    page = render_report(warehouse, tmp_path / "report.html").read_text()
    scorecard = _rows(
        warehouse,
        """
        select key_result_id, period_grain, period_start_date, days_covered,
            is_period_complete
        from reports.rpt_okr_scorecard
        order by key_result_id, period_start_date
        """,
    )
    periods: dict[str, list[dict[str, Any]]] = {}
    for row in scorecard:
        periods.setdefault(row["key_result_id"], []).append(row)
    table = re.search(r'<table class="scorecard">.*?</table>', page)
    assert table is not None
    for key_result, rows in periods.items():
        html = re.search(
            rf"<tr><td><strong>[a-z_]+</strong><br><small>{key_result}</small>.*?</tr>",
            table.group(0),
        )
        assert html is not None, key_result
        cells = re.findall(r"<td[^>]*>(.*?)</td>", html.group(0))
        shown = re.match(r"(week|month) of (\d{4}-\d{2}-\d{2})", cells[3])
        assert shown is not None
        headline = next(
            r for r in rows if str(r["period_start_date"]) == shown.group(2)
        )
        complete = [r for r in rows if r["is_period_complete"]]
        if complete:
            assert headline == complete[-1], key_result
            assert "partial" not in cells[3] and "partial" not in cells[8]
        else:
            assert headline == rows[-1], key_result
            days = (
                7
                if headline["period_grain"] == "week"
                else calendar.monthrange(
                    headline["period_start_date"].year,
                    headline["period_start_date"].month,
                )[1]
            )
            mark = f"(partial, {headline['days_covered']} of {days} days)"
            assert mark in cells[3] and cells[8].endswith(f"{mark}</small>")
        # the running period beside it, if any, is the latest and partial
        if "&ndash;" not in cells[9]:
            assert not rows[-1]["is_period_complete"]
            assert f"of {rows[-1]['period_start_date']}" in cells[9]
            assert cells[9].endswith("days)</small>")
    months = _rows(
        warehouse,
        "select count(*) as n from marts.dim_periods "
        "where period_grain = 'month' and is_period_complete",
    )[0]["n"]
    cost = page[page.index('data-section="cost-vs-satisfaction"') :]
    if months:
        assert "the latest complete month" in cost
    else:
        assert "no complete month yet." in cost
