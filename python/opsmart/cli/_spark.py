"""The `opsmart spark` commands: build on Spark, compare two exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from opsmart import nightly
from opsmart.cli._common import EXIT_OK, _dbt_vars, _say
from opsmart.ingest import LandingError

__all__ = ["cmd_spark_build", "cmd_spark_compare"]


def cmd_spark_build(options: argparse.Namespace) -> int:
    """Build the project on a local Spark session; optionally compare with DuckDB's."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise LandingError(
            "PySpark is not installed in this environment: run `make install-spark` "
            "(docs/spark.md)"
        ) from None
    from opsmart.spark.build import QuarantineRateExceededError, build_on_spark

    try:
        result = build_on_spark(
            Path(options.landing),
            Path(options.spark_dir),
            window_start=options.window_start,
            dbt_vars=_dbt_vars(options.vars),
            max_quarantine_rate=options.max_quarantine_rate,
            say=_say,
        )
    except QuarantineRateExceededError as error:
        print(f"opsmart: {error}", file=sys.stderr)
        return nightly.EXIT_QUARANTINE
    timings = ", ".join(f"{step} {secs:.1f} s" for step, secs in result.seconds.items())
    if not result.success:
        print(
            f"opsmart: dbt build on Spark failed ({timings}); see "
            f"{result.spark_dir / 'logs'}",
            file=sys.stderr,
        )
        return nightly.EXIT_DBT_FAILED
    print(
        f"built on Spark in {sum(result.seconds.values()):.1f} s ({timings}); "
        f"export {result.export_dir}"
    )
    if options.compare_with is None:
        return EXIT_OK
    return _compare(Path(options.compare_with), result.export_dir)


def cmd_spark_compare(options: argparse.Namespace) -> int:
    """Compare two exports of the public models (exit 1 when they differ, like diff)."""
    return _compare(Path(options.expected), Path(options.actual))


def _compare(expected: Path, actual: Path) -> int:
    from opsmart.nightly.publish import exported_tables
    from opsmart.spark import compare_exports

    for folder in (expected, actual):
        if not exported_tables(folder):
            raise LandingError(f"{folder} holds no export (<schema>/<table>.parquet)")
    differences = compare_exports(expected, actual)
    tables = len(exported_tables(expected))
    if differences:
        for difference in differences:
            print(f"  {difference}", file=sys.stderr)
        print(
            f"{len(differences)} differences between {expected} and {actual}",
            file=sys.stderr,
        )
        return 1
    print(f"{tables} tables equal in {expected} and {actual}")
    return EXIT_OK
