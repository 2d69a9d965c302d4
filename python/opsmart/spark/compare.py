"""Compare two exports of the public models, e.g. the DuckDB and the Spark build.

Both builds export every public table as `<schema>/<table>.parquet` (the DuckDB
build's big marts as a folder of months, `<schema>/<table>/month=YYYY-MM/*.parquet`,
read whole here; the month is only the folder's name). Two exports are
equal when they hold the same tables, each with the same columns and the same rows:
rows are matched after sorting on every column (exact columns first), exact columns
(text, integers, booleans, dates, timestamps) must be equal, and floating-point and
decimal columns equal up to a tolerance, since the engines add in different orders.
Nulls must be null in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from opsmart.nightly.publish import exported_tables

__all__ = ["Difference", "compare_exports", "compare_tables"]

#: Relative and absolute tolerance of floating-point columns.
REL_TOL = 1e-9
ABS_TOL = 1e-9
#: Decimal columns (amounts) are rounded per row from doubles, and the engines round
#: halves differently: DuckDB rounds the exact binary value (8.71375 is stored as
#: 8.7137499... and gives 8.7137), Spark its shortest decimal form half up (8.7138).
#: A sum of rounded rows may then differ by a few units in the last place.
DECIMAL_REL_TOL = 1e-5
#: How many differing rows a difference shows.
SHOWN = 3


@dataclass(frozen=True)
class Difference:
    """One way a table of the actual export differs from the expected one."""

    table: str
    what: str

    def __str__(self) -> str:
        return f"{self.table}: {self.what}"


def compare_exports(
    expected: Path, actual: Path, *, rel_tol: float = REL_TOL, abs_tol: float = ABS_TOL
) -> list[Difference]:
    """Every difference between two export folders; empty when they are equal."""
    expected_tables = exported_tables(expected)
    actual_tables = exported_tables(actual)
    differences = [
        Difference(name, f"only in {where}")
        for names, where in (
            (expected_tables.keys() - actual_tables.keys(), expected),
            (actual_tables.keys() - expected_tables.keys(), actual),
        )
        for name in sorted(names)
    ]
    for name in sorted(expected_tables.keys() & actual_tables.keys()):
        differences += compare_tables(
            name,
            _read(expected_tables[name]),
            _read(actual_tables[name]),
            rel_tol=rel_tol,
            abs_tol=abs_tol,
        )
    return differences


def compare_tables(
    name: str,
    expected: pa.Table,
    actual: pa.Table,
    *,
    rel_tol: float = REL_TOL,
    abs_tol: float = ABS_TOL,
) -> list[Difference]:
    """The differences between two versions of one table (see the module doc)."""
    missing = [c for c in expected.column_names if c not in actual.column_names]
    extra = [c for c in actual.column_names if c not in expected.column_names]
    if missing or extra:
        return [Difference(name, f"columns differ: missing {missing}, extra {extra}")]
    if expected.num_rows != actual.num_rows:
        return [
            Difference(name, f"{actual.num_rows} rows, expected {expected.num_rows}")
        ]
    columns = expected.column_names
    kinds = {c: _kind(expected.schema.field(c).type) for c in columns}
    differences = [
        Difference(
            name,
            f"column {c} is {actual.schema.field(c).type}, "
            f"expected {expected.schema.field(c).type}",
        )
        for c in columns
        if _kind(actual.schema.field(c).type) != kinds[c]
    ]
    if differences:
        return differences
    order = [c for c in columns if kinds[c] == "exact"] + [
        c for c in columns if kinds[c] != "exact"
    ]
    left = _sorted_frame(expected, order)
    right = _sorted_frame(actual.select(columns), order)
    for column in order:
        same = _equal(
            left[column],
            right[column],
            kinds[column],
            rel_tol,
            abs_tol,
            expected.schema.field(column).type,
        )
        if not same.all():
            rows = np.flatnonzero(~same)[:SHOWN]
            shown = "; ".join(
                f"{left[column].iloc[i]!r} vs {right[column].iloc[i]!r}" for i in rows
            )
            differences.append(
                Difference(
                    name,
                    f"column {column}: {int((~same).sum())} of {len(same)} rows "
                    f"differ (expected vs actual: {shown})",
                )
            )
    return differences


def _read(path: Path) -> pa.Table:
    """A table of an export: one file, or every file of its month folders (without
    the folder names as a column: the files hold the table's columns)."""
    return pq.read_table(path, partitioning=None)


def _kind(data_type: pa.DataType) -> str:
    if pa.types.is_floating(data_type):
        return "float"
    if pa.types.is_decimal(data_type):
        return "decimal"
    return "exact"


def _sorted_frame(table: pa.Table, order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {name: _values(table.column(name)) for name in table.column_names}
    )
    return frame.sort_values(order, na_position="first", kind="stable").reset_index(
        drop=True
    )


def _values(column: pa.ChunkedArray) -> pd.Series:
    """Comparable values: decimals as floats, timestamps as naive UTC."""
    if pa.types.is_decimal(column.type):
        column = column.cast(pa.float64())
    elif pa.types.is_timestamp(column.type):  # the same instant, zone dropped
        column = column.cast(pa.timestamp("us", tz=column.type.tz)).cast(
            pa.timestamp("us")
        )
    return pd.Series(column.to_pylist(), dtype="object")


def _equal(
    left: pd.Series,
    right: pd.Series,
    kind: str,
    rel_tol: float,
    abs_tol: float,
    data_type: pa.DataType,
) -> np.ndarray:
    # Null is not NaN: an engine that returns NaN where the other returns null differs.
    left_null = np.array([v is None for v in left], dtype=bool)
    right_null = np.array([v is None for v in right], dtype=bool)
    if kind == "exact":
        values = np.array(
            [a == b for a, b in zip(left, right, strict=True)], dtype=bool
        )
        same: np.ndarray = np.where(
            left_null | right_null, left_null & right_null, values
        )
        return same
    a = left.astype("float64").to_numpy()
    b = right.astype("float64").to_numpy()
    if kind == "decimal":  # one unit in the last place, or DECIMAL_REL_TOL
        abs_tol = max(abs_tol, 10.0**-data_type.scale)
        rel_tol = max(rel_tol, DECIMAL_REL_TOL)
    close = np.isclose(a, b, rtol=rel_tol, atol=abs_tol, equal_nan=True) | (a == b)
    same = np.where(left_null | right_null, left_null & right_null, close)
    return same
