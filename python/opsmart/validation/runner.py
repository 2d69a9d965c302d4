"""Run the suites of :mod:`opsmart.validation.suites` with Great Expectations.

Each suite's query runs on the caller's DuckDB connection and the frame goes to GX as a
pandas batch (GX 1.x: ephemeral context, pandas data source, whole-dataframe batch
definition). The GX SQL data source is not used: on DuckDB it reads a closed cursor
and returns empty metrics.

GX is imported on first use (it takes seconds), and its logging, warnings and
progress bars are kept quiet.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import re
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from opsmart.nightly.dbt_runner import vars_in_force
from opsmart.validation._outcomes import (
    gx_failed_result,
    missing_tables_result,
    no_baseline_result,
    no_rows_result,
    parameter_names,
    plain,
    query_failed_result,
    rule_result,
)
from opsmart.validation.results import CheckResult, ValidationReport
from opsmart.validation.suites import INPUT_SUITES, MART_SUITES, Rule, Suite

__all__ = ["preload", "run_suites", "validate_inputs", "validate_marts"]

log = logging.getLogger(__name__)

#: Rows above which a suite's frame is a hash sample (see `_frame`).
MAX_ROWS_PER_SUITE = 100_000


def validate_inputs(
    connection: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    run_date: date,
    timezone: str = "UTC",
) -> ValidationReport:
    """Validate the raw rows of one load, and the run date's volume.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        The warehouse, with ``raw.<source>`` tables as the load step writes them.
    load_id : str
        Checks the rows ``where _load_id = load_id``: contract schema, types, required
        columns, keys, ranges, time order.
    run_date : date
        The local day (in `timezone`) whose volume (rows of all loads) is compared
        with the same weekday of the trailing weeks; rows of the load dated after it
        are flagged.
    timezone : str
        The center's IANA zone (var ``reporting_timezone``) that dates raw rows.

    Returns
    -------
    ValidationReport
        One result per rule of `INPUT_SUITES`; a missing optional source or a source
        without rows in this load gives one passing "skipped" result instead.

    Raises
    ------
    ValueError
        If `load_id` is empty.
    TypeError
        If `run_date` is not a date.
    """
    if not isinstance(load_id, str) or not load_id:
        raise ValueError(f"`load_id` must be a non-empty string, got {load_id!r}")
    _check_date(run_date, "run_date")
    return run_suites(
        connection,
        INPUT_SUITES,
        {"load_id": load_id, "run_date": run_date, "timezone": timezone},
    )


def validate_marts(
    connection: duckdb.DuckDBPyConnection,
    *,
    window_start: date,
    window_end: date,
    realtime_channels: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate the public marts and reports: KPI bands, reconciliations, drift.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        The built warehouse (schemas ``marts`` and ``reports``).
    window_start, window_end : date
        The local days (both inclusive) whose fact rows are checked; dimensions and
        whole-period reports are checked in full. Drift compares the window with the
        28 days before `window_start`.
    realtime_channels : sequence of str, optional
        The channels whose waits and ASA get the real-time bands: the build's dbt
        var ``realtime_channels``; by default the project's (``dbt_project.yml``).

    Returns
    -------
    ValidationReport
        One result per rule of `MART_SUITES`.

    Raises
    ------
    TypeError
        If a window bound is not a date.
    ValueError
        If `window_end` is before `window_start`.
    """
    _check_date(window_start, "window_start")
    _check_date(window_end, "window_end")
    if window_end < window_start:
        raise ValueError(
            f"`window_end` must be >= `window_start` ({window_start}), got {window_end}"
        )
    if realtime_channels is None:
        realtime_channels = vars_in_force()["realtime_channels"]
    return run_suites(
        connection,
        MART_SUITES,
        {
            "window_start": window_start,
            "window_end": window_end,
            "realtime_channels": list(realtime_channels),
        },
    )


_preloading: threading.Thread | None = None


def preload() -> None:
    """Start importing Great Expectations in a background thread.

    The import alone takes seconds; a run calls this before its load step, which
    spends its time inside DuckDB, so the two overlap. The first validation waits
    for the thread (and does not import twice).
    """
    global _preloading
    if _preloading is None:
        _preloading = threading.Thread(
            target=_import_quietly, name="preload-great-expectations", daemon=True
        )
        _preloading.start()


def _import_quietly() -> None:
    with _quiet():
        pass  # _quiet imports GX with its warnings and log lines silenced


