"""The forecast reports on a built center: rpt_queue_interval_forecasts is
opsmart.forecast.forecast_intervals of the history read back from the public marts,
row for row, and a queue with too little history (or none) is listed in
rpt_forecast_accuracy with its reason, never dropped silently and never failing the
build. rpt_staffing_plan is opsmart.forecast.staffing_plan of its inputs (and Erlang
A of the forecast on its busiest row), and rpt_staffing_plan_daily sums it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from opsmart.forecast import daily_staffing_plan, forecast_intervals, staffing_plan
from opsmart.nightly.dbt_runner import run_dbt
from opsmart.queueing import erlang_a
from shared_helpers import SeedParse

#: The defaults of dbt_project.yml's forecast vars.
HORIZON_WEEKS = 2
KEY = ["queue_id", "interval_start_at"]


def _read(warehouse: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.sql(sql).df()


def _history(warehouse: Path) -> tuple[pd.DataFrame, dict[str, str]]:
    """The marts' intervals as the forecast reads them (handle seconds = AHT x
    answered, as the mart keeps the ratio), and each queue's zone."""
    history = _read(
        warehouse,
        "select queue_id, interval_start_at, contacts_offered, contacts_answered,"
        " coalesce(aht_seconds * contacts_answered, 0) as handle_time_seconds"
        " from marts.fct_queue_intervals",
    )
    zones = _read(warehouse, "select queue_id, timezone from marts.dim_queues")
    return history, dict(zip(zones["queue_id"], zones["timezone"], strict=True))


def _special_days(warehouse: Path) -> pd.DataFrame:
    """The seed forecast_special_days as the build loaded it."""
    (schema,) = _read(
        warehouse,
        "select table_schema from information_schema.tables"
        " where table_name = 'forecast_special_days'",
    )["table_schema"]
    return _read(warehouse, f"select * from {schema}.forecast_special_days")


def _forecasts(warehouse: Path) -> pd.DataFrame:
    return _read(warehouse, "select * from reports.rpt_queue_interval_forecasts")


def _same_rows(published: pd.DataFrame, expected: pd.DataFrame) -> None:
    published = published.sort_values(KEY, ignore_index=True)
    expected = expected.sort_values(KEY, ignore_index=True)
    assert len(published) == len(expected) > 0
    for column in expected.columns:
        got, want = published[column], expected[column]
        if column.startswith("contacts_offered_lower") or "upper" in column:
            got, want = got.astype(float), want.astype(float)
        if want.isna().all():  # a text column of nulls (no special day)
            assert got.isna().all(), column
        elif pd.api.types.is_float_dtype(want):
            np.testing.assert_allclose(got, want, rtol=1e-9, err_msg=column)
        else:
            assert (got.astype(str) == want.astype(str)).all(), column


def test_the_forecast_report_is_the_package_forecast_of_the_marts(
    small_center: Path,
) -> None:
    """Every queue of the small center (5 weeks) is forecast for 2 weeks from the
    day after the data; each row equals forecast_intervals of fct_queue_intervals."""
    warehouse = small_center / "opsmart.duckdb"
    history, zones = _history(warehouse)
    special_days = _special_days(warehouse)
    # the shipped example rows lie in 2099: loaded, passed, and touching nothing
    assert len(special_days) == 2
    expected = forecast_intervals(
        history,
        timezone=zones,
        horizon_weeks=HORIZON_WEEKS,
        special_days=special_days,
    )
    published = _forecasts(warehouse)
    assert published["special_day_kind"].isna().all()
    assert set(published["queue_id"]) == set(zones)
    _same_rows(published[expected.columns], expected)
    accuracy = _read(warehouse, "select * from reports.rpt_forecast_accuracy")
    assert accuracy["is_forecast"].all()
    assert (accuracy["history_weeks"] == 5).all()
    # 5 weeks: 3 before the one origin whose 2-week horizon ends with the data
    assert (accuracy["backtest_origins"] == 1).all()


