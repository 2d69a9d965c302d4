"""map_record_batches: each batch transformed on its own, stacked in order."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from opsmart.batches import map_record_batches


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
