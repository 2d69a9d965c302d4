"""One run of the pipeline: load, validate, build, validate, publish, log.

`opsmart build` (everything, from scratch) and `opsmart run` (the nightly increment)
are the same sequence with different windows:

    lock -> work copy -> ingest (quarantine) -> validate inputs -> dbt build
         -> validate marts -> run log -> Parquet export -> atomic publish

Each step is timed in the run log. Any failure stops the run before the publish, so
the published warehouse and its Parquet export stay as they were; the run log JSON is
written in every case. Exit codes (for schedulers) are the `EXIT_*` constants.
"""

from __future__ import annotations

import fcntl
import logging
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from opsmart.ingest import (
    IngestReport,
    LandingError,
    LoadSettings,
    ingest,
    seed_queues,
)
from opsmart.nightly.connection import connect
from opsmart.nightly.dbt_results import dbt_test_report
from opsmart.nightly.dbt_runner import project_dir, run_dbt, vars_in_force
from opsmart.nightly.publish import (
    PUBLIC_SCHEMAS,
    export_parquet,
    make_work_copy,
    publish,
    remove_stale_work,
)
from opsmart.nightly.runlog import RunLog

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_DBT_FAILED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_QUARANTINE",
    "EXIT_REPORT",
    "EXIT_VALIDATION",
    "RunPaths",
    "RunRequest",
    "execute",
]

log = logging.getLogger(__name__)

#: Exit codes; docs/nightly.md explains what a scheduler should do with each.
EXIT_OK = 0
EXIT_DBT_FAILED = 1  # a model or a dbt test failed
EXIT_BAD_INPUT = 2  # a landing file cannot be read, or bad arguments
EXIT_QUARANTINE = 3  # more rows quarantined than the thresholds allow
EXIT_VALIDATION = 4  # an error-severity Great Expectations check failed
EXIT_LOCKED = 5  # another run holds the warehouse's lock
EXIT_REPORT = 6  # published, but the HTML report could not be written


