"""The scale benchmark's forecast + plan step, on the small center's warehouse.

`scale.run_forecast` builds the forecast and plan models again on a built warehouse
(`dbt build --select int_forecast_histories_joined+`), measured. Here on a copy of
the small simulated center (35 days, 20 agents): its counts are the reports' own,
and the rebuild leaves the reports as the full build made them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from opsmart.bench import scale
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline

REPORTS = ("rpt_queue_interval_forecasts", "rpt_staffing_plan", "rpt_forecast_accuracy")


def _reports(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            name: connection.execute(
                f"select * from reports.{name} order by all"
            ).fetchall()
            for name in REPORTS
        }


def test_forecast_step_counts_the_reports_and_rebuilds_them_unchanged(
    small_center: Path, tmp_path: Path, seed_parse: SeedParse
) -> None:
    folder = tmp_path / "history_12m"
    seed_parse(folder / "forecast_dbt")  # run_forecast's dbt state: its parse is quick
    warehouse = folder / "warehouse" / "opsmart.duckdb"
    warehouse.parent.mkdir(parents=True)
    shutil.copyfile(small_center / "opsmart.duckdb", warehouse)
    before = _reports(warehouse)

    result = scale.run_forecast(warehouse, folder)

    forecasts = before["rpt_queue_interval_forecasts"]
    assert result["queues"] == len({row[0] for row in forecasts}) > 0
    assert result["forecast_rows"] == len(forecasts)
    assert result["plan_rows"] == len(before["rpt_staffing_plan"]) > 0
    assert result["seconds"] > 0 and result["peak_rss_bytes"] > 0
    # the build ran the package's models and the reports' tests
    log = (folder / "forecast.log").read_text()
    assert "int_queue_forecast_backtests_computed" in log
    assert "int_staffing_plan_computed" in log
    assert "rpt_staffing_plan_daily" in log
    assert _reports(warehouse) == before
