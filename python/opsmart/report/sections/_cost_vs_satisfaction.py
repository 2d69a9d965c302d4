"""Section 3, cost per contact vs CSAT and NPS by queue and segment: the latest
whole month, the running month beside it, and the payroll no contact carries."""

from __future__ import annotations

from datetime import date

from opsmart.report import charts
from opsmart.report._html import (
    NA,
    chart_beside,
    esc,
    fmt_count,
    fmt_money,
    fmt_number,
    fmt_points,
    fmt_rate,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _counted,
    _headline_and_running,
    _missing_note,
    _money,
    _partial_mark,
    _percent,
    missing_tables,
    query,
)

__all__ = ["cost_vs_satisfaction"]


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
        + chart_beside(svg, _units_table(ctx, rows))
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
