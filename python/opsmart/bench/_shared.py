"""What the two baselines of the pipeline benchmark share: inputs, vars, the kernel.

The baselines (:mod:`opsmart.bench.floor`, :mod:`opsmart.bench.notebook`) compute
the headline marts straight from a landing directory. They implement the default
KPI definitions of ``dbt_project.yml``: the values below, which a test checks
against the project.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from opsmart.nightly.dbt_runner import project_dir
from opsmart.queueing import interval_baselines

__all__ = [
    "CHOICES",
    "MARTS",
    "SOURCES",
    "VARS",
    "queues_seed",
    "source_files",
    "with_baselines",
]

#: The tables each baseline returns, by mart name.
MARTS = ("fct_queue_intervals", "fct_queue_days", "rpt_cost_vs_satisfaction")

#: The landing sources the baselines read (all five are needed).
SOURCES = ("contacts", "agent_intervals", "survey_responses", "customers", "costs")

#: The numeric vars the baselines take, at their ``dbt_project.yml`` defaults.
VARS: dict[str, int] = {
    "interval_minutes": 30,
    "sl_threshold_seconds": 20,
    "short_abandon_seconds": 5,
}

#: The definition choices the baselines hard-code: the ``dbt_project.yml`` defaults.
CHOICES: dict[str, object] = {
    "interval_attribution": "arrival",
    "sl_method": "offered",
    "abandonment_method": "offered",
    "asa_method": "all_answered",
    "occupancy_method": "handling_plus_available",
    "aht_includes_hold": True,
    "aht_includes_acw": True,
    "csat_method": "top2box",
    "cost_vs_satisfaction_dimensions": ["queue", "channel", "segment", "team"],
    "cost_vs_satisfaction_period_grains": ["week", "month"],
}


def source_files(landing_dir: Path, source: str) -> list[Path]:
    """Return the landing files of one source, sorted (all CSV or all Parquet).

    Parameters
    ----------
    landing_dir : pathlib.Path
        The landing directory (``<landing>/<source>/*.csv|*.parquet``).
    source : str
        One of :data:`SOURCES`.

    Returns
    -------
    list of pathlib.Path
        The source's files.

    Raises
    ------
    FileNotFoundError
        If the source has no files.
    ValueError
        If the source mixes CSV and Parquet files.
    """
    folder = Path(landing_dir) / source
    files = sorted(folder.glob("*.parquet")) + sorted(folder.glob("*.csv"))
    if not files:
        raise FileNotFoundError(f"no CSV or Parquet files in {folder}")
    if len({path.suffix for path in files}) > 1:
        raise ValueError(f"{folder} mixes CSV and Parquet files; use one format")
    return files


def queues_seed() -> Path:
    """Return the path of the project's ``seeds/queues.csv`` (queues and targets)."""
    return project_dir() / "seeds" / "queues.csv"


def with_baselines(workload: pd.DataFrame) -> pd.DataFrame:
    """Append the Erlang C / Erlang A baselines to the queue x interval workload.

    Exactly what the dbt Python model ``int_queue_interval_baselines_computed``
    does: :func:`opsmart.queueing.interval_baselines` priced with
    ``workload_aht_seconds`` (the interval's AHT, or the queue's AHT of the day
    where nothing was answered).

    Parameters
    ----------
    workload : pandas.DataFrame
        One row per queue x interval with the columns of
        ``opsmart.queueing.baselines.INPUT_COLUMNS`` (``aht_seconds`` is
        replaced) and ``workload_aht_seconds``.

    Returns
    -------
    pandas.DataFrame
        `workload` with the baseline columns appended, in the same row order.
    """
    baselines = interval_baselines(
        workload.assign(aht_seconds=workload["workload_aht_seconds"])
    ).drop(columns=["queue_id", "interval_start_at"])
    return pd.concat([workload, baselines], axis=1)
