"""A dbt Python model's input, transformed one Arrow record batch at a time.

The Python models that append computed columns to every row of a large relation
(the queueing baselines, the value-optimal staffing) read it as Arrow record
batches, so that only one batch at a time is a pandas frame, as it would be where
dbt runs Python models on a cluster. This is the loop they share.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pyarrow as pa

__all__ = ["map_record_batches"]


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
