"""The Spark suite (`make test-spark`): one demo, built on DuckDB and on Spark.

Not part of `make test` (it needs `make install-spark` and takes minutes). The demo
covers six weeks. Its first 35 days are built whole on both engines (35 days, so the
30-day churn windows and every report have rows); the last 7 days then arrive and
Spark adds them by increment (test_spark_increment), to be compared with DuckDB's
build of all 42 days. One Spark session serves both Spark builds: a second whole
build of 42 days would add minutes and prove no more. Both engines read the same
landing files. The summary line gives the build times.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from opsmart.spark import SparkBuild, build_on_spark
from opsmart.spark.session import stop_spark_session

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "test-spark"
DAYS, AGENTS = 42, 12
#: The increment: the last NEW_DAYS days' files arrive after the whole build, and
#: the run window opens LOOKBACK_DAYS before them (as a night's does).
NEW_DAYS, LOOKBACK_DAYS = 7, 7
_TIMINGS: dict[str, dict[str, float]] = {}


@dataclass(frozen=True)
class Builds:
    """The first days built whole on both engines, and the whole demo on DuckDB."""

    landing: Path  # all 42 days, as generated
    spark_landing: Path  # the Spark builds' landing: the first days, then the rest
    first_days_end: date  # the first day the whole builds did not see
    duckdb_export: Path  # `opsmart build` of the first days
    spark: SparkBuild  # `build_on_spark` of the first days (its export moved aside)
    all_days_duckdb_export: Path  # `opsmart build` of all 42 days


def pytest_configure(config: pytest.Config) -> None:
    # PySpark 4.3 warns on every pandas conversion that it "does not yet fully support
    # pandas >= 3.0.0" (the project's pandas); the comparison is what tells.
    config.addinivalue_line(
        "filterwarnings", "ignore:PySpark does not yet fully support pandas"
    )
    config.addinivalue_line("filterwarnings", "ignore:The copy keyword is deprecated")


def _opsmart(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "opsmart", *args], check=True, cwd=ROOT)


def _file_day(path: Path) -> date | None:
    """The day in `<source>_YYYY-MM-DD.csv`, None for a snapshot (customers, costs)."""
    try:
        return date.fromisoformat(path.stem.rsplit("_", 1)[-1])
    except ValueError:
        return None


def _deliver(source: Path, landing: Path, before: date | None) -> None:
    """Copy the landing files of days before `before` (all when None), and snapshots."""
    for path in sorted(source.glob("*/*.csv")):
        day = _file_day(path)
        if before is None or day is None or day < before:
            (landing / path.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, landing / path.parent.name / path.name)


def _duckdb_build(landing: Path, name: str) -> Path:
    """`opsmart build` of `landing` into WORK/name; its export's folder."""
    warehouse = WORK / name / "opsmart.duckdb"
    started = time.perf_counter()
    _opsmart("build", "--landing", str(landing), "--warehouse", str(warehouse))
    _TIMINGS.setdefault("duckdb", {})[name] = time.perf_counter() - started
    return warehouse.parent / "parquet" / "current"


@pytest.fixture(scope="session")
def builds() -> Iterator[Builds]:
    """The demo built by `opsmart build` (DuckDB) and by `build_on_spark`."""
    landing = WORK / "landing"
    _opsmart("generate", "--out", str(landing), "--days", str(DAYS),
             "--agents", str(AGENTS), "--overwrite")  # fmt: skip
    days = sorted({d for p in landing.glob("contacts/*.csv") if (d := _file_day(p))})
    first_days_end = days[-NEW_DAYS]
    spark_landing = WORK / "spark-landing"
    shutil.rmtree(spark_landing, ignore_errors=True)
    _deliver(landing, spark_landing, before=first_days_end)

    duckdb_export = _duckdb_build(spark_landing, "duckdb-first-days")
    all_days_duckdb_export = _duckdb_build(landing, "duckdb-all-days")
    # The session stays open for the increment and test_udtfs; stopped at the end.
    spark = build_on_spark(
        spark_landing, WORK / "spark", keep_session=True, say=lambda line: None
    )
    _TIMINGS["spark build"] = spark.seconds
    # The increment writes its export where the whole build wrote its own.
    first_days_export = WORK / "spark-export-first-days"
    shutil.rmtree(first_days_export, ignore_errors=True)
    if spark.export_dir.exists():
        spark.export_dir.rename(first_days_export)
    spark = dataclasses.replace(spark, export_dir=first_days_export)
    (WORK / "timings.json").write_text(json.dumps(_TIMINGS, indent=2))
    yield Builds(
        landing,
        spark_landing,
        first_days_end,
        duckdb_export,
        spark,
        all_days_duckdb_export,
    )
    session = SparkSession.getActiveSession()
    if session is not None:
        stop_spark_session(session)


@pytest.fixture(scope="session")
def increment(builds: Builds) -> SparkBuild:
    """The last days' files delivered to the Spark build, added by increment.

    Models only: the whole build ran every data and unit test. The run window opens
    a week before the new days, so rows of days already built are recomputed and
    replaced (insert_overwrite of their partitions) beside the new days' partitions.
    """
    _deliver(builds.landing, builds.spark_landing, before=None)
    window_start = builds.first_days_end - timedelta(days=LOOKBACK_DAYS)
    result = build_on_spark(
        builds.spark_landing,
        builds.spark.spark_dir,
        window_start=window_start,
        dbt_args=["--exclude-resource-type", "test"],
        keep_session=True,
        say=lambda line: None,
    )
    _TIMINGS["spark increment"] = result.seconds
    (WORK / "timings.json").write_text(json.dumps(_TIMINGS, indent=2))
    return result


def _steps(seconds: dict[str, float]) -> str:
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items())
    return f"{sum(seconds.values()):.1f} s ({steps})"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if "spark build" not in _TIMINGS:
        return
    duckdb_seconds = _TIMINGS["duckdb"]["duckdb-first-days"]
    spark_seconds = sum(_TIMINGS["spark build"].values())
    terminalreporter.write_line(
        f"Spark build of the first days {_steps(_TIMINGS['spark build'])}; "
        f"`opsmart build` on DuckDB {duckdb_seconds:.1f} s (with validation and "
        f"report): Spark/DuckDB {spark_seconds / duckdb_seconds:.1f}x"
    )
    if "spark increment" in _TIMINGS:
        terminalreporter.write_line(
            f"Spark increment of the last {NEW_DAYS} days "
            f"{_steps(_TIMINGS['spark increment'])}"
        )
