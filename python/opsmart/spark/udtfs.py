"""The queueing and effects steps on Spark: table functions over the package code.

dbt runs Python models only on Databricks, so on Apache Spark the six Python steps
are SQL models that call these Arrow table functions (Spark 4.1+ `arrow_udtf`). Each
one hands its input, in Arrow batches, to the same package function the DuckDB Python
model calls (`opsmart.queueing.interval_baselines`, `opsmart.effects.interval_staffing`,
`opsmart.effects.churn_wait_effects`, `opsmart.forecast.forecast_queues`,
`opsmart.forecast.backtest_queues`, `opsmart.forecast.staffing_plan`) and returns
that function's columns.

Row-wise steps return their keys with the new columns, and the model joins them back
to its input; the churn fit, the forecasts and the staffing plan (a queue's AHT of
the day stands in where an interval has none) need every row at once and are called
`WITH SINGLE PARTITION`. The forecasts and the plan take their settings (the
vars, which the Python model reads from its config) as JSON in the input's
`forecast_settings` column, the forecasts their special days (the seed's rows) as
a JSON array in `forecast_special_days`. `register_udtfs(spark)` makes them
callable from SQL in that session: opsmart's Spark runner calls it before dbt
starts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from opsmart.effects import (
    CHURN_OUTPUT_COLUMNS,
    STAFFING_OUTPUT_COLUMNS,
    churn_wait_effects,
    interval_staffing,
)
from opsmart.forecast import (
    SPECIAL_DAY_COLUMNS,
    backtest_queues,
    forecast_queues,
    staffing_plan,
)
from opsmart.forecast.plan import plan_columns
from opsmart.forecast.queues import backtest_columns, forecast_columns
from opsmart.queueing import interval_baselines
from opsmart.queueing.baselines import OUTPUT_COLUMNS as BASELINE_OUTPUT_COLUMNS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = [
    "UDTFS",
    "Output",
    "register_udtfs",
    "row_wise",
    "whole_table",
    "with_settings",
]

_KEY_TYPES = {"queue_id": "string", "interval_start_at": "timestamp"}
_CHURN_TYPES = {
    "term": "string",
    "is_constrained": "boolean",
    "customer_windows": "bigint",
    "churned_customer_windows": "bigint",
    "is_converged": "boolean",
}
_ARROW_TYPES = {
    "string": pa.string(),
    "double": pa.float64(),
    "bigint": pa.int64(),
    "boolean": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),  # Spark's timestamp, UTC session
    "date": pa.date32(),
}
_FORECAST_TYPES = {
    **_KEY_TYPES,
    "forecast_method": "string",
    "special_day_kind": "string",
    "horizon_week": "bigint",
    "interval_date": "date",
    "interval_start_local_at": "timestamp",
}
_BACKTEST_TYPES = {
    "queue_id": "string",
    "forecast_method": "string",
    "history_weeks": "bigint",
    "is_forecast": "boolean",
    "origins": "bigint",
    "forecast_null_reason": "string",
}

_PLAN_TYPES = {
    **_KEY_TYPES,
    "staffing_model": "string",
    "plan_null_reason": "string",
    "horizon_week": "bigint",
    "is_aht_fallback": "boolean",
    "is_erlang_c_fallback": "boolean",
    "interval_date": "date",
    "interval_start_local_at": "timestamp",
}


@dataclass(frozen=True)
class Output:
    """A table function's output columns and their Spark types."""

    fields: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, columns: tuple[str, ...], types: dict[str, str]) -> Output:
        """`columns`, each of its type in `types`, else double (every measure)."""
        return cls(tuple((name, types.get(name, "double")) for name in columns))

    @property
    def ddl(self) -> str:
        """The return type for Spark: "queue_id string, traffic_erlangs double, ..."."""
        return ", ".join(f"{name} {kind}" for name, kind in self.fields)

    def to_arrow(self, frame: pd.DataFrame) -> pa.Table:
        """The columns of `frame` as Spark expects them (NaN becomes null)."""
        schema = pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in self.fields])
        return pa.Table.from_pandas(
            frame[list(schema.names)], schema=schema, preserve_index=False
        )


def _baselines(frame: pd.DataFrame) -> pd.DataFrame:
    # Priced with the workload AHT, as in the DuckDB Python model.
    return interval_baselines(frame.assign(aht_seconds=frame["workload_aht_seconds"]))


