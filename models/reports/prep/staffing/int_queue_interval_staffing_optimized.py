"""Value-optimal staffing per queue interval: a thin adapter over
opsmart.effects.interval_staffing (Erlang A cost minimisation, tested in the
package). Read in Arrow record batches, like the queueing baselines.
"""

import pandas as pd

from opsmart.batches import map_record_batches
from opsmart.effects import interval_staffing

BATCH_ROWS = 100_000
KEYS = ["queue_id", "interval_start_at"]


def with_staffing(priced):
    optimized = interval_staffing(priced).drop(columns=KEYS)
    return pd.concat([priced, optimized], axis=1)


def model(dbt, session):
    dbt.config(materialized="table")
    reader = dbt.ref("int_queue_intervals_priced").to_arrow_reader(BATCH_ROWS)
    return map_record_batches(reader, with_staffing)
