"""The commands that only read a published warehouse: report, sql, metrics."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from opsmart.cli._common import EXIT_OK
from opsmart.ingest import LandingError

__all__ = ["cmd_metrics", "cmd_report", "cmd_sql"]


def cmd_report(options: argparse.Namespace) -> int:
    """Write the HTML report of a published warehouse (read-only) for one day."""
    from opsmart.report import render_report

    warehouse = Path(options.warehouse)
    if not warehouse.is_file():
        raise LandingError(f"warehouse {warehouse} does not exist; build it first")
    day = options.date.isoformat() if options.date else "latest"
    out = options.out or warehouse.parent / "report" / f"opsmart_report_{day}.html"
    path = render_report(warehouse, Path(out), run_date=options.date)
    print(f"report {path.resolve()}")
    return EXIT_OK


def cmd_sql(options: argparse.Namespace) -> int:
    """Run SQL on the warehouse, read-only: QUERY, else stdin or an interactive loop."""
    from opsmart.analyst import open_warehouse, run_script, shell
    from opsmart.analyst.sql import terminal_width

    connection = open_warehouse(Path(options.warehouse))
    with connection:
        if options.query is not None:
            sql = options.query
        elif not sys.stdin.isatty():
            sql = sys.stdin.read()
        else:
            with contextlib.suppress(ImportError):  # line editing, history
                import readline  # noqa: F401
            shell(connection, input, sys.stdout, sys.stderr, csv_output=options.csv)
            return EXIT_OK
        width = terminal_width() if sys.stdout.isatty() else None
        run_script(connection, sql, sys.stdout, csv_output=options.csv, width=width)
    return EXIT_OK


def cmd_metrics(options: argparse.Namespace) -> int:
    """MetricFlow's `mf` with the rest of the arguments, on the warehouse, read-only."""
    from opsmart.analyst import run_metricflow

    return run_metricflow(Path(options.warehouse), options.mf_args)
