"""The Streamlit app of `opsmart explore`: thin pages over `opsmart.explore.frames`.

Streamlit runs this file as a script (`opsmart.explore.launch` starts it with the
warehouse's path in ``$OPSMART_EXPLORE_WAREHOUSE``); importing it does nothing.
Each page run opens the warehouse read-only, reads its frames and closes it, so a
nightly run can publish a new file at any time and the next page run reads the new
one. Every number comes from a frame (the marts and
reports); this file only picks arguments and draws.

A page's pickers start from the URL's query parameters when given (``?queue=...``),
so a view can be shared as a link: what-if ``queue``, ``day`` (``YYYY-MM-DD``,
comma-separated), ``hours`` (``H1-H2``), ``delta``; queue page ``queue``, ``day``;
scorecard ``grain``, ``period`` (a start date).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from opsmart.analyst import WarehouseError, open_warehouse
from opsmart.analyst.plan import (
    PlanWhatIf,
    plan_queues,
    plan_rows,
    plan_what_if,
    what_if_notes,
)
from opsmart.explore import frames
from opsmart.explore.formats import (
    amount,
    formatted,
    is_missing,
    kpi_change,
    kpi_value,
    number,
    percent,
    points,
)
from opsmart.explore.launch import WAREHOUSE_VARIABLE

__all__ = ["main"]

#: Days of feedback shown by default, as in the nightly report.
FEEDBACK_DAYS = 28


def _warehouse() -> Path:
    """The warehouse the launcher passed (`WAREHOUSE_VARIABLE`)."""
    return Path(os.environ.get(WAREHOUSE_VARIABLE, "build/demo/opsmart.duckdb"))


@contextmanager
def _connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-only, for one page run."""
    connection = open_warehouse(_warehouse())
    try:
        yield connection
    finally:
        connection.close()


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return str(value) if value else None


def _index(options: Sequence[object], wanted: object, default: int = 0) -> int:
    return options.index(wanted) if wanted in options else default


def _missing(connection: duckdb.DuckDBPyConnection, *tables: str) -> bool:
    """Say which tables are missing; True when any is."""
    absent = frames.missing_tables(connection, *tables)
    if absent:
        st.info(f"No data: the warehouse has no {', '.join(absent)}.")
    return bool(absent)


def page_what_if() -> None:
    """What-if: ±N agents at some hours of the staffing plan."""
    st.header("What if: more or fewer agents on the staffing plan")
    with _connection() as connection:
        if _missing(connection, "reports.rpt_staffing_plan"):
            return
        queues = plan_queues(connection)
        if not queues:
            st.info("No data: the staffing plan is empty (too little history).")
            return
        queue = st.selectbox(
            "Queue", queues, index=_index(queues, _param("queue")), key="wi_queue"
        )
        rows, _ = plan_rows(connection, str(queue))
        horizon = sorted(set(pd.to_datetime(rows["interval_date"]).dt.date))
        wanted = [
            d for d in (_param("day") or "").split(",") if d and _is_date(d, horizon)
        ]
        days = st.multiselect(
            "Local days of the plan",
            horizon,
            default=[date.fromisoformat(d) for d in wanted] or horizon[:1],
            key="wi_days",
        )
        start, end = _hours(_param("hours") or "9-12")
        hours = st.slider("Local hours", 0, 24, (start, end), key="wi_hours")
        delta = int(
            st.number_input(
                "Agents on the phones to add (negative: remove)",
                min_value=-50,
                max_value=50,
                value=int(_param("delta") or 1),
                step=1,
                key="wi_delta",
            )
        )
        if not days or hours[0] >= hours[1]:
            st.info("Pick at least one day and one hour.")
            return
        try:
            found = plan_what_if(
                connection, str(queue), delta, days=days, hours=(hours[0], hours[1])
            )
        except WarehouseError as error:
            st.info(str(error))
            return
    _show_what_if(found)


