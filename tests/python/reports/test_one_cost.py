"""One cost: the allocation recomputed from the lowest grain on a built warehouse.

From payroll (`fct_agent_intervals.staff_cost_amount`) and the handled contacts'
handle times alone, Python recomputes every contact's cost under the documented rule
(each queue-day's payroll by handle time, equal shares without any, nothing on a
queue-day without payroll), then checks that payroll = allocated + unallocated to the
cent and that cost per contact is one number in every mart and report that shows it.
Estimated staffing never becomes staffed hours, cost or money at stake.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytestmark = pytest.mark.pipeline

CENT_4 = Decimal("0.0001")
QueueDay = tuple[str, date]


def _rows(warehouse: Path, sql: str) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _round4(value: Decimal) -> Decimal:
    return value.quantize(CENT_4, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def warehouse(small_center: Path) -> Path:
    return small_center / "opsmart.duckdb"


@pytest.fixture(scope="module")
def payroll(warehouse: Path) -> dict[QueueDay, Decimal]:
    """Payroll per queue and day, from the lowest grain."""
    return {
        (row["queue_id"], row["day"]): row["payroll"]
        for row in _rows(
            warehouse,
            """
            select queue_id, interval_date as day, sum(staff_cost_amount) as payroll
            from marts.fct_agent_intervals
            group by 1, 2 having count(staff_cost_amount) > 0
            """,
        )
    }


@pytest.fixture(scope="module")
def contacts(warehouse: Path) -> list[dict[str, Any]]:
    return _rows(
        warehouse,
        """
        select contact_id, queue_id, channel, interval_date as day,
            arrived_date, handle_time_seconds, cost_amount
        from marts.fct_contacts
        where is_answered
        """,
    )


def test_contact_costs_recomputed_from_payroll(
    payroll: dict[QueueDay, Decimal], contacts: list[dict[str, Any]]
) -> None:
    by_day: dict[QueueDay, list[dict[str, Any]]] = defaultdict(list)
    for contact in contacts:
        by_day[contact["queue_id"], contact["day"]].append(contact)
    checked = 0
    for day, handled in by_day.items():
        if day not in payroll:
            assert all(c["cost_amount"] is None for c in handled), day
            continue
        seconds = sum(c["handle_time_seconds"] or 0.0 for c in handled)
        for contact in handled:
            share = (
                (contact["handle_time_seconds"] or 0.0) / seconds
                if seconds > 0
                else 1 / len(handled)
            )
            # each contact within a unit of the 4th decimal of its exact share
            exact = float(payroll[day]) * share
            assert abs(float(contact["cost_amount"]) - exact) <= 1e-4 + 1e-9, contact
        assert sum(c["cost_amount"] for c in handled) == payroll[day], day
        checked += 1
    assert checked > 100


def test_payroll_is_allocated_or_unallocated_to_the_cent(
    warehouse: Path, payroll: dict[QueueDay, Decimal], contacts: list[dict[str, Any]]
) -> None:
    handled_days = {(c["queue_id"], c["day"]) for c in contacts}
    days = _rows(
        warehouse,
        """
        select queue_id, interval_date, staff_cost_amount,
            allocated_staff_cost_amount, unallocated_staff_cost_amount
        from marts.fct_queue_days
        """,
    )
    for row in days:
        day = (row["queue_id"], row["interval_date"])
        if day not in payroll:
            assert row["staff_cost_amount"] is None, day
            assert row["unallocated_staff_cost_amount"] is None, day
            continue
        expected_unallocated = Decimal(0) if day in handled_days else payroll[day]
        assert row["staff_cost_amount"] == payroll[day], day
        assert row["unallocated_staff_cost_amount"] == expected_unallocated, day
        assert (
            row["allocated_staff_cost_amount"] + row["unallocated_staff_cost_amount"]
            == payroll[day]
        )
    total = sum(payroll.values())
    allocated = sum(c["cost_amount"] for c in contacts if c["cost_amount"] is not None)
    unallocated = sum(r["unallocated_staff_cost_amount"] or Decimal(0) for r in days)
    assert allocated + unallocated == total


def _expected_cost_per_contact(
    contacts: list[dict[str, Any]], unit: str
) -> dict[tuple[str, date], Decimal]:
    """Σ cost / contacts that carry a cost, per unit x arrival month, rounded once."""
    sums: dict[tuple[str, date], list[Decimal]] = defaultdict(list)
    for contact in contacts:
        if contact["cost_amount"] is not None:
            month = contact["arrived_date"].replace(day=1)
            sums[contact[unit], month].append(contact["cost_amount"])
    return {key: _round4(sum(costs) / len(costs)) for key, costs in sums.items()}


def test_cost_per_contact_is_one_number(
    warehouse: Path, contacts: list[dict[str, Any]]
) -> None:
    """The same queue (or channel) and month: the same number in
    rpt_cost_vs_satisfaction, in fct_queue_days' days summed, and (center-wide) in
    rpt_okr_scorecard."""
    for unit, dimension in (("queue_id", "queue"), ("channel", "channel")):
        expected = _expected_cost_per_contact(contacts, unit)
        report = {
            (r["dimension_value"], r["period_start_date"]): r["cost_per_contact_amount"]
            for r in _rows(
                warehouse,
                f"""
                select dimension_value, period_start_date, cost_per_contact_amount
                from reports.rpt_cost_vs_satisfaction
                where dimension_type = '{dimension}' and period_grain = 'month'
                    and cost_per_contact_amount is not null
                """,
            )
        }
        assert report == expected
    days = {
        (r["queue_id"], r["month"]): _round4(r["allocated"] / r["answered"])
        for r in _rows(
            warehouse,
            """
            select queue_id, cast(date_trunc('month', interval_date) as date) as month,
                sum(allocated_staff_cost_amount) as allocated,
                sum(contacts_answered) as answered
            from marts.fct_queue_days
            where allocated_staff_cost_amount is not null
            group by 1, 2 having sum(contacts_answered) > 0
            """,
        )
    }
    assert days == _expected_cost_per_contact(contacts, "queue_id")
    center = _expected_cost_per_contact(
        [{**c, "center": "all"} for c in contacts], "center"
    )
    scorecard = {
        ("all", r["period_start_date"]): Decimal(str(r["actual"]))
        for r in _rows(
            warehouse,
            """
            select period_start_date, actual from reports.rpt_okr_scorecard
            where kpi = 'cost_per_contact_amount' and period_grain = 'month'
                and actual is not null
            """,
        )
    }
    assert scorecard == center


def test_estimated_staffing_is_never_staffed_hours_cost_or_money(
    warehouse: Path,
) -> None:
    (estimated,) = _rows(
        warehouse,
        """
        select
            count(*) as intervals,
            count(staffed_agents) + count(staff_cost_amount) + count(occupancy_rate)
                as measured_values,
            count(baseline_staffed_agents) as baseline_values
        from marts.fct_queue_intervals
        where is_staffing_estimated
        """,
    )
    assert estimated["intervals"] > 0
    assert estimated["measured_values"] == 0
    assert estimated["baseline_values"] > 0
    # staffed hours are the logged hours, queue by queue and day
    hours = _rows(
        warehouse,
        """
        with logged as (
            select queue_id, interval_date, sum(staffed_seconds) / 3600 as hours
            from marts.fct_agent_intervals
            group by 1, 2
        )
        select days.queue_id, days.interval_date, days.staffed_agent_hours,
            logged.hours
        from marts.fct_queue_days as days
        left join logged using (queue_id, interval_date)
        """,
    )
    for row in hours:
        if row["hours"] is None:
            assert row["staffed_agent_hours"] is None, row
        else:
            assert row["staffed_agent_hours"] == pytest.approx(row["hours"]), row
    (money,) = _rows(
        warehouse,
        """
        select count(staffing.money_at_stake_amount) as priced
        from reports.rpt_staffing as staffing
        inner join marts.fct_queue_intervals as intervals
            using (queue_id, interval_start_at)
        where intervals.is_staffing_estimated
        """,
    )
    assert money["priced"] == 0
