"""Helpers of the generator tests, in a module of its own name (not conftest)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_source(out: Path, source: str) -> pd.DataFrame:
    """Read every CSV file of a source as strings (empty string = null)."""
    files = sorted((out / source).glob("*.csv"))
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in files]
    return pd.concat(frames, ignore_index=True)