def _show_what_if(found: PlanWhatIf) -> None:
    r = found.result
    st.caption(
        f"{r.intervals} intervals ({r.hours:,.1f} h), "
        f"{r.contacts_offered:,.0f} contacts forecast; baseline: the plan's "
        "required agents; Erlang A with the queue's patience (Erlang C without)."
    )
    a, b, c, d = st.columns(4)
    a.metric(
        "Service level",
        percent(r.changed.service_level_rate),
        points(r.changed.service_level_rate - r.baseline.service_level_rate),
    )
    b.metric(
        "Abandonment",
        percent(r.changed.abandon_rate),
        points(r.changed.abandon_rate - r.baseline.abandon_rate),
        delta_color="inverse",
    )
    c.metric(
        "ASA (s)",
        number(r.changed.asa_seconds),
        number(r.changed.asa_seconds - r.baseline.asa_seconds, signed=True),
        delta_color="inverse",
    )
    d.metric(
        "Net cost (staff + priced waiting)",
        amount(r.net_cost_change_amount, signed=True),
    )
    summary = frames.what_if_summary(found)
    rates = {
        "service level",
        "abandonment",
        "CSAT top-2-box",
        "churn per customer window",
    }
    shown = []
    for row in summary.itertuples(index=False):
        rate = row.measure in rates
        value: Callable[[object], str] = percent if rate else number
        change: Callable[[object], str] = points if rate else _signed
        ends = (
            f"[{change(row.change_lower)}, {change(row.change_upper)}]"
            if not is_missing(row.change_lower)
            else ""
        )
        shown.append(
            {
                "measure": row.measure,
                "baseline": value(row.baseline),
                f"{r.agents_delta:+d} agents": value(row.changed),
                "change": change(row.change),
                "range (95 %)": ends,
            }
        )
    st.table(pd.DataFrame(shown), hide_index=True)
    for note in what_if_notes(found):
        st.caption(f"Note: {note}")
    st.subheader("Interval by interval")
    detail = frames.what_if_intervals(found)
    st.table(
        formatted(
            detail,
            {
                "contacts_offered_forecast": lambda v: number(v, 2),
                "aht_seconds_forecast": lambda v: number(v, 2),
                "patience_seconds": lambda v: number(v, 2),
                "baseline_service_level_rate": percent,
                "baseline_abandon_rate": lambda v: percent(v, 3),
                "baseline_asa_seconds": number,
                "baseline_mean_wait_seconds": number,
                "changed_service_level_rate": percent,
                "changed_abandon_rate": lambda v: percent(v, 3),
                "changed_asa_seconds": number,
                "changed_mean_wait_seconds": number,
            },
        ),
        hide_index=True,
    )


def _signed(value: object) -> str:
    return number(value, signed=True)


def _is_date(text: str, horizon: Sequence[date]) -> bool:
    try:
        return date.fromisoformat(text) in horizon
    except ValueError:
        return False


def _hours(text: str) -> tuple[int, int]:
    try:
        start, _, end = text.partition("-")
        first, last = int(start), int(end or int(start) + 1)
    except ValueError:
        return 9, 12
    return (first, last) if 0 <= first < last <= 24 else (9, 12)


