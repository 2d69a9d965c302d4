"""The Spark table functions return what the package functions return."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pyspark.sql import SparkSession

from opsmart.queueing import interval_baselines


def _workload() -> pd.DataFrame:
    base = dict(
        queue_id="q1",
        interval_start_at=pd.Timestamp("2026-01-05 08:00", tz="UTC"),
        interval_seconds=1800,
        contacts_offered=100,
        workload_aht_seconds=180.0,
        staffed_agents=14.6,
        patience_seconds=120.0,
        sl_threshold_seconds=20,
        sl_target_rate=0.8,
    )
    return pd.DataFrame(
        [
            base,
            {**base, "queue_id": "q2", "staffed_agents": 8.0},  # overloaded
            {**base, "queue_id": "q3", "workload_aht_seconds": np.nan},  # no AHT
            {**base, "queue_id": "q4", "contacts_offered": 0},
        ]
    )


def test_interval_baselines_udtf_equals_the_package_function(builds):
    """opsmart_interval_baselines(table(...)) = interval_baselines, key by key,
    priced with workload_aht_seconds as the DuckDB Python model prices it."""
    spark = SparkSession.getActiveSession()
    workload = _workload()
    spark.createDataFrame(workload).createOrReplaceTempView("udtf_workload")
    got = (
        spark.sql("select * from opsmart_interval_baselines(table(udtf_workload))")
        .toPandas()
        .sort_values("queue_id", ignore_index=True)
    )
    expected = interval_baselines(
        workload.assign(aht_seconds=workload["workload_aht_seconds"])
    ).sort_values("queue_id", ignore_index=True)
    assert list(got.columns) == list(expected.columns)
    assert got["queue_id"].tolist() == ["q1", "q2", "q3", "q4"]
    reasons = "baseline_null_reason"

    def codes(frame: pd.DataFrame) -> list[str | None]:
        return [code if isinstance(code, str) else None for code in frame[reasons]]

    assert codes(got) == codes(expected)
    assert codes(got) == [
        None,
        "unstable_load",
        "no_handle_time",
        "no_contacts_offered",
    ]
    measures = [
        c
        for c in expected.columns
        if c not in ("queue_id", "interval_start_at", reasons)
    ]
    np.testing.assert_allclose(
        got[measures].to_numpy(dtype=float),
        expected[measures].to_numpy(dtype=float),
        rtol=1e-12,
    )
    # The row without a workload stays a row, with null baselines.
    assert pd.isna(got.loc[2, "traffic_erlangs"])
