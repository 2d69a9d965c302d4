"""Queueing baselines for every queue x interval: a thin adapter over opsmart.queueing.

All the logic (Erlang C / Erlang A at the actual staffing, required agents for the
queue's target, the staffing gap) lives in `opsmart.queueing.interval_baselines`, which
is tested on its own; this model only appends its columns to the interval workload.
The relation is read in Arrow record batches, so only one batch at a time is pandas,
as it would be where dbt runs Python models on a cluster.
"""

import pandas as pd

from opsmart.batches import map_record_batches
from opsmart.queueing import interval_baselines

BATCH_ROWS = 100_000
KEYS = ["queue_id", "interval_start_at"]


def with_baselines(workload):
    # The baselines price the workload with workload_aht_seconds (the interval's AHT,
    # or the queue's AHT of the day where nothing was answered), not the actual AHT.
    baselines = interval_baselines(
        workload.assign(aht_seconds=workload["workload_aht_seconds"])
    ).drop(columns=KEYS)
    return pd.concat([workload, baselines], axis=1)


def model(dbt, session):
    dbt.config(materialized="table")
    reader = dbt.ref("int_queue_intervals_joined").to_arrow_reader(BATCH_ROWS)
    return map_record_batches(reader, with_baselines)