def page_scorecard() -> None:
    """The OKR scorecard of one period, whole periods by default."""
    st.header("OKR scorecard")
    with _connection() as connection:
        if _missing(connection, "reports.rpt_okr_scorecard"):
            return
        periods = frames.scorecard_periods(connection)
        grains = sorted(set(periods["period_grain"]), reverse=True)  # week, month
        if not grains:
            st.info("No data: the OKR scorecard is empty.")
            return
        grain = st.radio(
            "Period",
            grains,
            index=_index(grains, _param("grain") or "month"),
            horizontal=True,
            key="sc_grain",
        )
        of_grain = periods.loc[periods["period_grain"] == grain]
        starts = list(of_grain["period_start_date"])
        labels = dict(zip(starts, of_grain["label"], strict=True))
        wanted = _param("period")
        chosen = (
            date.fromisoformat(wanted)
            if wanted and _is_date(wanted, starts)
            else frames.default_period(periods, str(grain))
        )
        start = st.selectbox(
            "Which",
            starts,
            index=_index(starts, chosen, len(starts) - 1),
            format_func=lambda s: labels[s],
            key=f"sc_period_{grain}",
        )
        table = frames.scorecard(connection, str(grain), start)
    st.markdown(f"**Showing: {labels[start]}**")
    if not bool(table["is_period_complete"].all()):
        st.warning(
            "A partial period: its actuals are provisional and it is not compared "
            "with the previous period."
        )
    counts = table["status"].fillna("no_data").value_counts()
    st.caption(", ".join(f"{n} {s.replace('_', ' ')}" for s, n in counts.items()))
    st.table(_scorecard_rows(table), hide_index=True)
    st.caption(
        "The period's actual against its target, with its 95 % interval and the "
        "change from the previous whole period (reports.rpt_okr_scorecard)."
    )


def _scorecard_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The scorecard's rows written in each KPI's unit."""
    rows = []
    for r in table.itertuples(index=False):
        kpi = str(r.kpi)
        low, high = kpi_value(kpi, r.actual_ci_lower), kpi_value(kpi, r.actual_ci_upper)
        interval = f"{low} to {high}" if not is_missing(r.actual_ci_lower) else ""
        change = (
            kpi_change(kpi, r.change_from_previous)
            if not is_missing(r.change_from_previous)
            else str(r.change_null_reason or "").replace("_", " ")
        )
        rows.append(
            {
                "key result": r.key_result_id,
                "objective": r.objective,
                "owner": r.owner_department,
                "KPI": f"{kpi} ({r.channel_scope})",
                "actual": kpi_value(kpi, r.actual),
                "target": kpi_value(kpi, r.target),
                "95 % interval": interval,
                "change vs previous": change,
                "status": str(r.status or "no_data").replace("_", " "),
            }
        )
    return pd.DataFrame(rows)


def page_queue() -> None:
    """A queue's day: intervals against the Erlang baselines, gap by local hour."""
    st.header("Queue day: actual against the Erlang baselines")
    with _connection() as connection:
        if _missing(connection, "marts.fct_queue_intervals", "reports.rpt_staffing"):
            return
        names = frames.queues(connection)
        if not names:
            st.info("No data: no queue intervals.")
            return
        queue = str(
            st.selectbox(
                "Queue", names, index=_index(names, _param("queue")), key="q_queue"
            )
        )
        days = frames.queue_dates(connection, queue)
        if not days:
            st.info(f"No data: {queue} has no offered contacts.")
            return
        wanted = _param("day")
        day = st.selectbox(
            "Local day",
            days,
            index=_index(days, date.fromisoformat(wanted) if wanted else None),
            key="q_day",
        )
        intervals = frames.queue_intervals(connection, queue, day)
        gap = frames.staffing_gap_by_hour(connection, queue, day)
    chart = intervals.melt(
        id_vars=["interval_start_local_at"],
        value_vars=["service_level_rate", "erlang_a_service_level_rate"],
        var_name="series",
        value_name="rate",
    )
    st.altair_chart(
        alt.Chart(chart)
        .mark_line(point=True)
        .encode(
            x=alt.X("interval_start_local_at:T", title="local time"),
            y=alt.Y("rate:Q", title="service level", axis=alt.Axis(format="%")),
            color=alt.Color("series:N", title=None),
        ),
        width="stretch",
    )
    st.subheader("Staffing gap by local hour (agent-hours, reports.rpt_staffing)")
    st.table(
        formatted(
            gap,
            {
                "actual_agent_hours": number,
                "required_agent_hours_erlang_a": number,
                "optimal_agent_hours": number,
                "optimal_gap_agent_hours": lambda v: number(v, signed=True),
                "money_at_stake_amount": amount,
                "money_at_stake_lower_amount": amount,
                "money_at_stake_upper_amount": amount,
            },
        ),
        hide_index=True,
    )
    st.subheader("Intervals (marts.fct_queue_intervals)")
    rate_columns = [c for c in intervals.columns if c.endswith("_rate")]
    st.table(
        formatted(
            intervals,
            {
                **dict.fromkeys(rate_columns, percent),
                "asa_seconds": number,
                "erlang_a_asa_seconds": number,
                "aht_seconds": number,
                "staffed_agents": number,
                "baseline_staffed_agents": number,
            },
        ),
        hide_index=True,
    )


