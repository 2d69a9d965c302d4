"""Build the dbt project on Apache Spark: `opsmart spark build`.

The landing files are loaded and checked exactly as for DuckDB (the contract's
quarantine rules run in `opsmart.ingest`, into a DuckDB raw file), the raw tables are
handed to Spark through Parquet, and dbt builds every model, seed and test on Spark
(dbt-spark's session method) in this process, where the session and its table
functions were created first. Every public model (schemas marts and reports) is then
exported as `<export>/<schema>/<table>.parquet`, the layout of the DuckDB build's
export, so the two builds can be compared file by file (`opsmart.spark.compare`).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from opsmart.contract import SOURCES, LandingError
from opsmart.ingest import IngestReport, LoadSettings, ingest, seed_queues
from opsmart.nightly.connection import connect
from opsmart.nightly.dbt_runner import dbt_arguments, project_dir, vars_in_force
from opsmart.nightly.publish import PUBLIC_SCHEMAS

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["QuarantineRateExceededError", "SparkBuild", "build_on_spark"]


#: The environment variable that carries the run window to the models.
WINDOW_VARIABLE = "OPSMART_RUN_WINDOW_START"


class QuarantineRateExceededError(Exception):
    """More of a source's rows broke the contract than the build allows."""


@dataclass
class SparkBuild:
    """What `build_on_spark` did: step timings (seconds), the export, dbt's verdict."""

    spark_dir: Path
    export_dir: Path
    success: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    exported_tables: list[str] = field(default_factory=list)
    ingest: IngestReport | None = None


def build_on_spark(
    landing: Path,
    spark_dir: Path,
    *,
    window_start: date | None = None,
    dbt_vars: dict[str, object] | None = None,
    dbt_args: Sequence[str] = (),
    max_quarantine_rate: float = 0.05,
    keep_session: bool = False,
    say: Callable[[str], None] = print,
) -> SparkBuild:
    """Load `landing`, build the project on Spark under `spark_dir`, export it.

    `spark_dir` holds the Spark warehouse and its Hive metastore, the checked raw data
    (loaded.duckdb), dbt's target/ and logs/, and the export. Without `window_start`
    it is rebuilt from scratch. With it, the build is the nightly increment of an
    existing `spark_dir`: only landing files not loaded before are loaded, and the
    incremental models recompute from `window_start` on (insert_overwrite of whole
    day partitions; unit tests, whose fixtures lie outside any window, are left
    out). `dbt_args` are added to `dbt build` (e.g. ``--exclude`` a slow test).
    The Spark session is stopped at the end unless `keep_session` (then the caller
    stops it with `stop_spark_session`), so the next process finds the metastore
    closed.
    As `opsmart build`, it stops before Spark (QuarantineRateExceededError) when
    more than `max_quarantine_rate` of a source's rows are quarantined.
    """
    from opsmart.spark.session import spark_session, stop_spark_session
    from opsmart.spark.udtfs import register_udtfs

    spark_dir = spark_dir.resolve()
    if window_start is None:
        shutil.rmtree(spark_dir, ignore_errors=True)
        spark_dir.mkdir(parents=True)
    elif not (spark_dir / "loaded.duckdb").exists():
        raise LandingError(
            f"{spark_dir} holds no Spark build to add to: build it whole first "
            "(without a window start)"
        )
    result = SparkBuild(spark_dir=spark_dir, export_dir=spark_dir / "export")

    with _timed(result, "ingest"):
        raw = spark_dir / "loaded.duckdb"
        with connect(raw) as connection:
            result.ingest = ingest(
                connection,
                landing,
                load_id=f"spark-{uuid.uuid4().hex[:8]}",
                queues=seed_queues(project_dir()),
                settings=LoadSettings.from_vars(vars_in_force(dbt_vars)),
                progress=say,
            )
        for line in result.ingest.describe():
            say(line)
    over = result.ingest.over_quarantine_rate(max_quarantine_rate)
    if over:
        raise QuarantineRateExceededError(
            f"quarantined more than the allowed {max_quarantine_rate:.1%} of the rows "
            f"read: {', '.join(over)} (see audit.quarantine in {raw})"
        )

    with _timed(result, "spark_session"):
        spark = spark_session(spark_dir)
        spark.sparkContext.setLogLevel("ERROR")
        register_udtfs(spark)
    try:
        _build(spark, spark_dir, result, window_start, dbt_vars, dbt_args, say)
    finally:
        if not keep_session:
            stop_spark_session(spark)
    return result


