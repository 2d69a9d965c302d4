"""Section 1, the OKR scorecard: every key result's latest whole period against its
target, with its interval, change, status, trend and the running period beside it."""

from __future__ import annotations

from collections.abc import Mapping

from opsmart.report import charts
from opsmart.report._html import (
    OKR_STATUSES,
    esc,
    fmt_count,
    fmt_kpi,
    fmt_rate,
    fmt_seconds,
    note,
    status_badge,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _headline_and_running,
    _missing_note,
    _partial_mark,
    missing_tables,
    query,
)

__all__ = ["okr_scorecard"]

#: Periods drawn in an OKR trend sparkline.
_TREND_PERIODS = 8


#: Why a scorecard row has no change (rpt_okr_scorecard.change_null_reason).
_NOT_COMPARED = {
    "partial_period": "partial period: not compared",
    "first_period": "no previous period",
    "previous_period_partial": "no previous whole period",
    "no_data": "no data to compare",
}


#: A cell with nothing to show (not "no data": there is nothing to have).
_DASH = '<span class="muted">&ndash;</span>'


#: The key-result KPIs that queues have targets for, in the order shown.
_QUEUE_TARGETS = ("service_level_rate", "asa_seconds", "abandonment_rate")


def okr_scorecard(ctx: ReportContext) -> str:
    """Every key result on its latest complete period, the running one beside it.

    The headline of a key result is its latest complete week or month (actual,
    target, interval, change vs the previous whole period, status); the running
    period after it, still partial, is shown beside it with its partial mark. Only
    a key result without any complete period yet leads with a partial one, marked.
    """
    missing = _missing_note(ctx, "reports.rpt_okr_scorecard")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select key_result_id, objective, kpi, direction, owner_department,
            period_grain, channel_scope, significance_test, target, actual,
            actual_ci_lower, actual_ci_upper, sample_count, days_covered,
            change_from_previous, is_improving, is_change_significant,
            is_period_complete, status, change_null_reason, period_start_date
        from reports.rpt_okr_scorecard
        where ? is null or period_start_date <= ?
        order by objective, key_result_id, period_start_date
        """,
        [ctx.run_date, ctx.run_date],
    )
    if not rows:
        return note("No data: the OKR scorecard is empty.")
    history: dict[str, list[Row]] = {}
    for row in rows:
        history.setdefault(row["key_result_id"], []).append(row)
    body_rows, counts, provisional = [], dict.fromkeys(OKR_STATUSES, 0), 0
    for periods in history.values():
        headline, running = _headline_and_running(periods)
        counts[headline["status"] if headline["status"] in counts else "no_data"] += 1
        provisional += not headline["is_period_complete"]
        body_rows.append(_key_result_cells(headline, running, periods, ctx.currency))
    summary = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items())
    if provisional:
        summary += f" ({provisional} of them on a partial period: no whole period yet)"
    return (
        f'<p class="summary">Latest complete periods: {esc(summary)}.</p>'
        + table(
            [
                "Key result",
                "Objective",
                "Owner",
                "Period (latest complete)",
                "Actual",
                "Target",
                "95 % interval",
                "Trend (change vs previous whole period)",
                "Status",
                "Running period (partial)",
            ],
            body_rows,
            numeric=(4, 5),
            css_class="scorecard",
        )
        + _scorecard_note(ctx)
        + _target_levels(ctx, history)
    )


def _key_result_cells(
    headline: Row, running: Row | None, periods: list[Row], currency: str
) -> list[str]:
    """One scorecard row: the key result on its headline period, with its trend
    and the running period beside it."""
    kpi = headline["kpi"]
    return [
        f"<strong>{esc(kpi)}</strong><br><small>{esc(headline['key_result_id'])}"
        f"</small><br><small class=muted>{_scope(headline)}</small>",
        esc(headline["objective"]),
        esc(headline["owner_department"]),
        _period(headline),
        fmt_kpi(kpi, headline["actual"], currency),
        fmt_kpi(kpi, headline["target"], currency),
        _interval(kpi, headline, currency),
        _change(kpi, headline, currency) + " " + _trend(headline, periods),
        _status(headline),
        _running(running, currency),
    ]


def _trend(headline: Row, periods: list[Row]) -> str:
    """The sparkline of the key result's last periods against its target."""
    kpi = headline["kpi"]
    # whole periods up to the headline (its last); all of them if none is whole
    trend = [p for p in periods if p["is_period_complete"]] or periods
    return charts.sparkline(
        [p["actual"] for p in trend[-_TREND_PERIODS:]],
        title=f"{kpi}: last {min(len(trend), _TREND_PERIODS)} "
        + ("whole " if headline["is_period_complete"] else "")
        + "periods",
        target=headline["target"],
    )


def _scorecard_note(ctx: ReportContext) -> str:
    """How to read the scorecard: periods, statuses, significance, intervals."""
    minimum = ctx.var("okr_min_sample_size", "the minimum")
    return note(
        "Each key result leads with its latest complete week or month; the "
        "running one, which the data covers only in part, is beside it with the "
        "number of its days covered, and its status is provisional. Changes "
        "compare whole periods only. Status: on track meets the target; at risk "
        "is within the tolerance (var okr_at_risk_tolerance_rate) of it, or "
        "improving significantly; off track is further away; insufficient data "
        f"means fewer than {minimum} contacts, answers or customers (var "
        "okr_min_sample_size), too few to call. * marks a change larger than its "
        "sampling noise (5 % test with the KPI's own variance: two-proportion z "
        "for rates, Welch's t for AHT and ASA, pooled multinomial z for NPS); "
        "cost per contact and occupancy have no per-contact variance and are "
        "not tested. The interval is the 95 % interval of the actual (Wilson for "
        "rates, adjusted Wald for NPS, t for means); it stays wide at small n.",
        kind="info",
    )