def with_settings(
    function: Callable[..., pd.DataFrame],
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """`function` called on the input without its ``forecast_settings`` column and
    with that column's JSON (the same on every row) as keyword arguments; and,
    where the input has a ``forecast_special_days`` column (the seed's rows as a
    JSON array, the same on every row), with those rows as ``special_days``."""

    def call(frame: pd.DataFrame) -> pd.DataFrame:
        if "forecast_settings" not in frame.columns:  # no rows at all
            return function(frame)
        settings = json.loads(frame["forecast_settings"].iloc[0])
        if "forecast_special_days" in frame.columns:
            # Spark's to_json leaves out a null field (every queue's queue_id)
            rows = json.loads(frame["forecast_special_days"].iloc[0] or "[]")
            settings["special_days"] = pd.DataFrame(
                rows, columns=list(SPECIAL_DAY_COLUMNS)
            )
            frame = frame.drop(columns=["forecast_special_days"])
        return function(frame.drop(columns=["forecast_settings"]), **settings)

    return call


def row_wise(function: Callable[[pd.DataFrame], pd.DataFrame], output: Output) -> type:
    """A table function handler applying `function` to each Arrow batch of its input."""

    class RowWise:
        def eval(self, batch: pa.RecordBatch) -> Iterator[pa.Table]:
            yield output.to_arrow(function(batch.to_pandas()))

    return RowWise


def whole_table(
    function: Callable[[pd.DataFrame], pd.DataFrame], output: Output
) -> type:
    """A table function handler applying `function` once to all of its input (call it
    WITH SINGLE PARTITION, or each partition gets a result of its own)."""

    class WholeTable:
        def __init__(self) -> None:
            self.batches: list[pa.RecordBatch] = []

        def eval(self, batch: pa.RecordBatch) -> Iterator[pa.Table]:
            self.batches.append(batch)
            yield from ()

        def terminate(self) -> Iterator[pa.Table]:
            rows = pa.Table.from_batches(self.batches) if self.batches else None
            yield output.to_arrow(
                function(rows.to_pandas() if rows else pd.DataFrame())
            )

    return WholeTable


_BASELINES = Output.of(
    BASELINE_OUTPUT_COLUMNS, {**_KEY_TYPES, "baseline_null_reason": "string"}
)
_STAFFING = Output.of(STAFFING_OUTPUT_COLUMNS, _KEY_TYPES)
_CHURN = Output.of(CHURN_OUTPUT_COLUMNS, _CHURN_TYPES)
# The contracts of the forecast reports name the default levels' columns.
_FORECASTS = Output.of(tuple(forecast_columns()), _FORECAST_TYPES)
_BACKTESTS = Output.of(tuple(backtest_columns()), _BACKTEST_TYPES)
_PLAN = Output.of(tuple(plan_columns()), _PLAN_TYPES)

#: SQL name -> (handler class, output) of each table function.
UDTFS: dict[str, tuple[type, Output]] = {
    "opsmart_interval_baselines": (row_wise(_baselines, _BASELINES), _BASELINES),
    "opsmart_interval_staffing": (row_wise(interval_staffing, _STAFFING), _STAFFING),
    "opsmart_churn_wait_effects": (whole_table(churn_wait_effects, _CHURN), _CHURN),
    "opsmart_interval_forecasts": (
        whole_table(with_settings(forecast_queues), _FORECASTS),
        _FORECASTS,
    ),
    "opsmart_forecast_backtests": (
        whole_table(with_settings(backtest_queues), _BACKTESTS),
        _BACKTESTS,
    ),
    "opsmart_staffing_plan": (
        whole_table(with_settings(staffing_plan), _PLAN),
        _PLAN,
    ),
}


def register_udtfs(spark: SparkSession) -> None:
    """Make the table functions callable from SQL in `spark`'s session."""
    from pyspark.sql.functions import arrow_udtf
    from pyspark.sql.udtf import UserDefinedTableFunction

    for name, (handler, output) in UDTFS.items():
        function = arrow_udtf(handler, returnType=output.ddl)
        assert isinstance(function, UserDefinedTableFunction)  # given a class, not None
        spark.udtf.register(name, function)
