"""The `opsmart` argument parser: one builder per command, and the options they
share."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import TypeAlias

from opsmart.cli._build import cmd_build, cmd_demo, cmd_run
from opsmart.cli._common import DEMO_TIMEZONE
from opsmart.cli._explore import cmd_explore
from opsmart.cli._landing import cmd_adapt, cmd_check, cmd_generate
from opsmart.cli._plan import cmd_plan, hours_range
from opsmart.cli._read_only import cmd_metrics, cmd_report, cmd_sql
from opsmart.cli._spark import cmd_spark_build, cmd_spark_compare

__all__ = ["_parser"]

#: What `add_subparsers` returns: the commands (or a command's actions) of a parser.
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _parser() -> argparse.ArgumentParser:
    """The `opsmart` parser: one builder per command, in --help order."""
    parser = argparse.ArgumentParser(
        prog="opsmart",
        description="Integrated operations + marketing KPI pipeline: contact data in, "
        "a DuckDB warehouse of contracted marts with queueing baselines out.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_generate(commands)
    _add_build(commands)
    _add_run(commands)
    _add_check(commands)
    _add_report(commands)
    _add_adapt(commands)
    _add_spark(commands)
    _add_demo(commands)
    _add_sql(commands)
    _add_metrics(commands)
    _add_plan(commands)
    _add_explore(commands)
    return parser


def _add_generate(commands: _Commands) -> None:
    """`opsmart generate`: demo landing files."""
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
    _generator_options(generate)
    generate.set_defaults(handler=cmd_generate)


def _add_build(commands: _Commands) -> None:
    """`opsmart build`: rebuild the warehouse from every landing file."""
    build = commands.add_parser(
        "build",
        help="rebuild the warehouse from every landing file",
        description="Load every landing file (bad rows to audit.quarantine), "
        "validate, run dbt build (models and tests) from scratch in a private copy, "
        "and publish it atomically with a Parquet export.",
    )
    _warehouse_options(build)
    _dbt_vars_option(build)
    build.set_defaults(handler=cmd_build)


def _add_run(commands: _Commands) -> None:
    """`opsmart run`: the nightly increment, or a backfill with --from/--to."""
    run = commands.add_parser(
        "run",
        help="the nightly run: load new files, rebuild the recent window, publish",
        description="Load the landing files not loaded before, rebuild the "
        "incremental marts from the run date minus --lookback-days, validate, and "
        "publish atomically. The first run (no warehouse yet) builds everything. "
        "Exit codes: 0 ok, 1 dbt failure, 2 bad input, 3 quarantine over threshold, "
        "4 validation failed, 5 another run holds the lock, 6 published but the "
        "report failed, 7 the machine refused (disk full, permission, read-only) "
        "(docs/nightly.md).",
    )
    _warehouse_options(run)
    _dbt_vars_option(run)
    run.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="the day the run is for, YYYY-MM-DD: a local day of the center "
        "(var reporting_timezone), from its local midnight (default: yesterday "
        "on the center's clock)",
    )
    run.add_argument(
        "--from",
        dest="start",
        type=date.fromisoformat,
        default=None,
        help="backfill: first day, YYYY-MM-DD (with --to)",
    )
    run.add_argument(
        "--to",
        dest="end",
        type=date.fromisoformat,
        default=None,
        help="backfill: last day, YYYY-MM-DD (default: yesterday)",
    )
    run.add_argument(
        "--lookback-days",
        type=_non_negative_int,
        default=7,
        help="also rebuild this many days before the first day, for late data "
        "such as surveys answered days after the contact (default 7)",
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild everything from the landing files, as `opsmart build` does",
    )
    run.set_defaults(handler=cmd_run)


def _add_check(commands: _Commands) -> None:
    """`opsmart check`: dry-run the load step on a landing folder."""
    check = commands.add_parser(
        "check",
        help="dry-run the load step: what in a landing folder would not fit, and how",
        description="Read the landing folder as `opsmart build` would (the same row "
        "rules, queue catalog and vars) into a throw-away warehouse, and say which "
        "files, queues, channels, timestamps and rows would not load, with examples "
        "and what to change. Writes nothing. Exit codes: 0 everything fits, 2 a "
        "file cannot be read, 3 rows would be quarantined.",
    )
    _landing_option(check)
    _dbt_vars_option(check)
    check.add_argument("--json", action="store_true", help="print the findings as JSON")
    check.set_defaults(handler=cmd_check)


def _add_report(commands: _Commands) -> None:
    """`opsmart report`: the HTML report of a published warehouse."""
    report = commands.add_parser(
        "report",
        help="write the nightly HTML report of a built warehouse",
        description="Render the self-contained HTML report (OKR scorecard, service "
        "vs Erlang A baseline, cost vs satisfaction, wait curve, staffing, demand "
        "matrix, feedback themes, data quality, definitions) from a published "
        "warehouse, opened read-only. `opsmart run` writes it after each publish.",
    )
    report.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("OPSMART_WAREHOUSE", "build/opsmart.duckdb")),
        help="the published DuckDB file (default $OPSMART_WAREHOUSE or "
        "build/opsmart.duckdb)",
    )
    report.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="the day the report is for, YYYY-MM-DD (default: the last day with "
        "contacts)",
    )
    report.add_argument(
        "--out",
        type=Path,
        default=None,
        help="HTML file to write (default <warehouse dir>/report/"
        "opsmart_report_<date>.html)",
    )
    report.set_defaults(handler=cmd_report)


def _add_adapt(commands: _Commands) -> None:
    """`opsmart adapt`: vendor exports into landing files."""
    adapt = commands.add_parser(
        "adapt",
        help="turn vendor exports into landing files that follow the data contract",
        description="Read Amazon Connect contact records, Genesys Cloud conversation "
        "details or any per-call CSV (through a YAML column mapping) and write "
        "<out>/contacts/<vendor>__<input>.csv for `opsmart build`. Every record "
        "becomes one contact row or is reported with its file, record number and "
        "reason (docs/adapters.md). Exit 2 when an input cannot be read.",
    )
    adapt.add_argument(
        "vendor",
        choices=["amazon-connect", "genesys-cloud", "csv"],
        help="the export's format",
    )
    adapt.add_argument(
        "--in",
        dest="inputs",
        type=Path,
        nargs="+",
        required=True,
        metavar="PATH",
        help="export files, or folders of them",
    )
    adapt.add_argument(
        "--out", type=Path, required=True, metavar="LANDING", help="landing directory"
    )
    adapt.add_argument(
        "--mapping",
        type=Path,
        default=None,
        metavar="FILE",
        help="YAML: the column mapping (csv, required) or the attribute and code "
        "names (amazon-connect, genesys-cloud, optional)",
    )
    adapt.add_argument(
        "--queue-map",
        type=Path,
        default=None,
        metavar="FILE",
        help="YAML: vendor queue → queue_id of seeds/queues.csv, and the "
        "self_service_queue of contacts that never queued; without it vendor queue "
        "values are written unchanged",
    )
    adapt.set_defaults(handler=cmd_adapt)


def _add_spark(commands: _Commands) -> None:
    """`opsmart spark build` and `opsmart spark compare`."""
    spark = commands.add_parser(
        "spark",
        help="build on Apache Spark, compare with the DuckDB build",
        description="The dbt project on a local Spark session (dbt-spark's session "
        "method; needs `make install-spark`, docs/spark.md).",
    )
    spark_commands = spark.add_subparsers(
        dest="spark_command", required=True, metavar="ACTION"
    )
    _add_spark_build(spark_commands)
    _add_spark_compare(spark_commands)


def _add_spark_build(spark_commands: _Commands) -> None:
    """`opsmart spark build`: build on Spark, optionally compare."""
    spark_build = spark_commands.add_parser(
        "build",
        help="load the landing files and build every model, seed and test on Spark",
        description="Load and check the landing files under the data contract, hand "
        "the raw tables to a local Spark warehouse, run dbt build there (all of it, "
        "or with --window-start only the recent window) and export "
        "every public table as <spark-dir>/export/<schema>/<table>.parquet. Exit 1 "
        "when dbt fails or, with --compare-with, when the export differs; 2 bad "
        "input; 3 too many rows quarantined.",
    )
    _landing_option(spark_build)
    spark_build.add_argument(
        "--spark-dir",
        type=Path,
        default=Path("build/spark"),
        help="rebuilt from scratch: Spark warehouse, metastore, dbt target and "
        "logs, export (default build/spark)",
    )
    _quarantine_option(spark_build)
    spark_build.add_argument(
        "--window-start",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="the nightly increment of an existing --spark-dir: load only the new "
        "landing files and recompute the incremental models from DATE on "
        "(default: rebuild everything from scratch)",
    )
    spark_build.add_argument(
        "--compare-with",
        type=Path,
        default=None,
        metavar="EXPORT",
        help="a DuckDB build's export (e.g. build/demo/parquet/current) that every "
        "public table must equal",
    )
    _dbt_vars_option(spark_build)
    spark_build.set_defaults(handler=cmd_spark_build)


def _add_spark_compare(spark_commands: _Commands) -> None:
    """`opsmart spark compare`: two exports of the public tables."""
    spark_compare = spark_commands.add_parser(
        "compare",
        help="compare two exports of the public tables",
        description="Exit 0 when both exports hold the same tables with the same "
        "rows (floating-point columns up to rounding), else list the differences "
        "and exit 1.",
    )
    spark_compare.add_argument("expected", type=Path, help="an export folder")
    spark_compare.add_argument("actual", type=Path, help="another export folder")
    spark_compare.set_defaults(handler=cmd_spark_compare)


def _add_demo(commands: _Commands) -> None:
    """`opsmart demo`: generate + build into one folder."""
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
    _generator_options(demo)
    _dbt_vars_option(demo)
    demo.set_defaults(handler=cmd_demo)


def _add_sql(commands: _Commands) -> None:
    """`opsmart sql`: SQL on a published warehouse, read-only."""
    sql = commands.add_parser(
        "sql",
        help="query the warehouse in SQL, read-only",
        description="Run SQL on a published warehouse, read-only (a nightly run "
        "may publish meanwhile). With QUERY, print each statement's result and "
        "exit; without, read statements from stdin, or at a terminal one by one "
        "(each ends with ;, Ctrl-D quits). Exit 2 when the file is missing or "
        "DuckDB rejects a statement (its message on stderr).",
    )
    sql.add_argument("query", nargs="?", default=None, metavar="QUERY", help="SQL")
    _read_only_warehouse_option(sql)
    sql.add_argument(
        "--csv",
        action="store_true",
        help="print CSV with every row (default: a table of at most 40 rows)",
    )
    sql.set_defaults(handler=cmd_sql)


def _add_metrics(commands: _Commands) -> None:
    """`opsmart metrics`: MetricFlow on a published warehouse, read-only."""
    metrics = commands.add_parser(
        "metrics",
        help="MetricFlow (mf) on the warehouse, read-only: metrics by dimension",
        description="Run MetricFlow's `mf` with the arguments after the options, "
        "from any folder, on the warehouse opened read-only, with the semantic "
        "manifest its build left beside it (or a fresh `dbt parse`), e.g. "
        "`opsmart metrics query --metrics service_level_rate --group-by "
        "queue,metric_time__day` (docs/semantic_layer.md). Exits with mf's code; "
        "2 when the warehouse is missing.",
    )
    _read_only_warehouse_option(metrics)
    metrics.add_argument(
        "mf_args",
        nargs=argparse.REMAINDER,
        metavar="MF_ARGS",
        help="mf's command and options: query, list metrics, validate-configs, ...",
    )
    metrics.set_defaults(handler=cmd_metrics)


def _add_plan(commands: _Commands) -> None:
    """`opsmart plan`: what-if on the staffing plan, read-only."""
    plan = commands.add_parser(
        "plan",
        help="what-if on the staffing plan: add or remove agents at some hours",
        description="What adding (or removing) N agents on the phones at the "
        "chosen local dates and hours of the staffing plan's horizon does to "
        "service level, abandonment, ASA (Erlang A with the queue's patience, "
        "Erlang C where it has none), CSAT and churn (the fitted wait effects, "
        "with their 95 % ranges) and cost (staff, and the priced cost of waiting "
        "and abandoning), against the plan's required agents; contact-weighted "
        "over the intervals. Reads reports.rpt_staffing_plan, rpt_staffing, "
        "rpt_wait_churn_effects and rpt_wait_experience_curve, read-only "
        "(docs/forecast.md, What-if). Exit 2 on an unknown queue, a warehouse "
        "without a plan, or dates outside the horizon.",
    )
    _read_only_warehouse_option(plan)
    plan.add_argument("--queue", required=True, metavar="Q", help="queue_id")
    plan.add_argument(
        "--agents-delta",
        type=int,
        required=True,
        metavar="N",
        help="agents on the phones to add (N > 0) or remove (N < 0) in every "
        "chosen interval; never below 0 agents",
    )
    plan.add_argument(
        "--date",
        type=date.fromisoformat,
        action="append",
        metavar="YYYY-MM-DD",
        help="a local date of the horizon (repeat for several; default: all)",
    )
    plan.add_argument(
        "--hours",
        type=hours_range,
        default=None,
        metavar="H1-H2",
        help="local hours, from H1:00 to before H2:00, e.g. 9-12 (default: all day)",
    )
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.set_defaults(handler=cmd_plan)


def _add_explore(commands: _Commands) -> None:
    """`opsmart explore`: the interactive explorer, read-only."""
    explore = commands.add_parser(
        "explore",
        help="interactive explorer of the warehouse in a browser, read-only",
        description="Serve a local web app (Streamlit) over a published warehouse, "
        "opened read-only on every page view, so a nightly run can publish "
        "meanwhile: the OKR scorecard with a period picker, a queue's day against "
        "its Erlang baselines, cost vs satisfaction, the wait -> CSAT -> churn "
        "curve, feedback themes by department, data quality, and the what-if of "
        "more or fewer agents on the staffing plan (docs/explore.md). Needs "
        "`make install-explore`. Exit 2 when the warehouse is missing or not an "
        "opsmart warehouse, or Streamlit is not installed.",
    )
    _read_only_warehouse_option(explore)
    explore.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    explore.add_argument(
        "--port",
        type=_port,
        default=8501,
        help="port to listen on (default 8501)",
    )
    explore.set_defaults(handler=cmd_explore)


def _generator_options(command: argparse.ArgumentParser) -> None:
    """--days, --agents, --seed, --start, --format, --timezone: the simulated center."""
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
    command.add_argument(
        "--timezone",
        default=DEMO_TIMEZONE,
        metavar="IANA",
        help="the center's time zone: its opening hours and days follow that "
        f"clock, DST included (default {DEMO_TIMEZONE})",
    )


def _dbt_vars_option(command: argparse.ArgumentParser) -> None:
    """--vars: dbt vars overriding KPI definitions."""
    command.add_argument(
        "--vars",
        default=None,
        metavar="YAML",
        help="dbt vars overriding KPI definitions, as dbt takes them (YAML "
        "or JSON), e.g. '{sl_method: answered}'",
    )


def _landing_option(command: argparse.ArgumentParser) -> None:
    """--landing: the landing directory."""
    command.add_argument(
        "--landing",
        type=Path,
        default=Path(os.environ.get("OPSMART_LANDING", "build/landing")),
        help="landing directory (default $OPSMART_LANDING or build/landing)",
    )


def _quarantine_option(command: argparse.ArgumentParser) -> None:
    """--max-quarantine-rate: when too many rows set aside fail the run."""
    command.add_argument(
        "--max-quarantine-rate",
        type=_rate,
        default=0.05,
        metavar="RATE",
        help="fail (exit 3, nothing published) when more than this share of a "
        "source's new rows is quarantined, and at least 50 rows or all of them "
        "(default 0.05; 1 never fails); identical duplicates do not count",
    )


def _warehouse_options(command: argparse.ArgumentParser) -> None:
    """--landing, --warehouse, --max-quarantine-rate, --docs: of the commands
    that build and publish a warehouse."""
    _landing_option(command)
    command.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("OPSMART_WAREHOUSE", "build/opsmart.duckdb")),
        help="the published DuckDB file (default $OPSMART_WAREHOUSE or "
        "build/opsmart.duckdb); runs build a private copy and swap it in",
    )
    _quarantine_option(command)
    command.add_argument(
        "--docs",
        action="store_true",
        help="also write the static dbt docs site (target/static_index.html)",
    )


def _read_only_warehouse_option(command: argparse.ArgumentParser) -> None:
    """--warehouse of the commands that only read a published warehouse."""
    command.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("OPSMART_WAREHOUSE", "build/demo/opsmart.duckdb")),
        help=(
            "the DuckDB file, opened read-only (default $OPSMART_WAREHOUSE or "
            "build/demo/opsmart.duckdb, the one `make demo` builds)"
        ),
    )


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 1 to 65535, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, got {text}")
    return value
