"""The explorer's page frames on the small built center, against SQL on the marts
and reports: each roll-up reconciles with the table that already sums it, the
what-if is the one `opsmart plan` prints, and the period picker starts on a whole
period."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from opsmart.analyst import open_warehouse
from opsmart.analyst.plan import plan_what_if
from opsmart.cli import main
from opsmart.explore import frames


@pytest.fixture(scope="module")
def warehouse(small_center: Path) -> Path:
    return small_center / "opsmart.duckdb"


@pytest.fixture
def connection(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(warehouse)
    yield con
    con.close()


def test_period_labels_mark_partial_periods() -> None:
    assert frames.period_label("month", date(2026, 2, 1), True, 28) == "month 2026-02"
    assert (
        frames.period_label("month", date(2026, 2, 1), False, 8)
        == "month 2026-02 (partial, 8 of 28 days)"
    )
    assert (
        frames.period_label("week", date(2026, 3, 2), False, 3)
        == "week of 2026-03-02 (partial, 3 of 7 days)"
    )


def test_default_period_is_the_latest_whole_one() -> None:
    periods = pd.DataFrame(
        {
            "period_grain": ["week", "week", "week", "month"],
            "period_start_date": [
                date(2026, 1, 5),
                date(2026, 1, 12),
                date(2026, 1, 19),
                date(2026, 1, 1),
            ],
            "is_period_complete": [True, True, False, False],
        }
    )
    assert frames.default_period(periods, "week") == date(2026, 1, 12)
    # no whole month yet: the partial one leads
    assert frames.default_period(periods, "month") == date(2026, 1, 1)
    assert frames.default_period(periods, "day") is None


def test_scorecard_periods_and_rows_are_the_reports(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    periods = frames.scorecard_periods(connection)
    expected = connection.execute(
        "select period_grain, period_start_date, bool_and(is_period_complete) "
        "from reports.rpt_okr_scorecard group by 1, 2 order by 1, 2"
    ).fetchall()
    assert [
        (g, s, bool(c))
        for g, s, c in periods[
            ["period_grain", "period_start_date", "is_period_complete"]
        ].itertuples(index=False)
    ] == expected
    for grain in set(periods["period_grain"]):
        start = frames.default_period(periods, grain)
        assert start is not None
        table = frames.scorecard(connection, grain, start)
        rows = connection.execute(
            "select key_result_id, actual, target, status from "
            "reports.rpt_okr_scorecard where period_grain = ? and "
            "period_start_date = ? order by objective, key_result_id",
            [grain, start],
        ).df()
        assert not table.empty
        pd.testing.assert_frame_equal(
            table[["key_result_id", "actual", "target", "status"]], rows
        )


def test_queue_day_reconciles_with_the_queue_day_mart(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    queue = frames.queues(connection)[0]
    day = frames.queue_dates(connection, queue)[0]
    intervals = frames.queue_intervals(connection, queue, day)
    offered, answered = connection.execute(
        "select contacts_offered, contacts_answered from marts.fct_queue_days "
        "where queue_id = ? and interval_date = ?",
        [queue, day],
    ).fetchone() or (None, None)
    assert intervals["contacts_offered"].sum() == offered
    assert intervals["contacts_answered"].sum() == answered
    assert intervals["interval_start_local_at"].is_monotonic_increasing


def test_staffing_gap_by_hour_sums_to_the_daily_report(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    queue = frames.queues(connection)[0]
    checked = 0
    for day in frames.queue_dates(connection, queue)[:3]:
        gap = frames.staffing_gap_by_hour(connection, queue, day)
        daily = connection.execute(
            "select contacts_offered, actual_agent_hours, "
            "required_agent_hours_erlang_a, optimal_agent_hours, "
            "cast(money_at_stake_amount as double) from reports.rpt_staffing_daily "
            "where queue_id = ? and interval_date = ?",
            [queue, day],
        ).fetchone()
        assert daily is not None
        sums = [
            gap[c].sum(min_count=1)
            for c in (
                "contacts_offered",
                "actual_agent_hours",
                "required_agent_hours_erlang_a",
                "optimal_agent_hours",
                "money_at_stake_amount",
            )
        ]
        for got, want in zip(sums, daily, strict=True):
            if want is None:
                assert pd.isna(got)
            else:
                assert got == pytest.approx(float(want), abs=1e-3)
        # the gap is the report's actual - optimal, in agent-hours
        gap_hours = connection.execute(
            "select sum(optimal_gap_agents) * any_value(minutes) / 60 from "
            "reports.rpt_staffing, (select max(interval_minutes) as minutes from "
            "marts.fct_queue_intervals) where queue_id = ? and interval_date = ?",
            [queue, day],
        ).fetchone()
        assert gap_hours is not None
        assert gap["optimal_gap_agent_hours"].sum() == pytest.approx(gap_hours[0])
        assert gap["local_hour"].between(0, 23).all()
        checked += 1
    assert checked


def test_cost_vs_satisfaction_frontier_is_not_dominated(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    periods = frames.cost_periods(connection)
    start = frames.default_period(periods, "month")
    assert start is not None
    units = frames.cost_vs_satisfaction(connection, "queue", "month", start)
    count = connection.execute(
        "select count(*) from reports.rpt_cost_vs_satisfaction where "
        "dimension_type = 'queue' and period_grain = 'month' and "
        "period_start_date = ?",
        [start],
    ).fetchone()
    assert count is not None and len(units) == count[0] > 0
    priced = units.dropna(subset=["cost_per_contact_amount", "csat_rate"])
    for unit in priced.loc[priced["is_pareto_efficient"].astype(bool)].itertuples():
        cheaper_and_better = priced.loc[
            (priced["cost_per_contact_amount"] < unit.cost_per_contact_amount)
            & (priced["csat_rate"] > unit.csat_rate)
        ]
        assert cheaper_and_better.empty, unit.dimension_value


def test_wait_curve_and_effects_are_the_reports(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    curve = frames.wait_curve(connection)
    total = connection.execute(
        "select sum(csat_responses), count(*) from reports.rpt_wait_experience_curve"
    ).fetchone()
    assert total is not None
    assert (curve["csat_responses"].sum(), len(curve)) == total
    shown = curve.dropna(subset=["csat_rate", "csat_rate_lower", "csat_rate_upper"])
    assert (shown["csat_rate_lower"] <= shown["csat_rate"]).all()
    assert (shown["csat_rate"] <= shown["csat_rate_upper"]).all()
    effects = frames.churn_effects(connection)
    assert "wait_minutes" in set(effects["term"])


def test_feedback_counts_each_comment_once_per_theme(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    window = frames.feedback_window(connection)
    assert window is not None
    start, end = window
    themes = frames.feedback_themes(connection, start, end)
    pairs = connection.execute(
        "select count(distinct (theme, response_id)) from reports.rpt_customer_feedback"
    ).fetchone()
    assert pairs is not None and themes["comments"].sum() == pairs[0] > 0
    rate = themes["low_scores"] / themes["scored"]
    assert themes["below_top2box_rate"].fillna(-1).tolist() == pytest.approx(
        rate.fillna(-1).tolist()
    )
    theme = str(themes["theme"].iloc[0])
    examples = frames.feedback_examples(connection, theme, start, end, limit=3)
    assert 0 < len(examples) <= 3
    # the masked text only: the report has no raw comment column to show
    assert "comment" not in examples.columns


def test_data_quality_lists_the_latest_run(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    runs = frames.latest_runs(connection)
    assert len(runs) >= 1 and runs["status"].iloc[0] == "success"
    run_id = str(runs["run_id"].iloc[0])
    checks = frames.validation_summary(connection, run_id)
    count = connection.execute(
        "select count(*) from audit.validation_results where run_id = ?", [run_id]
    ).fetchone()
    assert count is not None and len(checks) == count[0]
    quarantine = frames.quarantine_summary(connection, run_id)
    rows = connection.execute("select count(*) from audit.quarantine").fetchone()
    assert rows is not None and quarantine["all_rows"].sum() == rows[0]


def _plan_choice(connection: duckdb.DuckDBPyConnection) -> tuple[str, date]:
    found = connection.execute(
        "select queue_id, min(interval_date) from reports.rpt_staffing_plan "
        "group by 1 order by 1 limit 1"
    ).fetchone()
    assert found is not None, "the small center has no staffing plan"
    return str(found[0]), found[1]


def test_what_if_is_the_one_opsmart_plan_prints(
    connection: duckdb.DuckDBPyConnection,
    warehouse: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    queue, day = _plan_choice(connection)
    found = plan_what_if(connection, queue, 1, days=[day], hours=(9, 12))
    summary = frames.what_if_summary(found).set_index("measure")
    capsys.readouterr()
    argv = ["plan", "--warehouse", str(warehouse), "--queue", queue]
    argv += ["--agents-delta", "1", "--date", day.isoformat(), "--hours", "9-12"]
    assert main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    pairs = {
        "service level": "service_level_rate",
        "abandonment": "abandon_rate",
        "ASA (s)": "asa_seconds",
        "agent-hours": "agent_hours",
    }
    for measure, key in pairs.items():
        for column, scenario in (("baseline", "baseline"), ("changed", "changed")):
            want = printed[scenario][key]
            got = summary.loc[measure, column]
            assert (want is None and math.isnan(got)) or got == pytest.approx(want)
    assert summary.loc["staff cost", "change"] == pytest.approx(
        printed["staff_cost_change_amount"]
    )
    assert summary.loc["net (staff + priced)", "change"] == pytest.approx(
        printed["net_cost_change_amount"]
    )


def test_what_if_intervals_weight_up_to_the_whole(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    queue, day = _plan_choice(connection)
    found = plan_what_if(connection, queue, 1, days=[day], hours=(9, 12))
    detail = frames.what_if_intervals(found)
    assert len(detail) == len(found.selected) == found.result.intervals
    assert (detail["changed_agents"] == detail["required_agents"] + 1).all()
    weights = detail["contacts_offered_forecast"]
    for column, whole in (
        ("baseline_service_level_rate", found.result.baseline.service_level_rate),
        ("changed_abandon_rate", found.result.changed.abandon_rate),
    ):
        assert (detail[column] * weights).sum() / weights.sum() == pytest.approx(whole)