def page_cost() -> None:
    """Cost per contact against CSAT by unit and period, the Pareto frontier."""
    st.header("Cost vs satisfaction")
    with _connection() as connection:
        if _missing(connection, "reports.rpt_cost_vs_satisfaction"):
            return
        periods = frames.cost_periods(connection)
        dimension = str(
            st.selectbox("Unit", frames.COST_DIMENSIONS, index=0, key="cs_unit")
        )
        grains = sorted(set(periods["period_grain"]), reverse=True)
        if not grains:
            st.info("No data: rpt_cost_vs_satisfaction is empty.")
            return
        grain = str(st.radio("Period", grains, horizontal=True, key="cs_grain"))
        of_grain = periods.loc[periods["period_grain"] == grain]
        starts = list(of_grain["period_start_date"])
        labels = dict(zip(starts, of_grain["label"], strict=True))
        chosen = frames.default_period(periods, grain)
        start = st.selectbox(
            "Which",
            starts,
            index=_index(starts, chosen, len(starts) - 1),
            format_func=lambda s: labels[s],
            key=f"cs_period_{grain}",
        )
        units = frames.cost_vs_satisfaction(connection, dimension, grain, start)
    st.markdown(f"**Showing: {dimension} by {labels[start]}**")
    plotted = units.dropna(subset=["cost_per_contact_amount", "csat_rate"])
    if not plotted.empty:
        st.altair_chart(
            alt.Chart(plotted)
            .mark_point(filled=True, size=80)
            .encode(
                x=alt.X("cost_per_contact_amount:Q", title="cost per contact"),
                y=alt.Y("csat_rate:Q", title="CSAT", axis=alt.Axis(format="%")),
                color=alt.Color("is_pareto_efficient:N", title="Pareto frontier"),
                tooltip=["dimension_value", "cost_per_contact_amount", "csat_rate"],
            ),
            width="stretch",
        )
    st.table(
        formatted(
            units,
            {
                "cost_per_contact_amount": amount,
                "cost_to_serve_per_customer_amount": amount,
                "csat_rate": percent,
                "churn_rate": percent,
                "nps": lambda v: number(v, 1),
                "nps_ci_lower": lambda v: number(v, 1),
                "nps_ci_upper": lambda v: number(v, 1),
            },
        ),
        hide_index=True,
    )


def page_wait_curve() -> None:
    """Wait -> CSAT -> churn, with the intervals."""
    st.header("Wait, satisfaction and churn")
    with _connection() as connection:
        if _missing(
            connection,
            "reports.rpt_wait_experience_curve",
            "reports.rpt_wait_churn_effects",
        ):
            return
        curve = frames.wait_curve(connection)
        effects = frames.churn_effects(connection)
    if not curve.empty:
        band_points = alt.Chart(curve).encode(
            x=alt.X("wait_band_lower_seconds:Q", title="wait band from (s)"),
            color=alt.Color("is_resolved:N", title="resolved"),
        )
        st.altair_chart(
            band_points.mark_line(point=True).encode(
                y=alt.Y(
                    "csat_rate:Q", title="CSAT top-2-box", axis=alt.Axis(format="%")
                )
            )
            + band_points.mark_errorbar().encode(
                y=alt.Y("csat_rate_lower:Q"), y2="csat_rate_upper:Q"
            ),
            width="stretch",
        )
    rates = [c for c in curve.columns if c.startswith(("csat_rate", "churn_rate"))]
    st.table(formatted(curve, dict.fromkeys(rates, percent)), hide_index=True)
    st.subheader("Churn model (reports.rpt_wait_churn_effects)")
    st.table(
        formatted(
            effects,
            {
                "estimate": lambda v: number(v, 4),
                "ci_lower": lambda v: number(v, 4),
                "ci_upper": lambda v: number(v, 4),
                "churn_per_wait_second_rate": lambda v: number(v, 6),
                "price_per_wait_second_amount": lambda v: number(v, 4),
                "price_per_wait_second_lower_amount": lambda v: number(v, 4),
                "price_per_wait_second_upper_amount": lambda v: number(v, 4),
            },
        ),
        hide_index=True,
    )