def run_suites(
    connection: duckdb.DuckDBPyConnection,
    suites: Sequence[Suite],
    parameters: Mapping[str, object],
) -> ValidationReport:
    """Run `suites` with the query `parameters` and collect their results in order."""
    existing = _existing_tables(connection)
    results: list[CheckResult] = []
    reported: set[tuple[str, str, str, str]] = set()
    if _preloading is not None:
        _preloading.join()  # _quiet changes process-wide settings: one at a time
    with _quiet():
        runner = _GxRunner()
        for suite in suites:
            for result in _run_suite(connection, runner, suite, parameters, existing):
                key = (
                    result.suite,
                    result.expectation,
                    result.observed,
                    result.details,
                )
                if result.expectation in ("table_exists", "skipped"):
                    # a source's text and typed suites are missing or empty together
                    if key in reported:
                        continue
                    reported.add(key)
                results.append(result)
    return ValidationReport(tuple(results))


# --- one suite ----------------------------------------------------------------


def _run_suite(
    connection: duckdb.DuckDBPyConnection,
    runner: _GxRunner,
    suite: Suite,
    parameters: Mapping[str, object],
    existing: set[str],
) -> list[CheckResult]:
    """Run one suite's rules: one result per rule, in the suite's order.

    When the rules cannot run (a table missing, the query failing, no rows to
    check, GX failing) the suite gives one suite-level result instead.
    """
    missing = [table for table in suite.tables if table.lower() not in existing]
    if missing:
        return [missing_tables_result(suite, missing)]
    try:
        frame, sample_note = _frame(connection, suite, parameters)
        baseline = (
            _baseline(connection, suite.baseline_sql, parameters)
            if suite.baseline_sql
            else {}
        )
    except duckdb.Error as error:
        return [query_failed_result(suite, error)]
    if frame.empty and suite.skip_empty:
        return [no_rows_result(suite)]

    outcomes, runnable = _split_on_baseline(suite, baseline)
    try:
        gx_results = runner.validate(frame, runnable, baseline)
    except Exception as error:  # GX failing on one frame must not stop the others
        log.exception("GX failed on suite %s", suite.name)
        return [gx_failed_result(suite, error, unevaluated=len(runnable))]
    context = _baseline_context(suite, baseline)
    for index, gx_result in gx_results.items():
        outcomes[index] = rule_result(
            suite, runnable[index], gx_result, context=context, sample_note=sample_note
        )
    return [outcomes[index] for index in range(len(suite.rules))]


def _split_on_baseline(
    suite: Suite, baseline: Mapping[str, Any]
) -> tuple[dict[int, CheckResult], dict[int, Rule]]:
    """Split the suite's rules, by index, into passed-for-now and runnable.

    A rule whose parameters the baseline leaves null (no trailing rows to compare
    with) passes with a note: there is nothing yet to compare with.
    """
    outcomes: dict[int, CheckResult] = {}
    runnable: dict[int, Rule] = {}
    for index, rule in enumerate(suite.rules):
        names = parameter_names(rule)
        if any(baseline.get(name) is None for name in names):
            outcomes[index] = no_baseline_result(suite, rule)
        else:
            runnable[index] = rule
    return outcomes, runnable