def _build(
    spark: SparkSession,
    spark_dir: Path,
    result: SparkBuild,
    window_start: date | None,
    dbt_vars: dict[str, object] | None,
    dbt_args: Sequence[str],
    say: Callable[[str], None],
) -> None:
    """Raw tables to Spark, dbt build, export: the steps inside the session."""
    with _timed(result, "raw_to_spark"):
        _raw_to_spark(spark, spark_dir / "loaded.duckdb", spark_dir / "raw_parquet")
        say(f"raw tables in Spark: {', '.join(SOURCES)}")

    with _timed(result, "dbt_build"):
        say("dbt build on Spark")
        if window_start is not None:
            dbt_args = [*dbt_args, "--exclude-resource-type", "unit_test"]
        result.success = _dbt_build(spark_dir, window_start, dbt_vars, dbt_args)
    if not result.success:
        return

    with _timed(result, "export"):
        shutil.rmtree(result.export_dir, ignore_errors=True)
        result.exported_tables = _export(spark, result.export_dir)
        say(f"exported {len(result.exported_tables)} tables to {result.export_dir}")


@contextmanager
def _timed(result: SparkBuild, name: str) -> Iterator[None]:
    """Time a step into `result.seconds[name]`."""
    started = time.perf_counter()
    try:
        yield
    finally:
        result.seconds[name] = round(time.perf_counter() - started, 1)


def _raw_to_spark(spark: SparkSession, raw: Path, parquet_dir: Path) -> None:
    """Copy each raw source table (typed columns, as the load writes it) to Spark.

    Parquet keeps the types: DuckDB writes a TIMESTAMPTZ as a timestamp adjusted
    to UTC, which Spark reads as its TimestampType (an instant, not TIMESTAMP_NTZ).
    """
    parquet_dir.mkdir(parents=True, exist_ok=True)
    spark.sql("create database if not exists raw")
    with connect(raw, read_only=True) as connection:
        for source in SOURCES:
            path = parquet_dir / f"{source}.parquet"
            # The relation API: a quote in the path cannot break the SQL.
            connection.table(f"raw.{source}").write_parquet(str(path))
            spark.read.parquet(str(path)).write.mode("overwrite").saveAsTable(
                f"raw.{source}"
            )


def _dbt_build(
    spark_dir: Path,
    window_start: date | None,
    dbt_vars: dict[str, object] | None,
    dbt_args: Sequence[str],
) -> bool:
    """`dbt build --target spark` in this process, so it finds the session above.

    The run window reaches the models as for DuckDB, in OPSMART_RUN_WINDOW_START
    (macro in_run_window); empty means everything.
    """
    from dbt.cli.main import dbtRunner

    args = dbt_arguments(
        ["build", *dbt_args, "--target", "spark"],
        state_dir=spark_dir,
        dbt_vars=dbt_vars,
    )
    previous = os.environ.get(WINDOW_VARIABLE)
    os.environ[WINDOW_VARIABLE] = window_start.isoformat() if window_start else ""
    try:
        return bool(dbtRunner().invoke(args).success)
    finally:
        if previous is None:
            del os.environ[WINDOW_VARIABLE]
        else:
            os.environ[WINDOW_VARIABLE] = previous


def _export(spark: SparkSession, export_dir: Path) -> list[str]:
    """Write every public table as one Parquet file, `<schema>/<table>.parquet`."""
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    exported = []
    for schema in PUBLIC_SCHEMAS:
        for row in spark.sql(f"show tables in {schema}").collect():
            if row.isTemporary:  # dbt's __dbt_tmp views of incremental models
                continue
            table = f"{schema}.{row.tableName}"
            staging = export_dir / schema / f".{row.tableName}"
            target = export_dir / schema / f"{row.tableName}.parquet"
            rows = spark.table(table).coalesce(1)
            rows.write.mode("overwrite").parquet(str(staging))
            parts = list(staging.glob("part-*.parquet"))
            if parts:
                parts[0].rename(target)
            else:  # an empty table may leave no part file: write its schema alone
                pq.write_table(rows.limit(0).toArrow(), target)
            shutil.rmtree(staging)
            exported.append(table)
    return exported
