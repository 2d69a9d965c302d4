"""The `opsmart` command: generate demo data, build the warehouse, or both.

Each sub-command is a small function returning an exit code; `main` parses the
arguments and maps errors to exit codes (0 ok, 1 build or test failure, 2 bad input).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from opsmart.landing import LandingError, prepare_inputs

__all__ = ["main", "project_dir", "run_dbt"]

log = logging.getLogger("opsmart")

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def project_dir() -> Path:
    """The dbt project: $OPSMART_PROJECT_DIR, else the checkout this package is in."""
    configured = os.environ.get("OPSMART_PROJECT_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2]


def run_dbt(
    args: Sequence[str],
    *,
    warehouse: Path,
    inputs: Path,
    file_format: str,
    dbt_vars: dict[str, object] | None = None,
) -> bool:
    """Run one dbt command against `warehouse` reading `inputs`; True on success.

    dbt runs in a child process: its DuckDB connection (and the memory of the Python
    models) ends with it, so the caller can open the warehouse right after.
    """
    project = project_dir()
    build_dir = warehouse.parent
    env = {
        **os.environ,
        "OPSMART_WAREHOUSE": str(warehouse),
        "OPSMART_INPUTS": str(inputs),
        "OPSMART_LANDING_FORMAT": file_format,
    }
    command = [
        sys.executable,
        "-c",
        "from dbt.cli.main import cli; cli()",
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--log-path",
        str(build_dir / "logs"),
        "--target-path",
        str(build_dir / "target"),
    ]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    log.info("dbt %s", " ".join(args))
    return subprocess.run(command, env=env, check=False).returncode == 0


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
    summary = generate(
        options.out,
        days=options.days,
        agents=options.agents,
        seed=options.seed,
        start_date=options.start,
        file_format=options.format,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    print(f"generated {summary} in {time.perf_counter() - started:.1f} s")
    return EXIT_OK


def cmd_build(options: argparse.Namespace) -> int:
    """Check the landing folder, then `dbt build` (seeds, models, tests) and, with
    `--docs`, the static documentation site."""
    warehouse = Path(options.warehouse).resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    dbt_vars = json.loads(options.vars) if options.vars else None
    if dbt_vars is not None and not isinstance(dbt_vars, dict):
        raise LandingError(f"--vars must be a JSON object, got {options.vars!r}")
    report = prepare_inputs(options.landing, warehouse.parent / "inputs")
    for line in report.describe():
        print(line)
    started = time.perf_counter()
    steps = [["build"]]
    if options.docs:
        steps.append(["docs", "generate", "--static"])
    for step in steps:
        if not run_dbt(
            step,
            warehouse=warehouse,
            inputs=report.inputs_dir,
            file_format=report.file_format,
            dbt_vars=dbt_vars,
        ):
            print(
                f"dbt {step[0]} failed; see {warehouse.parent / 'logs'}",
                file=sys.stderr,
            )
            return EXIT_FAILED
    print(f"built {warehouse} in {time.perf_counter() - started:.1f} s")
    if options.docs:
        print(f"docs  {warehouse.parent / 'target' / 'static_index.html'}")
    return EXIT_OK


def cmd_demo(options: argparse.Namespace) -> int:
    """Generate demo data under `--out` and build a warehouse from it."""
    out = Path(options.out)
    options.out = out / "landing"
    options.overwrite = True  # the demo folder is the demo's own
    options.docs = True
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
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opsmart",
        description="Integrated operations + marketing KPI pipeline: contact data in, "
        "a DuckDB warehouse of contracted marts with queueing baselines out.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def generator_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--days",
            type=_positive_int,
            default=90,
            help="days to simulate (default 90)",
        )
        command.add_argument(
            "--agents",
            type=_positive_int,
            default=50,
            help="agents in the simulated center (default 50)",
        )
        command.add_argument(
            "--seed",
            type=int,
            default=42,
            help="random seed; same seed, same files (default 42)",
        )
        command.add_argument(
            "--start",
            type=date.fromisoformat,
            default=date(2026, 1, 5),
            help="first simulated day, YYYY-MM-DD (default 2026-01-05)",
        )
        command.add_argument(
            "--format",
            choices=["csv", "parquet"],
            default="csv",
            help="landing file format (default csv)",
        )

    def build_options(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--vars",
            default=None,
            metavar="JSON",
            help="dbt vars overriding KPI definitions, e.g. "
            '\'{"sl_method": "answered"}\'',
        )

    generate = commands.add_parser(
        "generate",
        help="write realistic demo landing files",
        description="Simulate a contact center and write landing files that follow "
        "the data contract (docs/data_contract.md), plus truth.json.",
    )
    generate.add_argument("--out", type=Path, required=True, help="landing directory")
    generate.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the landing data already in --out",
    )
    generator_options(generate)
    generate.set_defaults(handler=cmd_generate)

    build = commands.add_parser(
        "build",
        help="build the warehouse from a landing directory",
        description="Check the landing files against the data contract, then run "
        "dbt seed and dbt build (models and tests) into a DuckDB file.",
    )
    build.add_argument(
        "--landing",
        type=Path,
        default=Path(os.environ.get("OPSMART_LANDING", "build/landing")),
        help="landing directory (default $OPSMART_LANDING or build/landing)",
    )
    build.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("OPSMART_WAREHOUSE", "build/opsmart.duckdb")),
        help="DuckDB file to build (default $OPSMART_WAREHOUSE or "
        "build/opsmart.duckdb)",
    )
    build_options(build)
    build.add_argument(
        "--docs",
        action="store_true",
        help="also write the static dbt docs site (target/static_index.html)",
    )
    build.set_defaults(handler=cmd_build)

    demo = commands.add_parser(
        "demo",
        help="generate demo data and build a warehouse from it",
        description="opsmart generate + opsmart build into one folder.",
    )
    demo.add_argument(
        "--out",
        type=Path,
        default=Path("build/demo"),
        help="folder for landing/ and opsmart.duckdb (default build/demo)",
    )
    generator_options(demo)
    build_options(demo)
    demo.set_defaults(handler=cmd_demo)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `opsmart` and `python -m opsmart`; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    options = _parser().parse_args(argv)
    try:
        status: int = options.handler(options)
    except (LandingError, json.JSONDecodeError) as error:
        print(f"opsmart: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return status
