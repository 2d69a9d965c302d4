"""Writing landing files in the contract's columns, as CSV or Parquet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from opsmart.contract import SOURCES
from opsmart.synth.clock import LocalClock

__all__ = ["FORMATS", "Column", "write_source"]

FORMATS = ("csv", "parquet")

Column = tuple[
    NDArray[np.generic] | list[str] | list[str | None], NDArray[np.bool_] | None
]
"""A column's values and its null mask (True = null), or None for no nulls."""


def _timestamp_array(
    seconds: NDArray[np.int64],
    mask: NDArray[np.bool_] | None,
    *,
    clock: LocalClock,
    file_format: str,
) -> pa.Array:
    """CSV: local ISO text with each instant's own offset (it changes with DST).
    Parquet: the UTC instant, typed with the zone's name."""
    secs = np.asarray(seconds, dtype=np.int64)
    if mask is not None:
        secs = np.where(mask, 0, secs)
    if file_format == "csv":
        return pa.array(clock.iso(secs), type=pa.string(), mask=mask)
    return pa.array(
        clock.utc_epoch_seconds(secs), type=pa.timestamp("s", tz=clock.zone), mask=mask
    )


_ARROW_TYPES = {
    "string": pa.string(),
    "number": pa.float64(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}


def write_source(
    source: str,
    columns: dict[str, Column],
    path: Path,
    *,
    clock: LocalClock,
    file_format: str,
    integer_numbers: frozenset[str] = frozenset(),
) -> int:
    """Write one landing file with exactly the contract columns of `source`.

    Parameters
    ----------
    source
        A key of ``opsmart.contract.SOURCES``.
    columns
        Values per contract column. Timestamps are whole elapsed seconds from the
        local midnight of the clock's first day; dates are days from that day.
    path
        The file to write (its parent is created).
    clock
        The center's clock: its zone gives each timestamp's offset.
    file_format
        ``csv`` or ``parquet``.
    integer_numbers
        Contract ``number`` columns holding whole numbers (written without a
        decimal point).

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    ValueError
        If the columns differ from the contract's.
    """
    contract = SOURCES[source]
    names = [c.name for c in contract]
    if sorted(columns) != sorted(names):
        raise ValueError(f"`columns` must be the contract columns of {source!r}")
    arrays: list[pa.Array] = []
    for col in contract:
        values, mask = columns[col.name]
        if col.type == "timestamp":
            arrays.append(
                _timestamp_array(
                    np.asarray(values, dtype=np.int64),
                    mask,
                    clock=clock,
                    file_format=file_format,
                )
            )
        elif col.type == "date":
            days = np.asarray(values, dtype=np.int64)
            epoch = (clock.start_date - dt.date(1970, 1, 1)).days
            arrays.append(
                pa.array(days + epoch, type=pa.int32(), mask=mask).cast(pa.date32())
            )
        elif col.type == "number" and col.name in integer_numbers:
            arrays.append(
                pa.array(np.asarray(values, dtype=np.int64), type=pa.int64(), mask=mask)
            )
        elif col.type == "string":
            arrays.append(pa.array(list(values), type=pa.string(), mask=mask))
        else:
            arrays.append(pa.array(values, type=_ARROW_TYPES[col.type], mask=mask))
    table = pa.Table.from_arrays(arrays, names=names)
    path.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "csv":
        pacsv.write_csv(
            table, path, write_options=pacsv.WriteOptions(quoting_style="needed")
        )
    else:
        pq.write_table(table, path, compression="zstd")
    return int(table.num_rows)
