"""The commands that build and publish a warehouse: build, run, demo."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from opsmart import nightly
from opsmart.cli._common import EXIT_OK, _dbt_vars, _say
from opsmart.cli._landing import cmd_generate
from opsmart.ingest import LandingError
from opsmart.nightly.dbt_runner import vars_in_force

__all__ = ["cmd_build", "cmd_demo", "cmd_run"]


def cmd_build(options: argparse.Namespace) -> int:
    """Rebuild the warehouse from every landing file, validate it and publish it."""
    request = nightly.RunRequest(
        command="build",
        landing=Path(options.landing),
        warehouse=Path(options.warehouse),
        full_refresh=True,
        dbt_vars=_dbt_vars(options.vars),
        max_quarantine_rate=options.max_quarantine_rate,
        docs=options.docs,
        progress=_say,
    )
    return _report(nightly.execute(request))


def cmd_run(options: argparse.Namespace) -> int:
    """The nightly increment: load new landing files, rebuild the window, publish."""
    if options.date and (options.start or options.end):
        raise LandingError("give --date, or --from/--to, not both")
    dbt_vars = _dbt_vars(options.vars)
    # `--date D` is the center's local day D; without one, yesterday on its clock.
    zone = str(vars_in_force(dbt_vars).get("reporting_timezone") or "UTC")
    yesterday = datetime.now(_zone(zone)).date() - timedelta(days=1)
    run_date = options.end or options.date or yesterday
    first_date = options.start or run_date
    if first_date > run_date:
        raise LandingError(f"--from {first_date} is after --to {run_date}")
    request = nightly.RunRequest(
        command="run",
        landing=Path(options.landing),
        warehouse=Path(options.warehouse),
        run_date=run_date,
        window_start=first_date - timedelta(days=options.lookback_days),
        full_refresh=options.full_refresh,
        dbt_vars=dbt_vars,
        max_quarantine_rate=options.max_quarantine_rate,
        docs=options.docs,
        progress=_say,
    )
    return _report(nightly.execute(request))


def cmd_demo(options: argparse.Namespace) -> int:
    """Generate demo data under `--out` and build a warehouse from it."""
    out = Path(options.out)
    options.out = out / "landing"
    options.overwrite = True  # the demo folder is the demo's own
    options.docs = True
    options.max_quarantine_rate = 0.0  # the generator writes clean data
    # The demo center lives on its zone's clock: build its local days (an explicit
    # --vars reporting_timezone still wins).
    options.vars = json.dumps(
        {"reporting_timezone": options.timezone, **_dbt_vars(options.vars)}
    )
    started = time.perf_counter()
    status = cmd_generate(options)
    if status != EXIT_OK:
        return status
    options.landing = out / "landing"
    options.warehouse = out / "opsmart.duckdb"
    status = cmd_build(options)
    if status == EXIT_OK:
        print(f"demo ready in {time.perf_counter() - started:.1f} s")
        print(f"  landing   {options.landing.resolve()}")
        print(f"  warehouse {options.warehouse.resolve()}")
        print(f"  truth     {(options.landing / 'truth.json').resolve()}")
        print(f"  docs      {(out / 'target' / 'static_index.html').resolve()}")
        print(f"  report    {(out / 'report' / 'opsmart_report.html').resolve()}")
        print(f"  parquet   {(out / 'parquet' / 'current').absolute()}")
    return status


def _report(runlog: nightly.RunLog) -> int:
    for line in runlog.summary_lines():
        print(line, file=sys.stdout if runlog.exit_code == EXIT_OK else sys.stderr)
    return runlog.exit_code if runlog.exit_code is not None else nightly.EXIT_DBT_FAILED


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LandingError(
            f"var reporting_timezone must be an IANA zone name such as Asia/Seoul, "
            f"got {name!r}"
        ) from None
