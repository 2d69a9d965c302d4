"""The floor baseline: the headline marts in hand-written DuckDB SQL.

What DuckDB itself can do with the landing files: ``floor_inputs.sql`` and
``floor_marts.sql`` (next to this module) read them in-process and compute
``fct_queue_intervals``, ``fct_queue_days`` and ``rpt_cost_vs_satisfaction`` with
the marts' definitions at the default vars. The only step outside SQL is the one
the pipeline also takes in Python: the Erlang C / Erlang A baselines (service
levels, ASA, abandonment, required agents, staffing gap) come from the same
kernel, :func:`opsmart.queueing.interval_baselines`, called on the queue x
interval table fetched as Arrow, exactly as the dbt Python model
``int_queue_interval_baselines_computed`` calls it.

What the pipeline does and the floor does not: no ingest (no quarantine of rows that
break the contract, no de-duplication of events or of snapshot versions of
customers and costs), no validation, no tests, no warehouse, no export. The floor
therefore expects a clean landing directory (as the demo generator writes it) with
all five sources, every file of a source in one format with the contract's
columns. Its columns are the marts' headline columns, with the marts' names; see
``tests/python/bench/test_baselines_match_marts.py``, which checks them against a
built warehouse.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

import duckdb
import pandas as pd

from opsmart.bench._shared import (
    MARTS,
    SOURCES,
    VARS,
    queues_seed,
    source_files,
    with_baselines,
)
from opsmart.contract import SOURCES as CONTRACT

__all__ = ["SCRIPTS", "compute", "connect"]

#: The two SQL scripts: the inputs up to ``queue_intervals_joined``, then the marts.
#: Between them the baselines are computed in Python.
SCRIPTS = (
    Path(__file__).with_name("floor_inputs.sql"),
    Path(__file__).with_name("floor_marts.sql"),
)

_DUCKDB_TYPES = {
    "string": "varchar",
    "timestamp": "timestamptz",
    "date": "date",
    "number": "double",
    "integer": "bigint",
    "boolean": "boolean",
}


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _reader(landing_dir: Path, source: str) -> str:
    """The table function reading one source's files, typed by the contract."""
    files = source_files(landing_dir, source)
    pattern = _sql_text(str(files[0].parent / f"*{files[0].suffix}"))
    if files[0].suffix == ".parquet":
        return f"read_parquet({pattern})"
    types = ", ".join(
        f"{_sql_text(column.name)}: {_sql_text(_DUCKDB_TYPES[column.type])}"
        for column in CONTRACT[source]
    )
    return f"read_csv({pattern}, header = true, types = {{{types}}})"


def connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """The floor's in-memory database: DuckDB's defaults, or `memory_limit`
    (e.g. ``"1792MB"``) as its memory cap."""
    if memory_limit is None:
        return duckdb.connect()
    return duckdb.connect(config={"memory_limit": memory_limit})


def compute(
    landing_dir: Path, *, memory_limit: str | None = None
) -> dict[str, pd.DataFrame]:
    """Compute the headline marts from a landing directory with DuckDB.

    Parameters
    ----------
    landing_dir : pathlib.Path
        A landing directory of the data contract with all five sources
        (``contacts``, ``agent_intervals``, ``survey_responses``, ``customers``,
        ``costs``), CSV or Parquet.
    memory_limit : str, optional
        DuckDB's memory cap (``"1792MB"``). Without it, DuckDB's default: 80 % of
        the machine's memory, of which the bench's year takes about 15 GB on a
        24 GiB machine.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``fct_queue_intervals`` (queue x interval), ``fct_queue_days`` (queue x
        day) and ``rpt_cost_vs_satisfaction`` (unit x period), each with the
        marts' headline columns, sorted by their keys.

    Raises
    ------
    FileNotFoundError
        If a source has no files.

    Notes
    -----
    The scripts run in an in-memory DuckDB database (:func:`connect`) with
    DuckDB's default threads. The Erlang baselines are computed between the two by
    :func:`opsmart.bench._shared.with_baselines`, the pipeline's adapter call.
    """
    landing_dir = Path(landing_dir)
    values = {source: _reader(landing_dir, source) for source in SOURCES}
    values["queues"] = f"read_csv({_sql_text(str(queues_seed()))}, header = true)"
    values.update({name: str(value) for name, value in VARS.items()})
    inputs, marts = (Template(s.read_text()).substitute(values) for s in SCRIPTS)
    con = connect(memory_limit)
    try:
        con.execute(inputs)
        workload = con.table("queue_intervals_joined").to_arrow_table().to_pandas()
        con.register("queue_interval_baselines", with_baselines(workload))
        con.execute(marts)
        return {name: con.table(name).df() for name in MARTS}
    finally:
        con.close()