def _baseline_context(suite: Suite, baseline: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline values no rule takes as a parameter: context for the reader."""
    return {
        name: value
        for name, value in baseline.items()
        if not any(name in parameter_names(rule) for rule in suite.rules)
    }


# --- Great Expectations -------------------------------------------------------


class _GxRunner:
    """An ephemeral GX context with one pandas asset; validates a frame per suite."""

    def __init__(self) -> None:
        gx = importlib.import_module("great_expectations")
        base = importlib.import_module("great_expectations.data_context.types.base")
        self._gx = gx
        self._expectations = importlib.import_module("great_expectations.expectations")
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = base.ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        asset = context.data_sources.add_pandas(name="opsmart").add_dataframe_asset(
            name="frame"
        )
        self._batch_definition = asset.add_batch_definition_whole_dataframe("whole")

    def validate(
        self,
        frame: pd.DataFrame,
        rules: Mapping[int, Rule],
        parameters: Mapping[str, object],
    ) -> dict[int, Any]:
        """Validate `frame` against `rules`; GX results keyed by the rules' keys."""
        if not rules:
            return {}
        suite = self._gx.ExpectationSuite(name="opsmart")
        for index, rule in rules.items():
            suite.add_expectation(self._expectation(rule, index))
        batch = self._batch_definition.get_batch(batch_parameters={"dataframe": frame})
        outcome = batch.validate(
            suite,
            result_format="BASIC",
            expectation_parameters={
                name: plain(value) for name, value in parameters.items()
            },
        )
        return {
            int(result.expectation_config.meta["rule"]): result
            for result in outcome.results
        }

    def _expectation(self, rule: Rule, index: int) -> Any:
        name = "".join(part.capitalize() for part in rule.expectation.split("_"))
        cls = getattr(self._expectations, name, None)
        if cls is None:
            raise ValueError(
                f"`expectation` must be a GX expectation type, got {rule.expectation!r}"
            )
        return cls(**rule.kwargs, meta={"rule": index})


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Keep GX's INFO lines, warnings and progress bars out of the run log.

    Some GX modules set their own logger level (INFO), so every ``great_expectations``
    logger is raised to ERROR for the run and restored afterwards.
    """
    saved: dict[logging.Logger, int] = {}
    parent = logging.getLogger("great_expectations")
    saved[parent] = parent.level
    parent.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module=r"great_expectations(\.|$)")
            importlib.import_module("great_expectations")
            for name, logger in list(logging.Logger.manager.loggerDict.items()):
                if name.startswith("great_expectations.") and isinstance(
                    logger, logging.Logger
                ):
                    saved[logger] = logger.level
                    logger.setLevel(logging.ERROR)
            yield
    finally:
        for logger, level in saved.items():
            logger.setLevel(level)


# --- DuckDB -------------------------------------------------------------------


def _query(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: Mapping[str, object]
) -> duckdb.DuckDBPyConnection:
    """Execute `sql` with the named parameters it uses ($name)."""
    used = set(re.findall(r"\$(\w+)", sql))
    return connection.execute(sql, {name: parameters[name] for name in used})


def _frame(
    connection: duckdb.DuckDBPyConnection,
    suite: Suite,
    parameters: Mapping[str, object],
) -> tuple[pd.DataFrame, str]:
    """The suite's rows for GX, or a hash sample of them when there are too many.

    GX checks pandas frames row by row in Python, which for a full rebuild of a year
    (millions of rows per source) would cost minutes and gigabytes; every row is
    already checked in SQL by the load step's rules and by dbt's tests. Above
    `MAX_ROWS_PER_SUITE` rows the frame keeps the rows whose key hashes into a
    fixed share: the same rows every time, and all copies of a duplicated key
    together, so uniqueness rules still see the duplicates among the sampled keys.
    Returns the frame and a note for the results ('' when not sampled).
    """
    (total,) = _query(
        connection, f"select count(*) from ({suite.sql})", parameters
    ).fetchone() or (0,)
    if total <= MAX_ROWS_PER_SUITE:
        return _pandas(_query(connection, suite.sql, parameters)), ""
    key = ", ".join(f'"{c}"' for c in _sample_key(suite)) or "sampled"
    buckets = 1_000_000
    keep = math.ceil(buckets * MAX_ROWS_PER_SUITE / total)
    sampled_sql = (
        f"select * exclude (_sample_bucket) from ("
        f"select *, hash({key}) % {buckets} as _sample_bucket "
        f"from ({suite.sql}) as sampled) where _sample_bucket < {keep}"
    )
    frame = _pandas(_query(connection, sampled_sql, parameters))
    return frame, f"hash sample of {len(frame):,} of {total:,} rows"


def _pandas(cursor: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The cursor's rows as a pandas frame; a TIMESTAMPTZ column (raw's instants)
    becomes a tz-aware datetime column, which GX compares as it is.

    DuckDB converts such a column with ``DataFrame.drop(inplace=True)``, which
    pandas 3.1 deprecates: the warning is DuckDB's to fix, so it is kept out of
    the run log.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r"The inplace keyword in DataFrame\.drop"
        )
        return cursor.df()


def _sample_key(suite: Suite) -> list[str]:
    """The columns of the suite's first uniqueness rule (none: hash the whole row)."""
    for rule in suite.rules:
        if rule.expectation == "expect_column_values_to_be_unique":
            return [str(rule.kwargs["column"])]
        if rule.expectation == "expect_compound_columns_to_be_unique":
            return [str(c) for c in rule.kwargs["column_list"]]
    return []


def _baseline(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: Mapping[str, object]
) -> dict[str, Any]:
    cursor = _query(connection, sql, parameters)
    row = cursor.fetchone()
    names = [column[0] for column in cursor.description or ()]
    if row is None:
        return dict.fromkeys(names)
    return {name: plain(value) for name, value in zip(names, row, strict=True)}


def _existing_tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_schema, table_name from information_schema.tables"
    ).fetchall()
    return {f"{schema}.{name}".lower() for schema, name in rows}


def _check_date(value: object, name: str) -> None:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"`{name}` must be a datetime.date, got {value!r}")
