"""Reading the input frame of an adapter that a dbt Python model calls.

The adapters (:func:`opsmart.queueing.interval_baselines`,
:func:`opsmart.effects.interval_staffing`, :func:`opsmart.effects.churn_wait_effects`)
take one frame each, with the columns their ``*_INPUT_COLUMNS`` name, and read every
measure as floats in which a null or unreadable value is NaN: a missing input gives a
NaN output, never an error.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["float_column", "require_columns"]


def require_columns(frame: pd.DataFrame, columns: Iterable[str]) -> None:
    """Raise :class:`KeyError` listing the `columns` that `frame` lacks, if any."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"`frame` is missing columns {missing}")


def float_column(frame: pd.DataFrame, name: str) -> NDArray[np.float64]:
    """Column `name` of `frame` as float64, NaN where null or not a number."""
    out: NDArray[np.float64] = pd.to_numeric(frame[name], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return out
