"""Start the explorer: check the warehouse, then run Streamlit on `app.py`.

The warehouse is checked here, once, so a wrong path is one line and exit 2
before any server starts; the app itself opens the file read-only per page run.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from opsmart.analyst.plan import has_table
from opsmart.analyst.sql import WarehouseError, open_warehouse

__all__ = [
    "APP",
    "REQUIRED_TABLE",
    "WAREHOUSE_VARIABLE",
    "check_warehouse",
    "streamlit_command",
    "streamlit_environment",
]

#: The Streamlit script.
APP = Path(__file__).with_name("app.py")

#: The environment variable that hands the app its warehouse.
WAREHOUSE_VARIABLE = "OPSMART_EXPLORE_WAREHOUSE"

#: A table every opsmart warehouse has: without it the file is not one.
REQUIRED_TABLE = "marts.fct_queue_intervals"


def check_warehouse(path: Path) -> None:
    """Open `path` read-only once and look for the marts.

    Raises
    ------
    WarehouseError
        When the file is missing, is not a DuckDB file, or is not an opsmart
        warehouse (no ``marts.fct_queue_intervals``).
    """
    connection = open_warehouse(path)
    with connection:
        if not has_table(connection, REQUIRED_TABLE):
            raise WarehouseError(
                f"{path} is not an opsmart warehouse (it has no {REQUIRED_TABLE}); "
                "pass the opsmart.duckdb that `opsmart build` or `make demo` publishes"
            )


def streamlit_environment(warehouse: Path) -> dict[str, str]:
    """This process's environment with the app's warehouse (an absolute path)."""
    return {**os.environ, WAREHOUSE_VARIABLE: str(warehouse.resolve())}


def streamlit_command(*, host: str, port: int) -> list[str]:
    """The command that serves the app on `host`:`port` (its warehouse comes from
    :func:`streamlit_environment`).

    Raises
    ------
    WarehouseError
        When Streamlit is not installed (`make install-explore`).
    """
    if importlib.util.find_spec("streamlit") is None:
        raise WarehouseError(
            "Streamlit is not installed: run `make install-explore` (it adds "
            "requirements.explore.txt to .venv)"
        )
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--global.developmentMode",
        "false",
    ]
