"""map_record_batches and append_record_batches: each batch transformed on its own,
stacked in order; unstored_rows: what an incremental row-wise model recomputes."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from opsmart.batches import append_record_batches, map_record_batches, unstored_rows


def _reader(table: pa.Table, rows: int) -> pa.RecordBatchReader:
    return pa.RecordBatchReader.from_batches(
        table.schema, table.to_batches(max_chunksize=rows)
    )


def test_each_batch_is_transformed_alone_and_stacked_in_order() -> None:
    table = pa.table({"x": [1, 2, 3, 4, 5]})
    seen: list[list[int]] = []

    def transform(frame: pd.DataFrame) -> pd.DataFrame:
        seen.append(frame["x"].tolist())
        return frame.assign(batch_rows=len(frame))

    got = map_record_batches(_reader(table, 2), transform)
    assert seen == [[1, 2], [3, 4], [5]]
    assert got["x"].tolist() == [1, 2, 3, 4, 5]
    assert got["batch_rows"].tolist() == [2, 2, 2, 2, 1]
    assert got.index.tolist() == [0, 1, 2, 3, 4]


def test_an_input_without_rows_keeps_the_transformed_columns() -> None:
    schema = pa.schema([("queue_id", pa.string()), ("x", pa.float64())])
    reader = pa.RecordBatchReader.from_batches(schema, [])
    got = map_record_batches(reader, lambda frame: frame.assign(y=frame["x"] * 2))
    assert list(got.columns) == ["queue_id", "x", "y"]
    assert got.empty


def test_appended_columns_keep_the_input_types_whatever_the_rows() -> None:
    # a pandas round trip would make the integers with a null floats and infer the
    # decimal's width from the values: an incremental model's night would then
    # differ in type from its full build
    table = pa.table(
        {
            "k": pa.array([1, None, 3], pa.int32()),
            "amount": pa.array([1, 22, None], pa.decimal128(18, 4)),
        }
    )

    def half(frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"half": frame["k"] / 2})

    got = append_record_batches(_reader(table, 2), half)
    assert got.schema == pa.schema(
        [("k", pa.int32()), ("amount", pa.decimal128(18, 4)), ("half", pa.float64())]
    )
    assert got.to_pydict()["half"] == [0.5, None, 1.5]  # NaN becomes null
    assert got.column("amount").to_pylist() == table.column("amount").to_pylist()
    empty = append_record_batches(
        pa.RecordBatchReader.from_batches(table.schema, []), half
    )
    assert empty.schema == got.schema
    assert empty.num_rows == 0


def test_unstored_rows_are_the_new_and_the_changed_rows() -> None:
    connection = duckdb.connect()
    stored = connection.sql(
        "select * from (values (1, 2.0, null, 10.0), (2, 3.0, 'a', 20.0), "
        "(3, 4.0, null, 30.0)) t(k, x, label, y)"
    )
    rows = connection.sql(
        "select * from (values (1, 2.0, null), (2, 3.0, 'b'), (3, 4.5, null), "
        "(4, 1.0, null)) t(k, x, label)"
    )
    got = unstored_rows(rows, stored)
    assert got.columns == ["k", "x", "label"]
    # 1 is stored as it is (null equals null); 2's text and 3's number changed; 4
    # is new
    assert sorted(row[0] for row in got.fetchall()) == [2, 3, 4]
    nothing_stored = rows.limit(0)
    assert len(unstored_rows(rows, nothing_stored).fetchall()) == 4
