"""The nightly increment on Spark: insert_overwrite of whole day partitions.

The first 35 days are built: the incremental models and every model they read (the
other models are tables that the increment rebuilds whole, so building them twice
would test nothing more; on Spark they were about a third of the build). Then the
last 7 days' files arrive and only the window from a week before them is rebuilt.
Every public table must then equal the full build of all 42 days: rows outside the
window kept, rows inside replaced, none lost (insert_overwrite drops rows when the
window's filter cuts a partition).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from opsmart.spark import compare_exports

ROOT = Path(__file__).resolve().parents[2]
NEW_DAYS, LOOKBACK_DAYS = 7, 7


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


#: The incremental models and the models they read (dbt's selector syntax).
INCREMENTAL_AND_UPSTREAM = "+config.materialized:incremental"


def _build_models(
    landing: Path, spark_dir: Path, window_start: date | None, *select: str
) -> None:
    """build_on_spark, models only (the full build of the suite runs the tests), in a
    process of its own: a Spark session's warehouse is fixed when it starts."""
    code = (
        "import sys; from datetime import date; from pathlib import Path; "
        "from opsmart.spark import build_on_spark; "
        "window = date.fromisoformat(sys.argv[3]) if sys.argv[3] else None; "
        "sys.exit(not build_on_spark(Path(sys.argv[1]), Path(sys.argv[2]), "
        "window_start=window, dbt_args=['--exclude-resource-type', 'test', "
        "'--exclude-resource-type', 'unit_test', *sys.argv[4:]], "
        "say=lambda line: None).success)"
    )
    window = window_start.isoformat() if window_start else ""
    selected = ["--select", *select] if select else []
    args = [sys.executable, "-c", code, str(landing), str(spark_dir), window, *selected]
    subprocess.run(args, check=True, cwd=ROOT)


def test_a_spark_increment_equals_the_full_build(builds) -> None:
    """35 days whole, then 7 more by increment: equal to all 42 days built whole."""
    work = builds.landing.parent
    source, landing = builds.landing, work / "increment-landing"
    spark_dir = work / "spark-increment"
    shutil.rmtree(landing, ignore_errors=True)
    days = sorted({d for p in source.glob("contacts/*.csv") if (d := _file_day(p))})
    cutoff = days[-NEW_DAYS]
    window_start = cutoff - timedelta(days=LOOKBACK_DAYS)

    _deliver(source, landing, before=cutoff)
    _build_models(landing, spark_dir, None, INCREMENTAL_AND_UPSTREAM)
    _deliver(source, landing, before=None)
    _build_models(landing, spark_dir, window_start=window_start)

    differences = compare_exports(builds.duckdb_export, spark_dir / "export")
    assert not differences, "\n".join(map(str, differences))