def page_feedback() -> None:
    """Feedback themes by owning department, masked comments only."""
    st.header("Customer feedback by department")
    with _connection() as connection:
        if _missing(connection, "reports.rpt_customer_feedback"):
            return
        window = frames.feedback_window(connection)
        if window is None:
            st.info("No data: no comments.")
            return
        first, last = window
        default = (max(first, last - timedelta(days=FEEDBACK_DAYS - 1)), last)
        picked = st.date_input(
            "Answered between", default, min_value=first, max_value=last, key="fb"
        )
        if not isinstance(picked, tuple) or len(picked) != 2:
            st.info("Pick a first and a last day.")
            return
        start, end = picked
        themes = frames.feedback_themes(connection, start, end)
        if themes.empty:
            st.info(f"No comments from {start} to {end}.")
            return
        st.table(formatted(themes, {"below_top2box_rate": percent}), hide_index=True)
        names = sorted(set(themes["theme"]))
        theme = str(st.selectbox("Theme", names, key="fb_theme"))
        examples = frames.feedback_examples(connection, theme, start, end)
    st.subheader(f"Latest comments on {theme} (masked)")
    st.table(examples, hide_index=True)


def page_data_quality() -> None:
    """The latest runs, quarantine and validation."""
    st.header("Data quality of the latest runs")
    with _connection() as connection:
        if _missing(connection, "audit.run_log"):
            return
        runs = frames.latest_runs(connection)
        run_id = str(runs["run_id"].iloc[0]) if not runs.empty else None
        st.subheader("Latest runs (audit.run_log)")
        st.table(runs, hide_index=True)
        st.subheader("Quarantined rows by source and reason")
        if not _missing(connection, "audit.quarantine"):
            quarantine = frames.quarantine_summary(connection, run_id)
            if quarantine.empty:
                st.success("No row has ever been quarantined.")
            else:
                st.table(quarantine, hide_index=True)
        st.subheader(f"Validation of run {run_id}")
        if not _missing(connection, "audit.validation_results"):
            checks = frames.validation_summary(connection, run_id)
            failed = checks.loc[~checks["success"].astype(bool)]
            st.caption(f"{len(checks) - len(failed)} of {len(checks)} checks passed.")
            st.table(failed if not failed.empty else checks.head(20), hide_index=True)


#: The pages, in the menu's order: (function, title, URL path).
PAGES = (
    (page_scorecard, "Scorecard", "scorecard"),
    (page_what_if, "What if", "whatif"),
    (page_queue, "Queue day", "queue"),
    (page_cost, "Cost vs satisfaction", "cost"),
    (page_wait_curve, "Wait, CSAT and churn", "wait"),
    (page_feedback, "Feedback", "feedback"),
    (page_data_quality, "Data quality", "quality"),
)


def main() -> None:
    """Run the app (Streamlit calls this file as a script)."""
    st.set_page_config(page_title="opsmart explore", layout="wide")
    st.sidebar.caption(f"Warehouse (read-only): {_warehouse()}")
    page = st.navigation(
        [
            st.Page(function, title=title, url_path=path, default=index == 0)
            for index, (function, title, path) in enumerate(PAGES)
        ]
    )
    try:
        page.run()
    except WarehouseError as error:
        st.error(str(error))


if __name__ == "__main__":
    main()
