"""The frames the explorer's pages show, each read from the published marts and
reports of an open, read-only connection.

Every function is pure apart from its reads: the same warehouse gives the same
frame, with the report's own columns (no KPI is recomputed here; a roll-up over
intervals sums the report's counts and agent-hours). The Streamlit pages
(`opsmart.explore.app`) only pick the arguments and draw the frames, so the tests
compare these frames with SQL on the tables without a browser.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict
from datetime import date

import duckdb
import pandas as pd

from opsmart.analyst.plan import PlanWhatIf, has_table
from opsmart.forecast.whatif import Scenario, what_if
from opsmart.report.sections._data_quality import QUARANTINE_BY_REASON_SQL

__all__ = [
    "COST_DIMENSIONS",
    "churn_effects",
    "cost_periods",
    "cost_vs_satisfaction",
    "default_period",
    "feedback_examples",
    "feedback_themes",
    "feedback_window",
    "latest_runs",
    "missing_tables",
    "period_label",
    "quarantine_summary",
    "queue_dates",
    "queue_intervals",
    "queues",
    "scorecard",
    "scorecard_periods",
    "staffing_gap_by_hour",
    "validation_summary",
    "wait_curve",
    "what_if_intervals",
    "what_if_summary",
]

#: The units rpt_cost_vs_satisfaction compares (its dimension_type values).
COST_DIMENSIONS = ("queue", "segment", "channel", "team")


def missing_tables(connection: duckdb.DuckDBPyConnection, *names: str) -> list[str]:
    """The tables of `names` (``schema.table``) the warehouse does not have."""
    return [name for name in names if not has_table(connection, name)]


def _period_days(grain: str, start: date) -> int:
    if grain == "week":
        return 7
    return calendar.monthrange(start.year, start.month)[1]


def period_label(grain: str, start: date, complete: bool, days_covered: int) -> str:
    """'week of 2026-03-02', 'month 2026-03'; a partial period says how partial."""
    name = f"month {start:%Y-%m}" if grain == "month" else f"week of {start}"
    if complete:
        return name
    return f"{name} (partial, {days_covered} of {_period_days(grain, start)} days)"


def _periods(
    connection: duckdb.DuckDBPyConnection, table: str, where: str = "true"
) -> pd.DataFrame:
    frame = connection.execute(
        f"""
        select period_grain, period_start_date,
            bool_and(is_period_complete) as is_period_complete,
            max(days_covered) as days_covered
        from {table}
        where {where}
        group by 1, 2
        order by 1, 2
        """
    ).df()
    frame["period_start_date"] = pd.to_datetime(frame["period_start_date"]).dt.date
    frame["label"] = [
        period_label(g, s, bool(c), int(d) if pd.notna(d) else 0)
        for g, s, c, d in frame[
            ["period_grain", "period_start_date", "is_period_complete", "days_covered"]
        ].itertuples(index=False)
    ]
    return frame


def scorecard_periods(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The scorecard's periods: grain, start, whole or not, days covered, label."""
    return _periods(connection, "reports.rpt_okr_scorecard")


