"""What a validation run found: one `CheckResult` per expectation, a `ValidationReport`.

`store` appends a report to ``audit.validation_results`` so every nightly run leaves its
checks next to the data it published.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

__all__ = ["SEVERITIES", "STAGES", "CheckResult", "ValidationReport", "store"]

#: "error" blocks publishing (hard invariants); "warn" is logged (bands, volume, drift).
SEVERITIES: tuple[str, ...] = ("error", "warn")

#: The nightly run checks the loaded raw rows (GX), the build (dbt's tests), then
#: the built marts (GX).
STAGES: tuple[str, ...] = ("inputs", "dbt", "marts")

_RESULTS_TABLE = "audit.validation_results"

_RESULTS_DDL = f"""
create table if not exists {_RESULTS_TABLE} (
    run_id varchar,
    stage varchar,
    suite varchar,
    expectation varchar,
    column_name varchar,
    severity varchar,
    success boolean,
    observed varchar,
    details varchar
)
"""


@dataclass(frozen=True)
class CheckResult:
    """One expectation's outcome.

    ``suite`` names what was checked (``"raw.contacts"``, ``"volume.contacts"``,
    ``"marts.fct_queue_intervals"``, ``"reconciliation"``, ``"drift"``);
    ``expectation`` is the GX expectation type, or, when the suite could not run its
    expectations, ``table_exists`` (a missing table), ``skipped`` (no rows),
    ``query`` (its query failed) or ``validate`` (GX failed).
    """

    suite: str
    expectation: str
    column: str | None
    severity: str
    success: bool
    observed: str
    details: str


@dataclass(frozen=True)
class ValidationReport:
    """Every `CheckResult` of one validation stage, in suite and rule order."""

    results: tuple[CheckResult, ...]

    def failures(self, severity: str | None = None) -> list[CheckResult]:
        """The failed checks, all of them or only those of `severity`."""
        if severity is not None and severity not in SEVERITIES:
            raise ValueError(
                f"`severity` must be one of {', '.join(SEVERITIES)} or None, "
                f"got {severity!r}"
            )
        return [
            result
            for result in self.results
            if not result.success and severity in (None, result.severity)
        ]

    def summary_lines(self) -> list[str]:
        """One line per suite (checks passed, failures by severity), one per failure."""
        suites: dict[str, list[CheckResult]] = {}
        for result in self.results:
            suites.setdefault(result.suite, []).append(result)
        lines = []
        for suite, results in suites.items():
            failed = [result for result in results if not result.success]
            errors = sum(result.severity == "error" for result in failed)
            warnings = len(failed) - errors
            status = "ok" if not failed else f"{errors} error(s), {warnings} warning(s)"
            passed = len(results) - len(failed)
            lines.append(f"{suite}: {passed}/{len(results)} passed, {status}")
            for result in failed:
                column = f" [{result.column}]" if result.column else ""
                lines.append(
                    f"  {result.severity.upper()} {result.expectation}{column}: "
                    f"{result.observed} ({result.details})"
                )
        return lines

    def to_records(self) -> list[dict[str, Any]]:
        """The results as dicts of the `CheckResult` fields, for JSON or a table."""
        return [asdict(result) for result in self.results]


def store(
    connection: duckdb.DuckDBPyConnection,
    report: ValidationReport,
    *,
    run_id: str,
    stage: str,
) -> None:
    """Append `report` to ``audit.validation_results``, creating it when missing.

    Parameters
    ----------
    connection : duckdb.DuckDBPyConnection
        A read-write connection on the warehouse.
    report : ValidationReport
        What `validate_inputs` or `validate_marts` returned.
    run_id : str
        The nightly run the results belong to.
    stage : str
        ``"inputs"``, ``"dbt"`` or ``"marts"``.

    Raises
    ------
    ValueError
        If `run_id` is empty or `stage` is not a known stage.
    """
    if not isinstance(run_id, str) or not run_id:
        raise ValueError(f"`run_id` must be a non-empty string, got {run_id!r}")
    if stage not in STAGES:
        raise ValueError(f"`stage` must be one of {', '.join(STAGES)}, got {stage!r}")
    connection.execute("create schema if not exists audit")
    connection.execute(_RESULTS_DDL)
    rows = [
        (
            run_id,
            stage,
            result.suite,
            result.expectation,
            result.column,
            result.severity,
            result.success,
            result.observed,
            result.details,
        )
        for result in report.results
    ]
    if rows:
        connection.executemany(
            f"insert into {_RESULTS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
