"""Value-optimal staffing per queue interval: a thin adapter over
opsmart.effects.interval_staffing (Erlang A cost minimisation, tested in the
package). Read in Arrow record batches, like the queueing baselines.

Incremental: every row is a function of its priced row alone, so a run computes
only the priced rows the table does not hold as they are (opsmart.batches.
unstored_rows): on a night that keeps the whole-history statistics, the run
window's intervals and the few whose whole-history fallback (the queue's patience
or hourly rate) moved; after a refit whose prices changed, every interval. The
table then equals a full build's, bit for bit, whatever the schedule. The input
columns keep their types (append_record_batches), so a night's rows match the
table's. Spark's twin (the .sql beside this) rebuilds the same table whole.
"""

from opsmart.batches import append_record_batches, unstored_rows
from opsmart.effects import interval_staffing

BATCH_ROWS = 100_000
KEYS = ["queue_id", "interval_start_at"]


def staffing_columns(priced):
    return interval_staffing(priced).drop(columns=KEYS)


def model(dbt, session):
    dbt.config(
        materialized="incremental", unique_key=["queue_id", "interval_start_at"]
    )
    priced = dbt.ref("int_queue_intervals_priced")
    if dbt.is_incremental:
        priced = unstored_rows(priced, session.sql(f"select * from {dbt.this}"))
    return append_record_batches(priced.to_arrow_reader(BATCH_ROWS), staffing_columns)
