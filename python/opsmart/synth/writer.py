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

__all__ = ["FORMATS", "Column", "write_source"]

FORMATS = ("csv", "parquet")

Column = tuple[
    NDArray[np.generic] | list[str] | list[str | None], NDArray[np.bool_] | None
]
"""A column's values and its null mask (True = null), or None for no nulls."""


def _offset_seconds(offset: str) -> int:
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset.lstrip("+-").split(":")
    return sign * (int(hours) * 3600 + int(minutes) * 60)


def _timestamp_array(
    seconds: NDArray[np.int64],
    mask: NDArray[np.bool_] | None,
    *,
    base: dt.date,
    offset: str,
    file_format: str,
) -> pa.Array:
    secs = np.asarray(seconds, dtype=np.int64)
    if mask is not None:
        secs = np.where(mask, 0, secs)
    local = np.datetime64(base.isoformat(), "s") + secs.astype("timedelta64[s]")
    if file_format == "csv":
        text = np.char.add(np.datetime_as_string(local, unit="s"), offset)
        return pa.array(text.tolist(), type=pa.string(), mask=mask)
    utc = local.astype(np.int64) - _offset_seconds(offset)
    return pa.array(utc, type=pa.timestamp("s", tz=offset), mask=mask)


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
    base: dt.date,
    offset: str,
    file_format: str,
    integer_numbers: frozenset[str] = frozenset(),
) -> int:
    """Write one landing file with exactly the contract columns of `source`.

    Parameters
    ----------
    source
        A key of ``opsmart.contract.SOURCES``.
    columns
        Values per contract column. Timestamps are whole seconds from `base`
        (local midnight); dates are days from `base`.
    path
        The file to write (its parent is created).
    base, offset
        Local date of second 0 and the UTC offset written on timestamps.
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
                    base=base,
                    offset=offset,
                    file_format=file_format,
                )
            )
        elif col.type == "date":
            days = np.asarray(values, dtype=np.int64)
            epoch = (base - dt.date(1970, 1, 1)).days
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
