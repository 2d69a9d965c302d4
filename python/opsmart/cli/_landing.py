"""The commands that write or check landing files: generate, check, adapt."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from opsmart.cli._common import EXIT_OK, _dbt_vars
from opsmart.ingest import LandingError
from opsmart.nightly.dbt_runner import vars_in_force

__all__ = ["cmd_adapt", "cmd_check", "cmd_generate"]


def cmd_generate(options: argparse.Namespace) -> int:
    """Write demo landing files (and truth.json) for `--days` days of `--agents`."""
    from opsmart.contract import SOURCES
    from opsmart.synth import generate

    out = Path(options.out)
    existing = [out / source for source in SOURCES if (out / source).exists()]
    if existing and not options.overwrite:
        names = ", ".join(path.name for path in existing)
        raise LandingError(
            f"{out} already holds landing data ({names}); "
            "choose an empty folder or pass --overwrite"
        )
    for folder in existing:
        shutil.rmtree(folder)
    started = time.perf_counter()
    try:
        summary = generate(
            options.out,
            days=options.days,
            agents=options.agents,
            seed=options.seed,
            start_date=options.start,
            file_format=options.format,
            progress=lambda message: print(f"  {message}", flush=True),
            timezone=options.timezone,
        )
    except ValueError as error:  # an argument outside what the simulator takes
        raise LandingError(f"generate: {error}") from None
    rows = ", ".join(f"{count:,} {source}" for source, count in summary.rows.items())
    print(
        f"generated {summary.days} days of a {summary.agents}-agent center in "
        f"{summary.out_dir} ({rows}; {len(summary.files)} files) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    if options.command == "generate":  # `opsmart demo` passes the zone itself
        # The timestamps carry their offsets; the days are the center's local days
        # when the build is told its zone.
        zone = json.dumps({"reporting_timezone": options.timezone})
        print(f"the center is in {options.timezone}: build with --vars '{zone}'")
    return EXIT_OK


def cmd_check(options: argparse.Namespace) -> int:
    """Dry-run the load step on a landing folder; say what would not fit and how."""
    from opsmart.ingest import LoadSettings, seed_queues
    from opsmart.ingest.check import check_landing
    from opsmart.nightly.dbt_runner import project_dir

    report = check_landing(
        options.landing,
        queues=seed_queues(project_dir()),
        settings=LoadSettings.from_vars(vars_in_force(_dbt_vars(options.vars))),
    )
    if options.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for line in report.lines():
            print(line)
    return report.exit_code


def cmd_adapt(options: argparse.Namespace) -> int:
    """Turn vendor exports into landing files (docs/adapters.md); print the report."""
    from opsmart import adapters

    known = _seed_queue_ids()
    queue_map = (
        adapters.load_queue_map(options.queue_map, known_queue_ids=known)
        if options.queue_map
        else None
    )
    if options.vendor == "amazon-connect":
        connect = (
            adapters.load_connect_mapping(options.mapping) if options.mapping else None
        )
        report = adapters.adapt_amazon_connect(
            options.inputs, options.out, options=connect, queue_map=queue_map
        )
    elif options.vendor == "genesys-cloud":
        genesys = (
            adapters.load_genesys_mapping(options.mapping) if options.mapping else None
        )
        report = adapters.adapt_genesys_cloud(
            options.inputs, options.out, options=genesys, queue_map=queue_map
        )
    else:
        if not options.mapping:
            raise LandingError(
                "adapt csv needs --mapping FILE: the YAML that maps the export's "
                "columns to the contract's (docs/adapters.md)"
            )
        mapping = adapters.load_csv_mapping(options.mapping, known_queue_ids=known)
        report = adapters.adapt_csv(
            options.inputs, options.out, mapping=mapping, queue_map=queue_map
        )
    print(report.summary())
    for line in report.lines()[1:]:
        print(line, file=sys.stderr)
    return EXIT_OK


def _seed_queue_ids() -> set[str] | None:
    """The queue ids of seeds/queues.csv, when this checkout has the seed."""
    from opsmart.ingest import seed_queue_ids
    from opsmart.nightly.dbt_runner import project_dir

    try:
        return seed_queue_ids(project_dir())
    except (OSError, ValueError):
        return None
