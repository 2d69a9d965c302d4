"""Two exports compare equal up to row order and tolerance; each difference shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from opsmart.spark.compare import Difference, compare_exports, compare_tables

#: The three rows every small table starts from.
BASE = pa.table(
    {
        "id": pa.array([1, 2, 3], pa.int64()),
        "name": pa.array(["a", "b", "c"], pa.string()),
        "score": pa.array([1.5, 2.25, 1234.5], pa.float64()),
    }
)


def _export(root: Path, tables: dict[str, pa.Table]) -> Path:
    """Write each `schema.table` as `root/<schema>/<table>.parquet`."""
    for name, table in tables.items():
        schema, stem = name.split(".")
        (root / schema).mkdir(parents=True, exist_ok=True)
        pq.write_table(table, root / schema / f"{stem}.parquet")
    return root


def _compare(
    tmp_path: Path, expected: dict[str, pa.Table], actual: dict[str, pa.Table]
) -> list[Difference]:
    """Write both exports under `tmp_path` and compare them."""
    return compare_exports(
        _export(tmp_path / "a", expected), _export(tmp_path / "b", actual)
    )


def _with(table: pa.Table, column: str, values: pa.Array) -> pa.Table:
    """`table` with `column` replaced by `values` (same position)."""
    return table.set_column(table.schema.get_field_index(column), column, values)


def _one_column(name: str, values: list[object], data_type: pa.DataType) -> pa.Table:
    """A one-column table."""
    return pa.table({name: pa.array(values, data_type)})


def test_identical_exports_have_no_differences(tmp_path: Path) -> None:
    """The same tables in two folders compare equal."""
    tables = {"marts.t": BASE, "reports.r": BASE.slice(0, 2)}
    assert _compare(tmp_path, tables, tables) == []


def test_row_and_column_order_do_not_matter(tmp_path: Path) -> None:
    """Rows in another order and columns in another order still compare equal."""
    shuffled = BASE.take([2, 0, 1]).select(["score", "name", "id"])
    assert shuffled.column_names != BASE.column_names
    assert _compare(tmp_path, {"marts.t": BASE}, {"marts.t": shuffled}) == []


def test_float_within_tolerance_is_equal(tmp_path: Path) -> None:
    """A float off by 1e-12 relative (the engines add in other orders) is equal."""
    close = _with(BASE, "score", pa.array([1.5, 2.25, 1234.5 * (1 + 1e-12)]))
    assert close.column("score")[2].as_py() != 1234.5
    assert _compare(tmp_path, {"marts.t": BASE}, {"marts.t": close}) == []


def test_float_beyond_tolerance_is_one_difference(tmp_path: Path) -> None:
    """A float off by 1e-6 relative is one difference naming table, column, values."""
    off = _with(BASE, "score", pa.array([1.5, 2.25, 1234.5 * (1 + 1e-6)]))
    differences = _compare(tmp_path, {"marts.t": BASE}, {"marts.t": off})
    assert len(differences) == 1
    (difference,) = differences
    assert difference.table == "marts.t"
    assert "column score: 1 of 3 rows differ" in difference.what
    assert f"1234.5 vs {1234.5 * (1 + 1e-6)!r}" in difference.what
    assert str(difference).startswith("marts.t: column score")


def test_null_against_value_differs_in_exact_and_float_columns(tmp_path: Path) -> None:
    """A null where the other export has a value is a difference, whatever the kind."""
    nulls = _with(BASE, "name", pa.array(["a", None, "c"]))
    nulls = _with(nulls, "score", pa.array([1.5, 2.25, None], pa.float64()))
    differences = _compare(tmp_path, {"marts.t": BASE}, {"marts.t": nulls})
    assert [d.what.split(":")[0] for d in differences] == [
        "column name",
        "column score",
    ]
    assert "'b' vs None" in differences[0].what
    assert "1234.5 vs None" in differences[1].what


def test_nulls_and_nans_on_both_sides_are_equal(tmp_path: Path) -> None:
    """Null against null, and NaN against NaN, compare equal in every kind."""
    table = pa.table(
        {
            "name": pa.array(["a", None], pa.string()),
            "score": pa.array([None, float("nan")], pa.float64()),
            "amount": pa.array([None, Decimal("1.0000")], pa.decimal128(18, 4)),
        }
    )
    assert _compare(tmp_path, {"marts.t": table}, {"marts.t": table}) == []


def test_table_in_one_export_only(tmp_path: Path) -> None:
    """A table missing from either export is an `only in` difference naming it."""
    expected = {"marts.t": BASE, "marts.gone": BASE}
    actual = {"marts.t": BASE, "reports.new": BASE}
    differences = _compare(tmp_path, expected, actual)
    assert differences == [
        Difference("marts.gone", f"only in {tmp_path / 'a'}"),
        Difference("reports.new", f"only in {tmp_path / 'b'}"),
    ]


def test_different_row_counts(tmp_path: Path) -> None:
    """A table with a row fewer is one difference giving both counts."""
    differences = _compare(tmp_path, {"marts.t": BASE}, {"marts.t": BASE.slice(0, 2)})
    assert differences == [Difference("marts.t", "2 rows, expected 3")]


def test_missing_and_extra_columns(tmp_path: Path) -> None:
    """A column dropped and one added are named in one difference."""
    changed = BASE.drop_columns(["name"]).append_column(
        "extra", pa.array([0, 0, 0], pa.int64())
    )
    differences = _compare(tmp_path, {"marts.t": BASE}, {"marts.t": changed})
    assert differences == [
        Difference("marts.t", "columns differ: missing ['name'], extra ['extra']")
    ]


def test_exact_string_column_differs(tmp_path: Path) -> None:
    """A text value changed is a difference in that column only."""
    changed = _with(BASE, "name", pa.array(["a", "B", "c"]))
    differences = _compare(tmp_path, {"marts.t": BASE}, {"marts.t": changed})
    assert len(differences) == 1
    assert differences[0].what.startswith("column name: 1 of 3 rows differ")
    assert "'b' vs 'B'" in differences[0].what


def test_type_kind_change_is_reported(tmp_path: Path) -> None:
    """A text column that became a float column is a type difference."""
    expected = _one_column("value", ["1.5", "2.0"], pa.string())
    actual = _one_column("value", [1.5, 2.0], pa.float64())
    differences = _compare(tmp_path, {"marts.t": expected}, {"marts.t": actual})
    assert differences == [
        Difference("marts.t", "column value is double, expected string")
    ]


@pytest.mark.parametrize(
    ("expected", "actual", "equal"),
    [
        ("8.7137", "8.7138", True),  # one unit in the last place (rounding halves)
        ("152.4907", "152.4911", True),  # relative 2.6e-6, under DECIMAL_REL_TOL
        ("1.0000", "1.0100", False),  # relative 1e-2
    ],
)
def test_decimal_tolerance(expected: str, actual: str, equal: bool) -> None:
    """Decimals are equal within one unit in the last place or 1e-5 relative."""
    data_type = pa.decimal128(18, 4)
    differences = compare_tables(
        "marts.t",
        _one_column("amount", [Decimal(expected)], data_type),
        _one_column("amount", [Decimal(actual)], data_type),
    )
    assert (differences == []) is equal
    if not equal:
        assert differences[0].what.startswith("column amount: 1 of 1 rows differ")


def test_timestamp_naive_and_utc_are_the_same_instant(tmp_path: Path) -> None:
    """A naive timestamp equals the same instant stored as a UTC timestamp."""
    noon = dt.datetime(2024, 3, 31, 12, 30, 15, 123456)
    naive = _one_column("at", [noon], pa.timestamp("us"))
    utc = _one_column("at", [noon.replace(tzinfo=dt.UTC)], pa.timestamp("us", tz="UTC"))
    assert _compare(tmp_path, {"marts.t": naive}, {"marts.t": utc}) == []


def test_timestamps_an_hour_apart_differ(tmp_path: Path) -> None:
    """A naive timestamp against a UTC one an hour later is a difference."""
    noon = dt.datetime(2024, 3, 31, 12, 0)
    later = noon.replace(tzinfo=dt.UTC) + dt.timedelta(hours=1)
    naive = _one_column("at", [noon], pa.timestamp("us"))
    utc = _one_column("at", [later], pa.timestamp("us", tz="UTC"))
    differences = _compare(tmp_path, {"marts.t": naive}, {"marts.t": utc})
    assert len(differences) == 1
    assert differences[0].what.startswith("column at: 1 of 1 rows differ")


def test_a_table_by_month_compares_as_one_table(tmp_path: Path) -> None:
    """The DuckDB export's big marts are one file per month: read whole, without the
    folder's `month`; a month missing is a difference."""
    spark = _export(tmp_path / "spark", {"marts.t": BASE})
    duckdb_export = tmp_path / "duckdb" / "marts" / "t"
    for month, rows in (("2026-01", BASE.slice(0, 2)), ("2026-02", BASE.slice(2))):
        (duckdb_export / f"month={month}").mkdir(parents=True)
        pq.write_table(rows, duckdb_export / f"month={month}" / "data_0.parquet")
    assert compare_exports(spark, tmp_path / "duckdb") == []
    (duckdb_export / "month=2026-02" / "data_0.parquet").unlink()
    assert compare_exports(spark, tmp_path / "duckdb") == [
        Difference("marts.t", "2 rows, expected 3")
    ]
