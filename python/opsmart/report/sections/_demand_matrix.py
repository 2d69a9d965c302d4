"""Section 7, the demand matrix: contact reasons on predictability x complexity,
each with its operating model."""

from __future__ import annotations

from opsmart.report import charts
from opsmart.report._html import (
    chart_beside,
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
    _missing_note,
    _percent,
    query,
)

__all__ = ["demand_matrix"]

#: The dbt_project.yml defaults of the demand-matrix thresholds, used only when the
#: warehouse has no run log to say which values the build used.
_DEMAND_DEFAULTS = {
    "demand_predictable_max_error_rate": 0.2,
    "demand_complex_min_index": 0.5,
    "demand_min_forecast_days": 28,
}


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
    max_error, min_index, min_days = _thresholds(ctx)
    svg = _matrix_chart(rows, max_error, min_index)
    body = _reasons_table(rows)
    period = f"{rows[0]['period_start_date']} to {rows[0]['period_end_date']}"
    return chart_beside(svg, body) + note(
        f"Over {period}. Predictable: forecast error <= {_percent(max_error)}; "
        f"complex: index >= {min_index:g}. A reason needs {min_days} forecast days "
        "before its predictability is known; until then it sits in the "
        "'no forecast yet' strip and has no operating model. Dot size: contacts.",
        kind="info",
    )


def _thresholds(ctx: ReportContext) -> tuple[float, float, object]:
    """The largest forecast error still predictable, the smallest complexity index
    that is complex, and the forecast days a reason needs: the build's vars, or the
    project defaults when the warehouse does not say which values were used."""
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
    return max_error, min_index, min_days


def _matrix_chart(rows: list[Row], max_error: float, min_index: float) -> str:
    """The reasons on predictability x complexity, each dot sized by its contacts."""
    biggest = max((r["contacts"] or 0) for r in rows) or 1
    return charts.quadrant_chart(
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


def _reasons_table(rows: list[Row]) -> str:
    return table(
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


def _operating_model(row: Row) -> str:
    if row["operating_model"]:
        return esc(row["operating_model"].replace("_", " "))
    days = fmt_count(row["days_forecast"])
    return f'<span class="na" title="{days} forecast days">no data</span>'
