"""The Spark suite (`make test-spark`): one demo, built on DuckDB and on Spark.

Not part of `make test` (it needs `make install-spark` and takes minutes). The demo
covers six weeks, so the 30-day churn windows and every report have rows; both
builds read the same landing files. The summary line gives both build times.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from opsmart.spark import SparkBuild, build_on_spark
from opsmart.spark.session import stop_spark_session

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "test-spark"
DAYS, AGENTS = 42, 12
_TIMINGS: dict[str, float] = {}


@dataclass(frozen=True)
class Builds:
    landing: Path
    duckdb_export: Path
    spark: SparkBuild


def pytest_configure(config: pytest.Config) -> None:
    # PySpark 4.3 warns on every pandas conversion that it "does not yet fully support
    # pandas >= 3.0.0" (the project's pandas); the comparison is what tells.
    config.addinivalue_line(
        "filterwarnings", "ignore:PySpark does not yet fully support pandas"
    )
    config.addinivalue_line("filterwarnings", "ignore:The copy keyword is deprecated")


def _opsmart(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "opsmart", *args], check=True, cwd=ROOT)


@pytest.fixture(scope="session")
def builds() -> Iterator[Builds]:
    """The demo built by `opsmart build` (DuckDB) and by `build_on_spark`."""
    landing, warehouse = WORK / "landing", WORK / "duckdb" / "opsmart.duckdb"
    days, agents = str(DAYS), str(AGENTS)
    _opsmart("generate", "--out", str(landing), "--days", days, "--agents", agents,
             "--overwrite")  # fmt: skip
    started = time.perf_counter()
    _opsmart("build", "--landing", str(landing), "--warehouse", str(warehouse))
    _TIMINGS["duckdb_build"] = time.perf_counter() - started
    # The session stays open for test_udtfs; stopped at the end.
    spark = build_on_spark(
        landing, WORK / "spark", keep_session=True, say=lambda line: None
    )
    _TIMINGS.update(spark.seconds)
    (WORK / "timings.json").write_text(json.dumps(_TIMINGS, indent=2))
    yield Builds(landing, warehouse.parent / "parquet" / "current", spark)
    session = SparkSession.getActiveSession()
    if session is not None:
        stop_spark_session(session)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if "duckdb_build" not in _TIMINGS:
        return
    duckdb_seconds = _TIMINGS["duckdb_build"]
    spark = {k: v for k, v in _TIMINGS.items() if k != "duckdb_build"}
    total = sum(spark.values())
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in spark.items())
    terminalreporter.write_line(
        f"Spark build {total:.1f} s ({steps}); `opsmart build` on DuckDB "
        f"{duckdb_seconds:.1f} s (with validation and report): Spark/DuckDB "
        f"{total / duckdb_seconds:.1f}x"
    )