def cost_periods(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The periods of rpt_cost_vs_satisfaction, as :func:`scorecard_periods`."""
    return _periods(connection, "reports.rpt_cost_vs_satisfaction")


def default_period(periods: pd.DataFrame, grain: str) -> date | None:
    """The latest whole period of `grain`; the latest partial one if none is whole."""
    of_grain = periods.loc[periods["period_grain"] == grain]
    if of_grain.empty:
        return None
    whole = of_grain.loc[of_grain["is_period_complete"].astype(bool)]
    chosen = whole if not whole.empty else of_grain
    start: date = chosen["period_start_date"].iloc[-1]
    return start


def scorecard(
    connection: duckdb.DuckDBPyConnection, grain: str, start: date
) -> pd.DataFrame:
    """The key results of one period, as rpt_okr_scorecard has them."""
    return connection.execute(
        """
        select key_result_id, objective, kpi, owner_department, channel_scope,
            direction, actual, target, actual_ci_lower, actual_ci_upper,
            sample_count, change_from_previous, change_null_reason,
            is_change_significant, status, is_period_complete, days_covered
        from reports.rpt_okr_scorecard
        where period_grain = ? and period_start_date = ?
        order by objective, key_result_id
        """,
        [grain, start],
    ).df()


def queues(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The queues with intervals in fct_queue_intervals, sorted."""
    return [
        str(r[0])
        for r in connection.execute(
            "select distinct queue_id from marts.fct_queue_intervals order by 1"
        ).fetchall()
    ]


def queue_dates(connection: duckdb.DuckDBPyConnection, queue: str) -> list[date]:
    """The queue's local dates with offered contacts, latest first."""
    return [
        r[0]
        for r in connection.execute(
            """
            select interval_date from marts.fct_queue_intervals
            where queue_id = ?
            group by 1
            having sum(contacts_offered) > 0
            order by 1 desc
            """,
            [queue],
        ).fetchall()
    ]


def queue_intervals(
    connection: duckdb.DuckDBPyConnection, queue: str, day: date
) -> pd.DataFrame:
    """The queue's intervals of a local day: actual against the Erlang A and C
    baselines, and the staffing gap (fct_queue_intervals)."""
    return connection.execute(
        """
        select interval_start_local_at, contacts_offered, contacts_answered,
            contacts_abandoned, service_level_rate, erlang_a_service_level_rate,
            erlang_c_service_level_rate, sl_target_rate, abandonment_rate,
            erlang_a_abandonment_rate, asa_seconds, erlang_a_asa_seconds,
            aht_seconds, staffed_agents, baseline_staffed_agents,
            required_agents_erlang_a, staffing_gap_agents, baseline_null_reason
        from marts.fct_queue_intervals
        where queue_id = ? and interval_date = ?
        order by interval_start_at
        """,
        [queue, day],
    ).df()


def staffing_gap_by_hour(
    connection: duckdb.DuckDBPyConnection, queue: str, day: date
) -> pd.DataFrame:
    """rpt_staffing of a queue's local day summed by local hour: agent-hours
    actual, required (Erlang A) and value-optimal, the gap (actual - optimal,
    as ``optimal_gap_agents``: negative is short) and the money at stake with
    its range."""
    return connection.execute(
        """
        with staffing as (
            select s.*, i.interval_minutes
            from reports.rpt_staffing as s
            inner join marts.fct_queue_intervals as i
                on s.queue_id = i.queue_id and s.interval_start_at = i.interval_start_at
            where s.queue_id = ? and s.interval_date = ?
        )

        select
            hour(interval_start_local_at) as local_hour,
            cast(sum(contacts_offered) as bigint) as contacts_offered,
            sum(actual_agents * interval_minutes / 60) as actual_agent_hours,
            sum(required_agents_erlang_a * interval_minutes / 60)
                as required_agent_hours_erlang_a,
            sum(optimal_agents * interval_minutes / 60) as optimal_agent_hours,
            sum(optimal_gap_agents * interval_minutes / 60) as optimal_gap_agent_hours,
            cast(sum(money_at_stake_amount) as double) as money_at_stake_amount,
            cast(sum(money_at_stake_lower_amount) as double)
                as money_at_stake_lower_amount,
            cast(sum(money_at_stake_upper_amount) as double)
                as money_at_stake_upper_amount
        from staffing
        group by 1
        order by 1
        """,
        [queue, day],
    ).df()


def cost_vs_satisfaction(
    connection: duckdb.DuckDBPyConnection, dimension: str, grain: str, start: date
) -> pd.DataFrame:
    """The units of one dimension in one period: cost per contact against CSAT and
    NPS, and whether each is on the Pareto frontier (rpt_cost_vs_satisfaction)."""
    return connection.execute(
        """
        select dimension_value, contacts_handled,
            cast(cost_per_contact_amount as double) as cost_per_contact_amount,
            cast(cost_to_serve_per_customer_amount as double)
                as cost_to_serve_per_customer_amount,
            csat_responses, csat_rate, nps, nps_ci_lower, nps_ci_upper,
            churn_rate, is_pareto_efficient, is_period_complete, days_covered
        from reports.rpt_cost_vs_satisfaction
        where dimension_type = ? and period_grain = ? and period_start_date = ?
        order by dimension_value
        """,
        [dimension, grain, start],
    ).df()


def wait_curve(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """CSAT and churn by wait band, resolved or not, with their 95 % intervals."""
    return connection.execute(
        """
        select wait_band_index, wait_band, wait_band_lower_seconds, is_resolved,
            contacts, csat_responses, csat_rate, csat_rate_lower, csat_rate_upper,
            churn_contacts, churn_rate, churn_rate_lower, churn_rate_upper
        from reports.rpt_wait_experience_curve
        order by wait_band_index, is_resolved
        """
    ).df()


def churn_effects(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The churn model's terms with their intervals and the price of waiting."""
    return connection.execute(
        """
        select term, estimate, ci_lower, ci_upper, customer_windows,
            churned_customer_windows, churn_per_wait_second_rate,
            cast(price_per_wait_second_amount as double)
                as price_per_wait_second_amount,
            cast(price_per_wait_second_lower_amount as double)
                as price_per_wait_second_lower_amount,
            cast(price_per_wait_second_upper_amount as double)
                as price_per_wait_second_upper_amount,
            is_converged
        from reports.rpt_wait_churn_effects
        order by term
        """
    ).df()


def feedback_window(connection: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last answer dates of rpt_customer_feedback; None when empty."""
    found = connection.execute(
        "select min(responded_date), max(responded_date) "
        "from reports.rpt_customer_feedback"
    ).fetchone()
    if not found or found[0] is None:
        return None
    return found[0], found[1]


def feedback_themes(
    connection: duckdb.DuckDBPyConnection, start: date, end: date
) -> pd.DataFrame:
    """Comments per owning department and theme between two dates (a comment
    with two themes counts in both, as in the report), with the share below
    top-2-box among the scored ones."""
    return connection.execute(
        """
        select coalesce(owning_department, 'unowned') as owning_department, theme,
            count(distinct response_id) as comments,
            count(distinct response_id) filter (where not is_top2box) as low_scores,
            count(distinct response_id) filter (where is_top2box is not null)
                as scored,
            low_scores / nullif(scored, 0) as below_top2box_rate
        from reports.rpt_customer_feedback
        where responded_date between ? and ?
        group by 1, 2
        order by 1, comments desc, theme
        """,
        [start, end],
    ).df()


def feedback_examples(
    connection: duckdb.DuckDBPyConnection,
    theme: str,
    start: date,
    end: date,
    *,
    limit: int = 10,
) -> pd.DataFrame:
    """The latest masked comments of a theme (never the raw text: the report
    holds only the masked one)."""
    return connection.execute(
        """
        select responded_date, queue_id, survey_type, score, masked_comment
        from reports.rpt_customer_feedback
        where theme = ? and responded_date between ? and ?
        order by responded_at desc, response_id
        limit ?
        """,
        [theme, start, end, limit],
    ).df()


def latest_runs(
    connection: duckdb.DuckDBPyConnection, *, limit: int = 7
) -> pd.DataFrame:
    """The latest runs of audit.run_log, newest first (as the report lists them)."""
    return connection.execute(
        """
        select run_id, command, status, run_date, window_start_date, seconds,
            rows_read, rows_loaded, rows_quarantined,
            validation_errors, validation_warnings
        from audit.run_log
        order by started_at desc
        limit ?
        """,
        [limit],
    ).df()


def quarantine_summary(
    connection: duckdb.DuckDBPyConnection, run_id: str | None
) -> pd.DataFrame:
    """Quarantined rows by source and reason: of the run `run_id`, and of all loads."""
    return connection.execute(QUARANTINE_BY_REASON_SQL, [run_id]).df()


def validation_summary(
    connection: duckdb.DuckDBPyConnection, run_id: str | None
) -> pd.DataFrame:
    """The validation results of the run `run_id` (else the latest), failures first."""
    return connection.execute(
        """
        select success, severity, stage, suite, expectation, column_name, observed
        from audit.validation_results
        where run_id = coalesce(?, (select max(run_id) from audit.validation_results))
        order by success, severity = 'error' desc, stage, suite, expectation
        """,
        [run_id],
    ).df()


_MEASURES = (
    ("agent-hours", "agent_hours"),
    ("service level", "service_level_rate"),
    ("abandonment", "abandon_rate"),
    ("ASA (s)", "asa_seconds"),
    ("mean wait, offered (s)", "mean_wait_seconds"),
    ("CSAT top-2-box", "csat_rate"),
    ("priced waiting + abandons", "waiting_abandon_cost_amount"),
)


def what_if_summary(found: PlanWhatIf) -> pd.DataFrame:
    """The what-if as a table: each measure at the plan's agents, with the change,
    and the change (with its 95 % range where it rests on a fitted effect)."""
    r = found.result
    before, after = asdict(r.baseline), asdict(r.changed)
    rows = [
        {
            "measure": label,
            "baseline": before[key],
            "changed": after[key],
            "change": after[key] - before[key],
            "change_lower": float("nan"),
            "change_upper": float("nan"),
        }
        for label, key in _MEASURES
    ]
    ranges = {
        "CSAT top-2-box": (r.csat_rate_change_lower, r.csat_rate_change_upper),
        "priced waiting + abandons": (
            r.waiting_abandon_cost_change_lower_amount,
            r.waiting_abandon_cost_change_upper_amount,
        ),
    }
    for row in rows:
        if row["measure"] in ranges:
            row["change_lower"], row["change_upper"] = ranges[str(row["measure"])]
        if row["measure"] == "CSAT top-2-box":
            row["change"] = r.csat_rate_change
    nan = float("nan")
    rows += [
        {
            "measure": "churn per customer window",
            "baseline": nan,
            "changed": nan,
            "change": r.churn_rate_change,
            "change_lower": r.churn_rate_change_lower,
            "change_upper": r.churn_rate_change_upper,
        },
        {
            "measure": "staff cost",
            "baseline": nan,
            "changed": nan,
            "change": r.staff_cost_change_amount,
            "change_lower": nan,
            "change_upper": nan,
        },
        {
            "measure": "net (staff + priced)",
            "baseline": nan,
            "changed": nan,
            "change": r.net_cost_change_amount,
            "change_lower": r.net_cost_change_lower_amount,
            "change_upper": r.net_cost_change_upper_amount,
        },
    ]
    return pd.DataFrame(rows)


def _scenario_columns(prefix: str, scenario: Scenario) -> dict[str, float]:
    return {
        f"{prefix}_service_level_rate": scenario.service_level_rate,
        f"{prefix}_abandon_rate": scenario.abandon_rate,
        f"{prefix}_asa_seconds": scenario.asa_seconds,
        f"{prefix}_mean_wait_seconds": scenario.mean_wait_seconds,
    }


def what_if_intervals(found: PlanWhatIf) -> pd.DataFrame:
    """The what-if interval by interval: each chosen plan row through
    :func:`opsmart.forecast.whatif.what_if` on its own (its inputs, and service
    level, abandonment, ASA and mean wait at the plan's agents and after the
    change)."""
    rows = []
    delta = found.result.agents_delta
    for index in range(len(found.selected)):
        row = found.selected.iloc[[index]]
        one = what_if(row, found.effects, delta)
        first = row.iloc[0]
        rows.append(
            {
                "interval_start_local_at": first["interval_start_local_at"],
                "contacts_offered_forecast": first["contacts_offered_forecast"],
                "aht_seconds_forecast": first["aht_seconds_forecast"],
                "patience_seconds": first["patience_seconds"],
                "required_agents": first["required_agents"],
                "changed_agents": max(int(first["required_agents"]) + delta, 0)
                if pd.notna(first["required_agents"])
                else None,
                **_scenario_columns("baseline", one.baseline),
                **_scenario_columns("changed", one.changed),
            }
        )
    return pd.DataFrame(rows)
