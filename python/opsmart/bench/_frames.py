"""Pandas helpers of the notebook baseline that behave as the warehouse does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from opsmart.bench._shared import source_files

__all__ = ["decimal4", "ratio", "read_source", "utc"]


def read_source(landing_dir: Path, source: str) -> pd.DataFrame:
    """All files of one source in one frame (ids as text, as the contract says)."""
    files = source_files(landing_dir, source)
    if files[0].suffix == ".parquet":
        return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    ids = dict.fromkeys(
        ["contact_id", "customer_id", "queue_id", "agent_id", "team_id"], str
    )
    return pd.concat([pd.read_csv(f, dtype=ids) for f in files], ignore_index=True)


def utc(column: pd.Series) -> pd.Series:
    """ISO-8601 text with an offset, or aware timestamps, as naive UTC (in µs)."""
    aware = pd.to_datetime(column, utc=True, format="ISO8601")
    return aware.dt.tz_localize(None).dt.as_unit("us")


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0 (safe_divide)."""
    return numerator / denominator.where(denominator != 0)


def decimal4(amount: pd.Series) -> pd.Series:
    """Round non-negative money to 4 decimals as a cast to DECIMAL(18, 4) does."""
    return np.floor(amount * 10_000 + 0.5) / 10_000
