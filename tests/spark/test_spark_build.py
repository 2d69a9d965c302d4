"""The dbt project on Spark gives the DuckDB build's public tables (see conftest)."""

from __future__ import annotations

import pyarrow.parquet as pq

from opsmart.nightly.publish import PUBLIC_SCHEMAS, exported_tables
from opsmart.spark import compare_exports


def test_dbt_build_passes_on_spark(builds):
    """Every model, seed, data test and unit test of `dbt build` passes on Spark."""
    assert builds.spark.success, f"see {builds.spark.spark_dir / 'logs'}"


def test_spark_exports_every_public_table(builds):
    """The Spark export holds each public table the DuckDB build exports."""
    duckdb_tables = sorted(exported_tables(builds.duckdb_export))  # months: folders
    assert {name.split(".")[0] for name in duckdb_tables} == set(PUBLIC_SCHEMAS)
    assert sorted(builds.spark.exported_tables) == duckdb_tables


def test_every_public_table_equals_the_duckdb_build(builds):
    """Same rows in every public table; floats up to rounding (spark.compare)."""
    differences = compare_exports(builds.duckdb_export, builds.spark.export_dir)
    assert not differences, "\n".join(map(str, differences))


def test_the_comparison_is_not_vacuous(builds):
    """The demo fills the tables the Python steps feed, so they are compared too."""
    for table in (
        "marts/fct_queue_intervals",  # queueing baselines (opsmart_interval_baselines)
        "reports/rpt_wait_churn_effects",  # churn fit (opsmart_churn_wait_effects)
        "reports/rpt_staffing",  # value-optimal staffing (opsmart_interval_staffing)
        "reports/rpt_queue_interval_forecasts",  # opsmart_interval_forecasts
        "reports/rpt_forecast_accuracy",  # opsmart_forecast_backtests
        "reports/rpt_staffing_plan",  # opsmart_staffing_plan
        "reports/rpt_staffing_plan_daily",
        "reports/rpt_cost_vs_satisfaction",
    ):
        rows = pq.read_metadata(builds.spark.export_dir / f"{table}.parquet").num_rows
        assert rows > 0, table
