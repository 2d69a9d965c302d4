"""One run of the pipeline: load, validate, build, validate, publish, log.

`opsmart build` (everything, from scratch) and `opsmart run` (the nightly increment)
are the same sequence with different windows:

    lock -> work copy -> ingest (quarantine) -> validate inputs -> dbt build
         -> validate marts -> run log -> Parquet export -> atomic publish

Each step is timed in the run log. Any failure stops the run before the publish, so
the published warehouse and its Parquet export stay as they were; the run log JSON is
written in every case (or, if the machine refuses even that, the log says so on
stderr). Exit codes (for schedulers) are the `EXIT_*` constants.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
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
from opsmart.nightly.dbt_runner import (
    project_dir,
    run_dbt,
    start_dbt_server,
    vars_in_force,
)
from opsmart.nightly.definitions import changed_definitions, definitions_message
from opsmart.nightly.publish import (
    export_parquet,
    make_work_copy,
    public_tables,
    publish,
    publish_export,
    remove_stale_exports,
    remove_stale_work,
)
from opsmart.nightly.refit import (
    REFIT_TAG,
    Refit,
    last_refit_date,
    plan_refit,
    refit_days,
)
from opsmart.nightly.runlog import RunLog, has_run_log, new_run_id

__all__ = [
    "ENVIRONMENT_ERRORS",
    "EXIT_BAD_INPUT",
    "EXIT_DBT_FAILED",
    "EXIT_ENVIRONMENT",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_QUARANTINE",
    "EXIT_REPORT",
    "EXIT_VALIDATION",
    "RunPaths",
    "RunRequest",
    "execute",
    "fault_message",
]

log = logging.getLogger(__name__)

#: dbt's saved parse in its state folder (dbt.constants.PARTIAL_PARSE_FILE_NAME).
_SAVED_PARSE = Path("target", "partial_parse.msgpack")

#: Exit codes; docs/nightly.md explains what a scheduler should do with each.
EXIT_OK = 0
EXIT_DBT_FAILED = 1  # a model or a dbt test failed
EXIT_BAD_INPUT = 2  # a landing file cannot be read, or bad arguments
EXIT_QUARANTINE = 3  # more rows quarantined than the thresholds allow
EXIT_VALIDATION = 4  # an error-severity Great Expectations check failed
EXIT_LOCKED = 5  # another run holds the warehouse's lock
EXIT_REPORT = 6  # published, but the HTML report could not be written
EXIT_ENVIRONMENT = 7  # the machine refused: disk full, permission, read-only, path

#: Errors of the machine rather than of the data or the code (a full disk, a folder
#: without permission, a read-only file system): exit 7 with one line, no traceback.
#: DuckDB raises its own I/O failures as duckdb.IOException.
ENVIRONMENT_ERRORS: tuple[type[Exception], ...] = (OSError, duckdb.IOException)

#: What the operator can do about an OSError, by errno.
_FAULT_HINTS = {
    errno.ENOSPC: "no space left on the disk: free space and run again",
    errno.EDQUOT: "the disk quota is used up: free space and run again",
    errno.EACCES: "permission denied: the user running opsmart needs access",
    errno.EPERM: "operation not permitted: the user running opsmart needs access",
    errno.EROFS: "the file system is read-only: mount it read-write, or choose "
    "another folder",
}


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
    run_id = new_run_id()
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
            remove_stale_exports(paths.exports)
            _run_steps(request, paths, runlog, say)
            _write_report(paths, runlog, say)
        runlog.finish(EXIT_OK)
    except RunFailedError as failure:
        runlog.finish(failure.exit_code, str(failure))
    except LandingError as error:
        runlog.finish(EXIT_BAD_INPUT, str(error))
    except ENVIRONMENT_ERRORS as error:
        runlog.finish(EXIT_ENVIRONMENT, _in_step(runlog, fault_message(error)))
    finally:
        if runlog.exit_code is None:  # an unexpected error: still leave a log
            runlog.finish(EXIT_DBT_FAILED, "interrupted by an unexpected error")
        _save_log(runlog, paths.runs, say)
    return runlog


def fault_message(error: Exception) -> str:
    """One line saying what the machine refused, where, and what to do about it.

    For an `OSError` the file(s) it names and a hint by errno; for anything else
    (a DuckDB I/O error) the first line of its text.

    >>> fault_message(OSError(errno.ENOSPC, "No space left on device", "/data/x"))
    '/data/x: no space left on the disk: free space and run again'
    """
    if isinstance(error, OSError):
        what = _FAULT_HINTS.get(error.errno or 0) or error.strerror or repr(error)
        where = " -> ".join(
            str(name) for name in (error.filename, error.filename2) if name is not None
        )
        return f"{where}: {what}" if where else what
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _in_step(runlog: RunLog, message: str) -> str:
    """`message` prefixed with the step that failed, and whether data was published."""
    failed = [step.name for step in runlog.steps if step.status == "failed"]
    where = f"{failed[-1]} step: " if failed else ""
    published = "published, but " if runlog.published else ""
    return f"{published}{where}{message}"


def _save_log(runlog: RunLog, folder: Path, say: Callable[[str], None]) -> None:
    """Write the run log JSON; if the machine refuses, say so and fail the run."""
    try:
        path = runlog.write_json(folder)
    except ENVIRONMENT_ERRORS as error:
        problem = (
            f"the run log could not be written to {folder}: {fault_message(error)}"
        )
        log.error("%s", problem)
        if runlog.exit_code == EXIT_OK:
            runlog.finish(EXIT_ENVIRONMENT, _in_step(runlog, problem))
        return
    say(f"run log {path}")


def _run_steps(
    request: RunRequest, paths: RunPaths, runlog: RunLog, say: Callable[[str], None]
) -> None:
    # One fixed work path (the lock allows one run at a time): dbt's profile then
    # stays the same from run to run, and dbt parses only what changed.
    work_dir = paths.work_root / "current"
    if not runlog.full_refresh:
        _check_definitions(paths.warehouse, runlog)
    with runlog.step("work_copy"):
        work = make_work_copy(paths.warehouse, work_dir, fresh=runlog.full_refresh)
        say(
            "building in a fresh warehouse"
            if runlog.full_refresh
            else f"work copy {work}"
        )

    from opsmart import validation

    validation.preload()  # GX's import overlaps the load, which runs in DuckDB
    start_dbt_server()  # and dbt's, in a process of its own
    with runlog.step("ingest"):
        _load_landing(work, request, runlog, say)

    # Dates are the center's local days (var reporting_timezone): the run date, the
    # window's first day and the days the validations read.
    zone = str(runlog.dbt_vars.get("reporting_timezone") or "UTC")
    run_date = request.run_date or _last_contact_date(work, zone)
    runlog.run_date = run_date
    with _parsing_ahead(work, request, paths, runlog) as parsing:
        with runlog.step("validate_inputs"):
            _validate(
                "inputs",
                work,
                runlog,
                load_id=runlog.run_id,
                run_date=run_date,
                timezone=zone,
            )

        with runlog.step("dbt_build"):
            if parsing is not None:
                parsing.join()
            _build(work, request, paths, runlog, say)

    with runlog.step("validate_marts"):
        window_start = runlog.window_start or _first_contact_date(work, zone)
        _validate("marts", work, runlog, window_start=window_start, window_end=run_date)

    with runlog.step("run_log"), connect(work) as connection:
        # The export of the warehouse this run started from, before this run's row.
        previous = None if runlog.full_refresh else _last_run_id(connection)
        runlog.table_rows = _public_row_counts(connection)
        runlog.status = "success"
        runlog.store(connection)
        connection.execute("checkpoint")

    with runlog.step("export"):
        export = export_parquet(
            work,
            paths.exports,
            runlog.run_id,
            since=runlog.window_start,
            previous=paths.exports / previous if previous else None,
        )
    with runlog.step("publish"):
        publish(work, paths.warehouse)
        runlog.published = True
        publish_export(export)
    shutil.rmtree(work_dir, ignore_errors=True)
    say(f"published {paths.warehouse}")


def _check_definitions(warehouse: Path, runlog: RunLog) -> None:
    """Stop (exit 2) when this run's KPI definitions differ from the warehouse's."""
    # Not a step of its own: it reads one small table of the published file before
    # anything is copied, and a failed run names the cause in its error.
    with connect(warehouse, read_only=True) as connection:
        changes = changed_definitions(connection, runlog.dbt_vars)
    if changes:
        raise RunFailedError(definitions_message(changes), EXIT_BAD_INPUT)


def _load_landing(
    work: Path, request: RunRequest, runlog: RunLog, say: Callable[[str], None]
) -> None:
    """Load the landing files into the work copy and stop on too much quarantine."""
    settings = LoadSettings.from_vars(runlog.dbt_vars)
    report = _ingest(work, request.landing, runlog.run_id, settings, say)
    runlog.ingest = report.to_dict()
    for line in report.describe():
        say(line)
    _check_quarantine(report, request.max_quarantine_rate)


def _build(
    work: Path,
    request: RunRequest,
    paths: RunPaths,
    runlog: RunLog,
    say: Callable[[str], None],
) -> None:
    """``dbt build`` the work copy (from the run's window start), record its tests,
    and generate the docs if asked."""
    # Unit tests pin the SQL's logic on fixed rows: they test the code, not the
    # night's data, so they run in CI (`make test`, as dbt advises for
    # production), not here, where they were 40 % of a small build's dbt time.
    build = ["build", "--exclude-resource-type", "unit_test"]
    refit = _plan_refit(work, runlog)
    runlog.history_statistics = refit.to_dict()
    say(refit.describe())
    if not refit.refitted:
        build += ["--exclude", f"tag:{REFIT_TAG}"]
    window = _window_environment(runlog)
    say("dbt build" + (f" from {runlog.window_start}" if runlog.window_start else ""))
    built = run_dbt(
        build,
        warehouse=work,
        state_dir=paths.dbt_state,
        dbt_vars=request.dbt_vars,
        env=window,
    )
    _record_dbt_tests(work, paths, runlog, stored=built, say=say)
    if not built:
        raise _build_failed(runlog, paths)
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


def _window_environment(runlog: RunLog) -> dict[str, str]:
    """The run window's first day for dbt (OPSMART_RUN_WINDOW_START, '' to build
    every row); an environment variable, not a var, so that a new window does not
    make dbt parse the project again."""
    start = runlog.window_start
    return {"OPSMART_RUN_WINDOW_START": start.isoformat() if start else ""}


@contextmanager
def _parsing_ahead(
    work: Path, request: RunRequest, paths: RunPaths, runlog: RunLog
) -> Iterator[threading.Thread | None]:
    """``dbt parse`` in a thread while the block runs, when the deployment's
    folder has no saved parse yet; the thread, or None.

    A build in a new folder (the first one, or any `opsmart build --warehouse`
    elsewhere) parsed the whole project before its first node: about 4 s of
    dbt's Python on one core, the other idle. The block is the input validation
    (GX's Python and DuckDB's reads, about 1.5 cores): the parse runs beside it
    with the build's own vars and environment, and the build finds its saved
    parse unchanged (dbt's partial parsing), 1 s instead of 5-6 s before its
    first node; the validation takes up to 2 s longer. Where
    a saved parse exists the build checks it in the time a parse ahead would
    take, so none is started. A parse that fails costs nothing but its time:
    the build parses again and reports the error. dbt prints nothing of it (its
    log file has it); the block ends once the parse has.
    """
    if (paths.dbt_state / _SAVED_PARSE).exists():
        yield None
        return
    with open(os.devnull, "r+b") as quiet:
        parse = threading.Thread(
            target=run_dbt,
            args=(["parse"],),
            kwargs={
                "warehouse": work,
                "state_dir": paths.dbt_state,
                "dbt_vars": request.dbt_vars,
                "env": _window_environment(runlog),
                "stdio": [quiet.fileno()] * 3,
            },
            name="dbt-parse-ahead",
            daemon=True,
        )
        parse.start()
        try:
            yield parse
        finally:
            parse.join()


def _plan_refit(work: Path, runlog: RunLog) -> Refit:
    """Whether this run refits the whole-history statistics (opsmart.nightly.refit)."""
    try:
        every_days = refit_days(runlog.dbt_vars)
    except ValueError as error:
        raise RunFailedError(str(error), EXIT_BAD_INPUT) from error
    last = None
    if not runlog.full_refresh:
        with connect(work, read_only=True) as connection:
            last = last_refit_date(connection)
    return plan_refit(
        full_refresh=runlog.full_refresh,
        run_date=runlog.run_date,
        last=last,
        every_days=every_days,
    )


def _build_failed(runlog: RunLog, paths: RunPaths) -> RunFailedError:
    """The run's failure after ``dbt build``, naming its first failing tests."""
    failed = [
        f"{r['suite']}: {r['details']} ({r['observed']})"
        for r in runlog.validation["dbt"]
        if not r["success"] and r["severity"] == "error"
    ]
    return RunFailedError(
        "dbt build failed"
        + (f" ({len(failed)} test(s): {', '.join(failed[:5])})" if failed else "")
        + f"; see {paths.dbt_state / 'logs'}",
        EXIT_DBT_FAILED,
    )


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
            shutil.copyfile(out, paths.reports / "opsmart_report.html")
        except ENVIRONMENT_ERRORS as error:  # a full disk: no traceback to read
            message = f"report failed: {fault_message(error)}"
            raise RunFailedError(message, EXIT_REPORT) from None
        except Exception as error:  # the data is published; say why the page is not
            log.exception("report failed")
            raise RunFailedError(f"report failed: {error}", EXIT_REPORT) from None
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
    the report's data-quality section. The warehouse dbt tested names the checks
    a failed row_checks test found (dbt_test_report); after a failed build it is
    read only if it still opens.
    """
    target = paths.dbt_state / "target"
    try:
        connection = connect(work)
    except duckdb.Error:
        if stored:
            raise
        report = dbt_test_report(target)
    else:
        with connection:
            report = dbt_test_report(target, connection)
            if stored:
                from opsmart import validation

                validation.store(connection, report, run_id=runlog.run_id, stage="dbt")
    runlog.validation["dbt"] = report.to_records()
    for result in report.failures("warn"):
        say(f"dbt warning: {result.suite} {result.details}: {result.observed}")


def _validate(stage: str, work: Path, runlog: RunLog, **window: Any) -> None:
    from opsmart import validation

    with connect(work) as connection:
        if stage == "inputs":
            report = validation.validate_inputs(connection, **window)
        else:
            report = validation.validate_marts(
                connection,
                realtime_channels=runlog.dbt_vars.get("realtime_channels"),
                **window,
            )
        validation.store(connection, report, run_id=runlog.run_id, stage=stage)
    runlog.validation[stage] = report.to_records()
    for line in report.summary_lines():
        log.info("%s", line)
    errors = report.failures("error")
    if errors:
        names = ", ".join(f"{r.suite}: {r.expectation}({r.column})" for r in errors)
        raise RunFailedError(f"{stage} validation failed: {names}", EXIT_VALIDATION)


def _last_contact_date(work: Path, zone: str) -> date | None:
    return _contact_date(work, "max", zone)


def _first_contact_date(work: Path, zone: str) -> date | None:
    return _contact_date(work, "min", zone)


#: The arrivals that can hold the first or last local day: those within a day of
#: the first or last instant (see `_contact_date`).
_NEAR_EDGE = {
    "min": "arrived_at <= (select min(arrived_at) from raw.contacts) + interval 1 day",
    "max": "arrived_at >= (select max(arrived_at) from raw.contacts) - interval 1 day",
}


def _contact_date(work: Path, aggregate: str, zone: str) -> date | None:
    """The first or last local day (in `zone`) with a contact arrival.

    Only the arrivals within a day of the first or last instant are dated, not
    the whole history: a zone's local date follows its instant, except where the
    clock was turned back across midnight (tzdata: Newfoundland and Labrador
    until 2010, Moncton until 2006, Casey in 2010), which a day covers.
    """
    with connect(work, read_only=True) as connection:
        row = connection.execute(
            f"select {aggregate}(cast(timezone(?, arrived_at) as date)) "
            f"from raw.contacts where {_NEAR_EDGE[aggregate]}",
            [zone],
        ).fetchone()
    return row[0] if row else None


def _last_run_id(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The run that published this warehouse: the last in its run log.

    Its export (`parquet/<run_id>/`) holds exactly these tables, even when a run
    was killed between publishing the warehouse and flipping `current`.
    """
    if not has_run_log(connection):
        return None
    row = connection.execute(
        "select run_id from audit.run_log order by started_at desc, run_id desc limit 1"
    ).fetchone()
    return str(row[0]) if row else None


def _public_row_counts(connection: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for schema, table in public_tables(connection):
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
