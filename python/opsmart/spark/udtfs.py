"""The queueing and effects steps on Spark: table functions over the package code.

dbt runs Python models only on Databricks, so on Apache Spark the three Python steps
are SQL models that call these Arrow table functions (Spark 4.1+ `arrow_udtf`). Each
one hands its input, in Arrow batches, to the same package function the DuckDB Python
model calls (`opsmart.queueing.interval_baselines`, `opsmart.effects.interval_staffing`,
`opsmart.effects.churn_wait_effects`) and returns that function's columns.

Row-wise steps return their keys with the new columns, and the model joins them back
to its input; the churn fit needs every customer window at once and is called
`WITH SINGLE PARTITION`. `register_udtfs(spark)` makes them callable from SQL in that
session: opsmart's Spark runner calls it before dbt starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from opsmart.effects import (
    CHURN_OUTPUT_COLUMNS,
    STAFFING_OUTPUT_COLUMNS,
    churn_wait_effects,
    interval_staffing,
)
from opsmart.queueing import interval_baselines
from opsmart.queueing.baselines import OUTPUT_COLUMNS as BASELINE_OUTPUT_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["UDTF_NAMES", "register_udtfs", "spark_schema"]

_KEY_TYPES = {"queue_id": "string", "interval_start_at": "timestamp"}
_CHURN_TYPES = {
    "term": "string",
    "is_constrained": "boolean",
    "customer_windows": "bigint",
    "churned_customer_windows": "bigint",
    "is_converged": "boolean",
}


def spark_schema(columns: tuple[str, ...], types: dict[str, str]) -> str:
    """A DDL struct of `columns`: the type in `types`, else double (every measure)."""
    return ", ".join(f"{name} {types.get(name, 'double')}" for name in columns)


def _baselines(frame: pd.DataFrame) -> pd.DataFrame:
    # Priced with the workload AHT, as in the DuckDB Python model.
    return interval_baselines(frame.assign(aht_seconds=frame["workload_aht_seconds"]))


def _row_wise(function: Callable[[pd.DataFrame], pd.DataFrame], schema: str) -> type:
    """A table function applying `function` to each Arrow batch of its input."""
    output = _arrow_schema(schema)

    class RowWise:
        def eval(self, batch: pa.RecordBatch) -> Iterator[pa.Table]:
            result = function(batch.to_pandas())
            yield pa.Table.from_pandas(
                result[list(output.names)], schema=output, preserve_index=False
            )

    return RowWise


def _whole_table(function: Callable[[pd.DataFrame], pd.DataFrame], schema: str) -> type:
    """A table function applying `function` once to all of its input (call it WITH
    SINGLE PARTITION, or each partition gets its own result)."""
    output = _arrow_schema(schema)

    class WholeTable:
        def __init__(self) -> None:
            self.batches: list[pa.RecordBatch] = []
            self.schema: pa.Schema | None = None

        def eval(self, batch: pa.RecordBatch) -> Iterator[pa.Table]:
            self.batches.append(batch)
            self.schema = batch.schema
            yield from ()

        def terminate(self) -> Iterator[pa.Table]:
            frame = (
                pa.Table.from_batches(self.batches).to_pandas()
                if self.batches
                else pd.DataFrame()
            )
            result = function(frame)
            yield pa.Table.from_pandas(
                result[list(output.names)], schema=output, preserve_index=False
            )

    return WholeTable


def _arrow_schema(ddl: str) -> pa.Schema:
    arrow_types = {
        "string": pa.string(),
        "double": pa.float64(),
        "bigint": pa.int64(),
        "boolean": pa.bool_(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    fields = [part.strip().split(" ") for part in ddl.split(",")]
    return pa.schema([(name, arrow_types[kind]) for name, kind in fields])


_BASELINES_SCHEMA = spark_schema(BASELINE_OUTPUT_COLUMNS, _KEY_TYPES)
_STAFFING_SCHEMA = spark_schema(STAFFING_OUTPUT_COLUMNS, _KEY_TYPES)
_CHURN_SCHEMA = spark_schema(CHURN_OUTPUT_COLUMNS, _CHURN_TYPES)

_UDTFS = {
    "opsmart_interval_baselines": (
        _row_wise(_baselines, _BASELINES_SCHEMA),
        _BASELINES_SCHEMA,
    ),
    "opsmart_interval_staffing": (
        _row_wise(interval_staffing, _STAFFING_SCHEMA),
        _STAFFING_SCHEMA,
    ),
    "opsmart_churn_wait_effects": (
        _whole_table(churn_wait_effects, _CHURN_SCHEMA),
        _CHURN_SCHEMA,
    ),
}
UDTF_NAMES = tuple(_UDTFS)


def register_udtfs(spark: SparkSession) -> None:
    """Make the table functions callable from SQL in `spark`'s session."""
    from pyspark.sql.functions import arrow_udtf

    for name, (handler, schema) in _UDTFS.items():
        spark.udtf.register(name, arrow_udtf(handler, returnType=schema))
