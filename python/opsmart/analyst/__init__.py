"""What an analyst runs against a published warehouse: SQL and MetricFlow, read-only.

`opsmart sql` (`sql.py`) is a small read-only SQL shell over the warehouse file, so
nothing but the project's own `.venv` is needed to query it (PyPI's DuckDB CLI is an
older DuckDB that cannot open the file). `opsmart metrics` (`metrics.py`) runs
MetricFlow's `mf` with the project, profile and semantic manifest it needs, from any
folder.
"""

from __future__ import annotations

from opsmart.analyst.metrics import run_metricflow
from opsmart.analyst.sql import WarehouseError, open_warehouse, run_script, shell

__all__ = ["WarehouseError", "open_warehouse", "run_metricflow", "run_script", "shell"]