def _marked(row: Row) -> str:
    mark = _partial_mark(row)
    return f' <small class="partial">({esc(mark)})</small>' if mark else ""


def _period(row: Row) -> str:
    return f"{esc(row['period_grain'])} of {row['period_start_date']}" + _marked(row)


def _status(row: Row) -> str:
    """The status badge; on a partial period never without its partial mark."""
    return status_badge(row["status"]) + _marked(row)


def _scope(row: Row) -> str:
    scope = row["channel_scope"]
    if scope is None or scope == "all":
        return "all channels"
    return esc(", ".join(scope.split("|")))


def _running(row: Row | None, currency: str) -> str:
    if row is None:
        return _DASH
    return (
        f"{_period(row)}<br>{fmt_kpi(row['kpi'], row['actual'], currency)} "
        + _status(row)
    )


def _target_levels(ctx: ReportContext, history: Mapping[str, list[Row]]) -> str:
    """Key-result targets next to the queue catalog's targets, for the queue KPIs."""
    results = [
        periods[-1]
        for periods in history.values()
        if periods[-1]["kpi"] in _QUEUE_TARGETS
    ]
    if missing_tables(ctx.connection, "marts.dim_queues") or not results:
        return ""
    queues = query(
        ctx,
        """
        select queue_id, channel, sl_threshold_seconds, sl_target_rate,
            asa_target_seconds, abandonment_target_rate
        from marts.dim_queues
        where sl_target_rate is not null or asa_target_seconds is not null
            or abandonment_target_rate is not null
        order by channel, queue_id
        """,
    )
    rows = []
    for result in results:
        bound = "&ge;" if result["direction"] == "higher_is_better" else "&le;"
        target = f"{bound} {fmt_kpi(result['kpi'], result['target'], ctx.currency)}"
        rows.append(
            [
                f"key result <small>{esc(result['key_result_id'])}</small>",
                _scope(result),
                f"center, per {esc(result['period_grain'])}",
                *(target if kpi == result["kpi"] else _DASH for kpi in _QUEUE_TARGETS),
            ]
        )
    scopes = [r["channel_scope"] or "all" for r in results]
    for queue in queues:
        counted = any(
            scope == "all" or queue["channel"] in scope.split("|") for scope in scopes
        )
        threshold = queue["sl_threshold_seconds"]
        rows.append(
            [
                f"queue {esc(queue['queue_id'])}"
                + ("" if counted else " <small class=muted>(in no key result)</small>"),
                esc(queue["channel"]),
                "queue, per interval",
                fmt_rate(queue["sl_target_rate"], 0)
                + (f" within {threshold:,} s" if threshold is not None else ""),
                fmt_seconds(queue["asa_target_seconds"]),
                fmt_rate(queue["abandonment_target_rate"], 0),
            ]
        )
    return (
        "<h3>Key-result targets and queue targets</h3>"
        + table(
            ["Target of", "Channels", "Level", "Service level", "ASA", "Abandonment"],
            rows,
            numeric=(3, 4, 5),
        )
        + note(
            "A key result is the center's objective for the review period, over "
            "its channels; a queue's targets (the queue catalog) are its operating "
            "targets for every interval, and its service-level target is what the "
            "required agents (Erlang A) are computed to meet. They need not agree: "
            "the center can meet every queue's target and still miss a more "
            "ambitious key result, or meet the key result while one queue misses.",
            kind="info",
        )
    )


def _interval(kpi: str, row: Row, currency: str) -> str:
    low, high = row["actual_ci_lower"], row["actual_ci_upper"]
    if low is None or high is None:
        reason = (
            "not tested: no per-unit variance"
            if row["significance_test"] == "not_tested"
            else "no interval"
        )
        return f'<span class="muted" title="{esc(reason)}">&ndash;</span>'
    samples = fmt_count(row["sample_count"])
    return (
        f"{fmt_kpi(kpi, low, currency)} to {fmt_kpi(kpi, high, currency)}"
        f"<br><small>n = {samples}</small>"
    )


def _change(kpi: str, row: Row, currency: str) -> str:
    change = row["change_from_previous"]
    if change is None:
        reason = _NOT_COMPARED.get(row["change_null_reason"], "no previous period")
        return f'<span class="muted">{esc(reason)}</span>'
    if kpi.endswith("_rate"):
        text = f"{change * 100:+.1f} pp"
    elif kpi.endswith("_seconds"):
        text = f"{change:+,.1f} s"
    elif kpi.endswith("_amount"):
        text = f"{change:+,.2f} {currency}"
    else:
        text = f"{change:+,.1f}"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    tone = {True: "good", False: "bad"}.get(row["is_improving"], "muted")
    star = "*" if row["is_change_significant"] else ""
    return f'<span class="{tone}">{arrow} {esc(text)}{star}</span>' + _untested(row)


def _untested(row: Row) -> str:
    """Why a change carries no significance verdict, if it does not."""
    if row["is_change_significant"] is not None:
        return ""
    if row["significance_test"] == "not_tested":
        reason = "not tested"
    else:  # a period below var okr_min_sample_size (or, rarely, without variance)
        reason = "too few to test"
    return f' <small class="muted">({esc(reason)})</small>'
