"""Section 4, the wait -> satisfaction -> churn curve: CSAT and churn by wait band,
and the fitted price of a second of waiting."""

from __future__ import annotations

from opsmart.report import charts
from opsmart.report._html import (
    NA,
    chart_grid,
    esc,
    fmt_count,
    fmt_money,
    fmt_number,
    is_missing,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _count,
    _counted,
    _missing_note,
    _percent,
    query,
)

__all__ = ["wait_curve"]


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
    svgs = [
        _csat_curve_chart(ctx, bands),
        _churn_curve_chart(ctx, bands),
    ]
    return (
        chart_grid(svgs)
        + note(
            "Bars are 95 % Wilson intervals; a band without answers or customers has "
            "no point. Churn counts only contacts whose whole follow-up window lies "
            "inside the data: churn lands on calendar dates, so a window cut short "
            "by the data's end would misstate it.",
            kind="info",
        )
        + _as_of(ctx)
        + _churn_effects(ctx)
    )


def _as_of(ctx: ReportContext) -> str:
    """As of when the curve and the fit are: nightly runs refit them on a schedule."""
    statistics = ctx.history_statistics
    if not statistics.get("as_of"):
        return ""
    refitted = statistics.get("refitted")
    when = "refitted by this run" if refitted else "this run kept them"
    return note(
        f"The curve and the fit below are as of {statistics['as_of']} "
        f"({when}; nightly runs refit them every "
        f"{statistics.get('every_days')} days, var "
        "history_statistics_refit_days).",
        kind="info",
    )


def _band_axis(
    bands: list[Row],
) -> tuple[list[tuple[float, str]], tuple[float, float]]:
    """The x ticks (one per wait band, in band order) and the x domain around them."""
    labels = {r["wait_band_index"]: r["wait_band"] for r in bands}
    ticks = [(float(i), str(label)) for i, label in sorted(labels.items())]
    return ticks, (-0.5, len(ticks) - 0.5)


def _curve(bands: list[Row], measure: str) -> list[charts.LineSeries]:
    """One line of `measure` for resolved and one for unresolved contacts, with its
    Wilson interval bars; the two are nudged apart so their bars do not overlap."""
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


def _csat_curve_chart(ctx: ReportContext, bands: list[Row]) -> str:
    ticks, domain = _band_axis(bands)
    return charts.line_chart(
        _curve(bands, "csat_rate"),
        title="CSAT (top-2-box) by queue wait",
        x_label="queue wait band",
        y_label="CSAT top-2-box (%)",
        x_ticks=ticks,
        x_domain=domain,
        y_domain=(0.0, 1.0),
        y_format=_percent,
        no_data=_no_csat_curve(ctx),
    )


def _churn_curve_chart(ctx: ReportContext, bands: list[Row]) -> str:
    ticks, domain = _band_axis(bands)
    window = ctx.var("churn_lookahead_days")
    return charts.line_chart(
        _curve(bands, "churn_rate"),
        title="Churn by queue wait"
        + (f" (within {window} days)" if window is not None else ""),
        x_label="queue wait band",
        y_label="churned (% of contacts followed up in full)",
        x_ticks=ticks,
        x_domain=domain,
        y_format=_percent,
        no_data=_no_churn_curve(ctx),
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
