"""The nightly increment on Spark: insert_overwrite of whole day partitions.

The first 35 days are built whole (conftest). Then the last 7 days' files arrive and
only the window from a week before them is rebuilt, in the same Spark session (a
night's process would start its own; the SQL it runs is the same). Every public
table must then equal DuckDB's build of all 42 days: rows outside the window kept,
rows inside replaced, the new days' partitions added, none lost (insert_overwrite
drops rows when the window's filter cuts a partition).
"""

from __future__ import annotations

from opsmart.spark import compare_exports


def test_a_spark_increment_equals_the_full_build(builds, increment) -> None:
    """35 days whole, then 7 more by increment: equal to all 42 days built whole."""
    assert increment.success, f"see {increment.spark_dir / 'logs'}"
    differences = compare_exports(builds.all_days_duckdb_export, increment.export_dir)
    assert not differences, "\n".join(map(str, differences))