class RunFailedError(Exception):
    """A step failed in an expected way; `exit_code` says which."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class RunPaths:
    """Where one published warehouse keeps its lock, work copies, logs and exports.

    Everything sits beside the published file, so one folder holds one deployment.
    """

    warehouse: Path

    @property
    def root(self) -> Path:
        return self.warehouse.parent

    @property
    def lock(self) -> Path:
        return self.root / f".{self.warehouse.stem}.lock"

    @property
    def work_root(self) -> Path:
        return self.root / f".{self.warehouse.stem}.work"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def exports(self) -> Path:
        return self.root / "parquet"

    @property
    def reports(self) -> Path:
        return self.root / "report"

    @property
    def dbt_state(self) -> Path:
        return self.root


@dataclass(frozen=True)
class RunRequest:
    """What to run. `window_start=None` rebuilds every row."""

    command: str  # build | run
    landing: Path
    warehouse: Path
    run_date: date | None = None
    window_start: date | None = None
    full_refresh: bool = False
    dbt_vars: dict[str, Any] = field(default_factory=dict)
    max_quarantine_rate: float | None = 0.05
    docs: bool = False
    progress: Callable[[str], None] | None = None


def execute(request: RunRequest) -> RunLog:
    """Run the pipeline once; the returned log's `exit_code` is the process's."""
    paths = RunPaths(request.warehouse.resolve())
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + secrets.token_hex(3)
    say = request.progress or (lambda message: None)
    fresh = request.full_refresh or not paths.warehouse.exists()
    runlog = RunLog(
        run_id=run_id,
        command=request.command,
        run_date=request.run_date,
        window_start=None if fresh else request.window_start,
        full_refresh=fresh,
        dbt_vars=vars_in_force(request.dbt_vars),
    )
    try:
        with _exclusive(paths.lock):
            remove_stale_work(paths.work_root)
            _run_steps(request, paths, runlog, say)
            _write_report(paths, runlog, say)
        runlog.finish(EXIT_OK)
    except RunFailedError as failure:
        runlog.finish(failure.exit_code, str(failure))
    except LandingError as error:
        runlog.finish(EXIT_BAD_INPUT, str(error))
    finally:
        if runlog.exit_code is None:  # an unexpected error: still leave a log
            runlog.finish(EXIT_DBT_FAILED, "interrupted by an unexpected error")
        path = runlog.write_json(paths.runs)
        say(f"run log {path}")
    return runlog


def _run_steps(
    request: RunRequest, paths: RunPaths, runlog: RunLog, say: Callable[[str], None]
) -> None:
    # One fixed work path (the lock allows one run at a time): dbt's profile then
    # stays the same from run to run, and dbt parses only what changed.
    work_dir = paths.work_root / "current"
    with runlog.step("work_copy"):
        work = make_work_copy(paths.warehouse, work_dir, fresh=runlog.full_refresh)
        say(
            "building in a fresh warehouse"
            if runlog.full_refresh
            else f"work copy {work}"
        )

    from opsmart import validation

    validation.preload()  # GX's import overlaps the load, which runs in DuckDB
    with runlog.step("ingest"):
        settings = LoadSettings.from_vars(runlog.dbt_vars)
        report = _ingest(work, request.landing, runlog.run_id, settings, say)
        runlog.ingest = report.to_dict()
        for line in report.describe():
            say(line)
        _check_quarantine(report, request.max_quarantine_rate)

    run_date = request.run_date or _last_contact_date(work)
    runlog.run_date = run_date
    with runlog.step("validate_inputs"):
        _validate("inputs", work, runlog, load_id=runlog.run_id, run_date=run_date)

    with runlog.step("dbt_build"):
        build, window = ["build"], {"OPSMART_RUN_WINDOW_START": ""}
        if runlog.window_start is not None:
            window["OPSMART_RUN_WINDOW_START"] = runlog.window_start.isoformat()
            # Unit tests pin SQL logic on fixed rows, not the data: they run in every
            # full build (and CI); under a window their fixtures fall outside it.
            build += ["--exclude-resource-type", "unit_test"]
        say(
            "dbt build"
            + (f" from {runlog.window_start}" if runlog.window_start else "")
        )
        built = run_dbt(
            build,
            warehouse=work,
            state_dir=paths.dbt_state,
            dbt_vars=request.dbt_vars,
            env=window,
        )
        _record_dbt_tests(work, paths, runlog, stored=built, say=say)
        if not built:
            failed = [
                f"{r['suite']}: {r['details']}"
                for r in runlog.validation["dbt"]
                if not r["success"] and r["severity"] == "error"
            ]
            raise RunFailedError(
                "dbt build failed"
                + (f" ({len(failed)} test(s): {', '.join(failed[:5])})" if failed else "")
                + f"; see {paths.dbt_state / 'logs'}",
                EXIT_DBT_FAILED,
            )
        if request.docs and not run_dbt(
            ["docs", "generate", "--static"],
            warehouse=work,
            state_dir=paths.dbt_state,
            dbt_vars=request.dbt_vars,
            env=window,
        ):
            raise RunFailedError(
                f"dbt docs failed; see {paths.dbt_state / 'logs'}", EXIT_DBT_FAILED
            )

    with runlog.step("validate_marts"):
        window_start = runlog.window_start or _first_contact_date(work)
        _validate("marts", work, runlog, window_start=window_start, window_end=run_date)

    with runlog.step("run_log"), connect(work) as connection:
        runlog.table_rows = _public_row_counts(connection)
        runlog.status = "success"
        runlog.store(connection)
        connection.execute("checkpoint")

    with runlog.step("export"):
        export = export_parquet(work, paths.exports, runlog.run_id)
    with runlog.step("publish"):
        publish(work, paths.warehouse, export)
        runlog.published = True
    shutil.rmtree(work_dir, ignore_errors=True)
    say(f"published {paths.warehouse}")


def _write_report(paths: RunPaths, runlog: RunLog, say: Callable[[str], None]) -> None:
    """Write the nightly HTML report from the just-published warehouse.

    The warehouse is already published when this runs: a report that fails is exit 6,
    with the data in place.
    """
    from opsmart.report import render_report

    day = runlog.run_date.isoformat() if runlog.run_date else "latest"
    out = paths.reports / f"opsmart_report_{day}.html"
    with runlog.step("report"):
        try:
            render_report(paths.warehouse, out, run_date=runlog.run_date)
        except Exception as error:  # the data is published; say why the page is not
            log.exception("report failed")
            raise RunFailedError(f"report failed: {error}", EXIT_REPORT) from None
        latest = paths.reports / "opsmart_report.html"
        shutil.copyfile(out, latest)
    runlog.report = str(out)
    say(f"report {out}")


def _ingest(
    work: Path,
    landing: Path,
    load_id: str,
    settings: LoadSettings,
    say: Callable[[str], None],
) -> IngestReport:
    with connect(work) as connection:
        return ingest(
            connection,
            landing,
            load_id=load_id,
            queues=seed_queues(project_dir()),
            settings=settings,
            progress=say,
        )


def _check_quarantine(report: IngestReport, max_rate: float | None) -> None:
    """Fail when a source's quarantined share of this run's rows exceeds `max_rate`."""
    if max_rate is None:
        return
    over = report.over_quarantine_rate(max_rate)
    if over:
        raise RunFailedError(
            "quarantined more than the allowed "
            f"{max_rate:.1%} of the rows read: {', '.join(over)} "
            "(see audit.quarantine in the work copy; --max-quarantine-rate sets it)",
            EXIT_QUARANTINE,
        )


def _record_dbt_tests(
    work: Path,
    paths: RunPaths,
    runlog: RunLog,
    *,
    stored: bool,
    say: Callable[[str], None],
) -> None:
    """Keep what dbt's tests found in the run log (and, if built, the warehouse).

    Warnings are input oddities the night publishes with (docs/nightly.md,
    severity): they are said on the terminal, counted in the run log and shown in
    the report's data-quality section.
    """
    report = dbt_test_report(paths.dbt_state / "target")
    runlog.validation["dbt"] = report.to_records()
    for result in report.failures("warn"):
        say(f"dbt warning: {result.suite} {result.details}: {result.observed}")
    if stored:
        from opsmart import validation

        with connect(work) as connection:
            validation.store(connection, report, run_id=runlog.run_id, stage="dbt")


def _validate(stage: str, work: Path, runlog: RunLog, **window: Any) -> None:
    from opsmart import validation

    with connect(work) as connection:
        if stage == "inputs":
            report = validation.validate_inputs(connection, **window)
        else:
            report = validation.validate_marts(connection, **window)
        validation.store(connection, report, run_id=runlog.run_id, stage=stage)
    runlog.validation[stage] = report.to_records()
    for line in report.summary_lines():
        log.info("%s", line)
    errors = report.failures("error")
    if errors:
        names = ", ".join(f"{r.suite}: {r.expectation}({r.column})" for r in errors)
        raise RunFailedError(f"{stage} validation failed: {names}", EXIT_VALIDATION)


def _last_contact_date(work: Path) -> date | None:
    return _contact_date(work, "max")


def _first_contact_date(work: Path) -> date | None:
    return _contact_date(work, "min")


def _contact_date(work: Path, aggregate: str) -> date | None:
    with connect(work, read_only=True) as connection:
        row = connection.execute(
            f"select {aggregate}(cast(try_cast(arrived_at as timestamptz) as date)) "
            "from raw.contacts"
        ).fetchone()
    return row[0] if row else None


def _public_row_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in "
        f"({', '.join('?' for _ in PUBLIC_SCHEMAS)}) order by 1, 2",
        list(PUBLIC_SCHEMAS),
    ).fetchall()
    counts = {}
    for schema, table in tables:
        row = connection.execute(
            f'select count(*) from "{schema}"."{table}"'
        ).fetchone()
        counts[f"{schema}.{table}"] = int(row[0]) if row else 0
    return counts


@contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold the warehouse's run lock; released by the OS if the process dies."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunFailedError(
                f"another opsmart run holds {lock_path}; try again when it ends",
                EXIT_LOCKED,
            ) from None
        yield
