"""A dbt Python model's input, transformed one Arrow record batch at a time.

The Python models that append computed columns to every row of a large relation
(the queueing baselines, the value-optimal staffing) read it as Arrow record
batches, so that only one batch at a time is a pandas frame, as it would be where
dbt runs Python models on a cluster. This is the loop they share, and, for such a
model made incremental, the rows of its input it has not stored yet
(:func:`unstored_rows`).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd
import pyarrow as pa

__all__ = ["append_record_batches", "map_record_batches", "unstored_rows"]


def map_record_batches(
    reader: pa.RecordBatchReader,
    transform: Callable[[pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """`transform` applied to each batch of `reader` as a pandas frame, stacked.

    Parameters
    ----------
    reader
        The input relation's record batches (dbt's `to_arrow_reader`).
    transform
        A row-wise function of one frame: its result for a batch must not depend
        on the other batches.

    Returns
    -------
    pandas.DataFrame
        The transformed batches in the reader's order, on a fresh 0..n-1 index.
        An input without rows gives the transform of an empty frame of the input's
        schema, so the output keeps its columns.

    Examples
    --------
    >>> table = pa.table({"x": [1, 2, 3]})
    >>> reader = pa.RecordBatchReader.from_batches(
    ...     table.schema, table.to_batches(max_chunksize=2)
    ... )
    >>> map_record_batches(reader, lambda frame: frame.assign(y=frame["x"] * 10))
       x   y
    0  1  10
    1  2  20
    2  3  30
    """
    frames = [transform(batch.to_pandas()) for batch in reader]
    if not frames:
        frames = [transform(reader.schema.empty_table().to_pandas())]
    return pd.concat(frames, ignore_index=True)


def append_record_batches(
    reader: pa.RecordBatchReader,
    compute: Callable[[pd.DataFrame], pd.DataFrame],
) -> pa.Table:
    """Each batch of `reader` with the columns `compute` derives from it appended.

    Unlike :func:`map_record_batches`, the input's columns keep their Arrow types:
    a decimal stays the decimal it was and an integer column with nulls stays an
    integer, where a pandas round trip infers a decimal's width from the values
    and turns integers with nulls into floats. So the table's types do not depend
    on which rows a run computed, which an incremental model needs: its new rows
    go into the table a full build created, and a changed type stops the run.

    Parameters
    ----------
    reader
        The input relation's record batches (dbt's `to_arrow_reader`).
    compute
        A row-wise function of one batch as a pandas frame that returns only the
        new columns, one row per input row, in order; its result for a batch
        must not depend on the other batches. Float NaN become nulls, as they do
        when DuckDB reads a pandas frame.

    Returns
    -------
    pyarrow.Table
        The input columns, then the computed ones, in the reader's order. An
        input without rows gives a table without rows, with the computed columns
        of an empty frame of the input's schema.

    Examples
    --------
    >>> table = pa.table({"x": pa.array([1, None], pa.int32())})
    >>> reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    >>> got = append_record_batches(reader, lambda f: pd.DataFrame({"y": f["x"] / 2}))
    >>> [str(t) for t in got.schema.types], got.to_pydict()
    (['int32', 'double'], {'x': [1, None], 'y': [0.5, None]})
    """
    batches = list(reader) or [pa.RecordBatch.from_pylist([], schema=reader.schema)]
    tables = []
    for batch in batches:
        computed = compute(batch.to_pandas())
        table = pa.Table.from_batches([batch])
        for name in computed.columns:
            table = table.append_column(
                str(name), pa.Array.from_pandas(computed[name].to_numpy())
            )
        tables.append(table)
    return pa.concat_tables(tables)


def unstored_rows(
    rows: duckdb.DuckDBPyRelation, stored: duckdb.DuckDBPyRelation
) -> duckdb.DuckDBPyRelation:
    """The rows of `rows` that `stored` does not hold as they are.

    An incremental model whose every output row is a function of one input row
    alone (a row-wise computation, such as the value-optimal staffing of an
    interval) need recompute only the input rows that are new or changed since it
    stored them: an unchanged row would give the same bits again. Every column of
    `rows` is compared with the stored row's column of the same name (null equals
    null), so a row is recomputed when anything it is computed from changed,
    whatever changed it (a new interval, the run window's rows rebuilt, a refit's
    new prices, a whole-history fallback that moved).

    Parameters
    ----------
    rows
        The model's input relation.
    stored
        The model's table as stored: every column of `rows`, plus the computed
        ones.

    Returns
    -------
    duckdb.DuckDBPyRelation
        The rows of `rows` with no identical row in `stored`, with the columns of
        `rows`. Rows of `stored` whose key `rows` no longer holds are not found
        here: the model's input must never lose a key between full builds (the
        incremental marts only add and replace keys).

    Examples
    --------
    >>> connection = duckdb.connect()
    >>> stored = connection.sql("select * from (values (1, 2.0, 4.0)) t(k, x, y)")
    >>> rows = connection.sql("select * from (values (1, 2.0), (2, 1.0)) t(k, x)")
    >>> unstored_rows(rows, stored).fetchall()
    [(2, Decimal('1.0'))]
    """
    condition = " and ".join(
        f'new_rows."{name}" is not distinct from stored_rows."{name}"'
        for name in rows.columns
    )
    return rows.set_alias("new_rows").join(
        stored.set_alias("stored_rows"), condition, how="anti"
    )