def test_short_and_missing_histories_are_reported_not_dropped(
    small_center: Path, tmp_path: Path, seed_parse: SeedParse
) -> None:
    """Cut one queue to its last 2 weeks and add a queue without any interval, then
    rebuild the forecast: both are listed with their reason and without forecast
    rows, and the other queues' forecasts are the package's forecast as before."""
    warehouse = tmp_path / "opsmart.duckdb"
    shutil.copy(small_center / "opsmart.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "delete from marts.fct_queue_intervals where queue_id = 'q_voice_sales'"
            " and interval_date < (select max(interval_date) - 13"
            " from marts.fct_queue_intervals)"
        )
        connection.execute(
            "insert into marts.dim_queues (queue_id, team_id, queue_name, channel,"
            " timezone) values ('q_new', 't1', 'New queue', 'voice', 'UTC')"
        )
    assert run_dbt(
        ["build", "--select", "int_forecast_histories_joined+"],
        warehouse=warehouse,
        state_dir=seed_parse(tmp_path),
    )
    accuracy = _read(
        warehouse, "select * from reports.rpt_forecast_accuracy"
    ).set_index("queue_id")
    assert accuracy.loc["q_voice_sales", "forecast_null_reason"] == "too_little_history"
    assert accuracy.loc["q_voice_sales", "history_weeks"] == 2
    assert accuracy.loc["q_new", "forecast_null_reason"] == "no_history"
    assert not accuracy.loc[["q_voice_sales", "q_new"], "is_forecast"].any()
    assert (
        accuracy["forecast_null_reason"].drop(["q_voice_sales", "q_new"]).isna().all()
    )
    published = _forecasts(warehouse)
    assert not published["queue_id"].isin(["q_voice_sales", "q_new"]).any()
    history, zones = _history(warehouse)
    kept = history[history["queue_id"] != "q_voice_sales"]
    expected = forecast_intervals(
        kept,
        timezone={q: z for q, z in zones.items() if q != "q_voice_sales"},
        horizon_weeks=HORIZON_WEEKS,
    )
    _same_rows(published[expected.columns], expected)


def _scan_required(row: pd.Series) -> int:
    """Fewest agents whose Erlang A service level (answered within the threshold
    over offered) meets the target at the row's inputs, by trying c = 1, 2, ..."""
    patience = row["patience_seconds"]
    for c in range(1, 500):
        r = erlang_a(
            row["contacts_offered_forecast"] / 1800.0,
            row["aht_seconds_forecast"],
            c,
            float("inf") if pd.isna(patience) else patience,
            threshold=float(row["sl_threshold_seconds"]),
        )
        if float(r.service_level) >= row["sl_target_rate"]:  # type: ignore[arg-type]
            return c
    raise AssertionError("no c up to 500")


def test_the_staffing_plan_is_erlang_a_of_the_forecast_and_adds_up_by_day(
    small_center: Path,
) -> None:
    """Each rpt_staffing_plan row is staffing_plan of its inputs; the busiest row's
    required agents are a scan of the Erlang A kernel at its forecast; a day's
    agent-hours are its intervals' agents x half an hour, summed."""
    warehouse = small_center / "opsmart.duckdb"
    inputs = _read(
        warehouse, "select * from reports_prep.int_staffing_plan_inputs_joined"
    )
    plan = _read(warehouse, "select * from reports.rpt_staffing_plan")
    assert len(plan) == len(_forecasts(warehouse)) == len(inputs) > 0
    plan = plan.sort_values(KEY, ignore_index=True)
    expected = staffing_plan(inputs).sort_values(KEY, ignore_index=True)
    for column in expected.columns:
        if column.endswith("_agents") or "_agents_" in column:
            np.testing.assert_array_equal(
                plan[column].astype(float), expected[column], err_msg=column
            )
    assert (plan["staffing_model"] == expected["staffing_model"]).all()
    # money to the report's 4 decimals (the cost per hour is rounded there too)
    np.testing.assert_allclose(
        plan["staff_cost_amount"].astype(float),
        expected["staff_cost_amount"],
        atol=0.01,
    )
    busiest = plan.loc[plan["contacts_offered_forecast"].idxmax()]
    assert busiest["required_agents"] == _scan_required(busiest) > 0
    assert plan["required_agents"].notna().any()
    daily = _read(warehouse, "select * from reports.rpt_staffing_plan_daily")
    sums = (
        plan.assign(
            interval_hours=0.5,
            required=plan["required_agents"].astype(float) * 0.5,
            scheduled=plan["scheduled_agents"].astype(float) * 0.5,
        )
        .groupby(["queue_id", "interval_date"])
        .agg(
            interval_hours=("interval_hours", "sum"),
            required=("required", lambda x: x.sum(min_count=len(x))),
            scheduled=("scheduled", lambda x: x.sum(min_count=len(x))),
        )
        .reset_index()
    )
    both = daily.merge(sums, on=["queue_id", "interval_date"], validate="1:1")
    assert len(both) == len(daily) == len(sums)
    np.testing.assert_allclose(both["hours"], both["interval_hours"])
    for day, interval in (
        ("required_agent_hours", "required"),
        ("scheduled_agent_hours", "scheduled"),
    ):
        np.testing.assert_allclose(
            both[day].astype(float), both[interval], err_msg=day
        )  # NaN (a day with an interval unknown) on both sides alike
    assert both["required_agent_hours"].notna().any()
    # and the package's own rollup of the package's plan agrees
    reference = daily_staffing_plan(expected).merge(
        daily, on=["queue_id", "interval_date"], suffixes=("", "_report")
    )
    assert len(reference) == len(daily)
    for column in ("hours", "scheduled_optimal_agent_hours_upper_95"):
        np.testing.assert_allclose(
            reference[column], reference[f"{column}_report"].astype(float)
        )
