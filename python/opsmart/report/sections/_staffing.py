"""Section 5, value-optimal staffing: actual vs target (Erlang A) vs value-optimal
agent-hours on the run date, and the money at stake next to payroll."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from opsmart.report import charts
from opsmart.report._html import (
    NA,
    chart_beside,
    esc,
    fmt_money,
    fmt_number,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _one_decimal,
    _run_date_or_note,
    query,
)

__all__ = ["staffing"]


def staffing(ctx: ReportContext) -> str:
    """Actual vs target (Erlang A) vs value-optimal agent-hours on the run date, and
    the money at stake as a range next to payroll (that day and the whole data)."""
    run_date = _run_date_or_note(ctx, "reports.rpt_staffing_daily")
    if isinstance(run_date, str):
        return run_date
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
        [run_date],
    )
    if not rows:
        return note(f"No data: no staffing figures for {run_date}.")
    svg = _agent_hours_chart(rows, run_date)
    currency = ctx.currency
    body = _queue_money_table(rows, currency)
    return (
        f'<p class="headline">Money at stake on {run_date}: '
        f"{_stake_against_payroll(rows, currency)} (cost of staff, waiting and "
        "abandonment at the actual staffing minus at the value-optimal staffing; "
        "the range comes from the 95 % intervals of the prices of waiting and "
        "abandoning).</p>"
        + _stake_over_the_data(ctx)
        + chart_beside(svg, body)
        + _unpriced_note(rows)
    )


def _agent_hours_chart(rows: Sequence[Row], day: date) -> str:
    """Actual, target and value-optimal agent-hours of each queue that had contacts
    or staff that day (an idle queue would only add empty bars)."""
    shown = [
        r for r in rows if (r["contacts_offered"] or 0) > 0 or r["actual_agent_hours"]
    ]
    return charts.bar_chart(
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
        title=f"Agent-hours by queue, {day}",
        x_label="queue",
        y_label="agent-hours",
        y_format=_one_decimal,
        no_data="no data: no queue had contacts or staff",
    )


def _queue_money_table(rows: Sequence[Row], currency: str) -> str:
    return table(
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


def _unpriced_note(rows: Sequence[Row]) -> str:
    """Which queues had intervals without a cost, so the sums leave them out;
    empty when every interval with contacts was priced."""
    unpriced = [
        f"{r['queue_id']} {r['intervals_priced']} of {r['intervals']}"
        for r in rows
        if (r["contacts_offered"] or 0) > 0 and r["intervals_priced"] != r["intervals"]
    ]
    if not unpriced:
        return ""
    return note(
        "Intervals without a cost are left out of the sums (priced: "
        + ", ".join(unpriced)
        + ").",
        kind="info",
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
