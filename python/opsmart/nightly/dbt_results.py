"""What a `dbt build` found, as validation results beside Great Expectations'.

A dbt test either guards a pipeline invariant (keys, contracts, reconciliations:
severity ``error``, the build fails and nothing is published) or catches an oddity of
the input data (severity ``warn``: the night publishes, and the oddity is counted);
docs/nightly.md ("Severity") has the policy. Either way a user must see it, so after
every build the tests' outcomes are read from dbt's ``run_results.json`` (with the
tests' models, columns and severities from ``manifest.json``) and stored with the
run's other checks (``audit.validation_results``, stage ``dbt``): the run log and the
report's data-quality section then show every warning and its row count. A failed
``row_checks`` test (a model's value checks, one dbt node) also names the checks that
failed and their rows, from its query run again on the warehouse dbt tested.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from opsmart.validation import CheckResult, ValidationReport

__all__ = ["dbt_test_report"]

#: dbt's statuses of a test that ran (skipped tests did not: an upstream node failed).
_RAN = {"pass", "warn", "fail", "error"}


def dbt_test_report(
    target_dir: Path, warehouse: duckdb.DuckDBPyConnection | None = None
) -> ValidationReport:
    """The data and unit tests of the last dbt invocation in `target_dir`.

    Parameters
    ----------
    target_dir : pathlib.Path
        dbt's ``target/`` folder holding ``run_results.json`` and ``manifest.json``.
    warehouse : duckdb.DuckDBPyConnection, optional
        The warehouse dbt tested. With it, a failed ``row_checks`` test's
        ``observed`` names each check that failed and its rows (its compiled query,
        run again: one scan of the model, and only for a test that failed).

    Returns
    -------
    ValidationReport
        One result per test that ran, in dbt's order; empty when there are no
        results (dbt failed before running anything).
    """
    run_results = _read(target_dir / "run_results.json").get("results", [])
    manifest = _read(target_dir / "manifest.json")
    nodes, unit_tests = manifest.get("nodes", {}), manifest.get("unit_tests", {})
    checks = []
    for result in run_results:
        unique_id = str(result.get("unique_id", ""))
        status = str(result.get("status", ""))
        if status not in _RAN:
            continue
        if unique_id.startswith("test."):
            node = nodes.get(unique_id, {})
            checks.append(_data_test(result, node, status, warehouse))
        elif unique_id.startswith("unit_test."):
            checks.append(_unit_test(result, unit_tests.get(unique_id, {}), status))
    return ValidationReport(tuple(checks))


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _observed(result: dict[str, Any], status: str) -> str:
    if status == "pass":
        return "0 rows"
    if status == "error":  # the test's query failed
        message = " ".join(str(result.get("message") or "").split())
        return f"error: {message[:200]}"
    failures = result.get("failures")
    return f"{failures} row(s)" if failures is not None else status


def _data_test(
    result: dict[str, Any],
    node: dict[str, Any],
    status: str,
    warehouse: duckdb.DuckDBPyConnection | None,
) -> CheckResult:
    metadata = node.get("test_metadata") or {}
    attached = str(node.get("attached_node") or "")
    observed = _observed(result, status)
    failed = status in {"fail", "warn"}
    if warehouse is not None and failed and metadata.get("name") == "row_checks":
        observed += _failing_checks(warehouse, node.get("compiled_code"))
    return CheckResult(
        suite=f"dbt.{attached.split('.')[-1]}" if attached else "dbt.singular",
        expectation=str(metadata.get("name") or node.get("name") or "test"),
        column=node.get("column_name") or _columns(metadata),
        severity=str((node.get("config") or {}).get("severity", "error")).lower(),
        success=status == "pass",
        observed=observed,
        details=str(node.get("name") or result.get("unique_id")),
    )


def _failing_checks(warehouse: duckdb.DuckDBPyConnection, query: Any) -> str:
    """': <condition> (<rows>); ...', the checks of a failed row_checks test that
    failed (macro failing_row_counts), or '' when its query cannot tell."""
    if not query:
        return ""
    try:
        failing = warehouse.execute(str(query)).fetchall()
    except duckdb.Error:  # a table the failed build left unfinished
        return ""
    return ": " + "; ".join(
        f"{_shortened(str(condition))} ({rows})" for condition, rows in failing
    )


def _shortened(condition: str, width: int = 120) -> str:
    """A check's condition on one line, at most `width` characters."""
    condition = " ".join(condition.split())
    return condition if len(condition) <= width else condition[: width - 1] + "…"


def _columns(metadata: dict[str, Any]) -> str | None:
    """The columns a model-level row_checks test checks (its not_null, ranges and
    accepted_values; its expressions name none), comma-separated, each once; None
    for other tests."""
    kwargs = metadata.get("kwargs") or {}
    columns = [
        *(kwargs.get("not_null") or []),
        *(column for rule in kwargs.get("ranges") or [] for column in rule["columns"]),
        *(kwargs.get("accepted_values") or {}),
    ]
    return ", ".join(dict.fromkeys(map(str, columns))) or None


def _unit_test(
    result: dict[str, Any], node: dict[str, Any], status: str
) -> CheckResult:
    return CheckResult(
        suite=f"dbt.{node.get('model', 'unit_test')}",
        expectation="unit_test",
        column=None,
        severity="error",
        success=status == "pass",
        observed="passed" if status == "pass" else _observed(result, status),
        details=str(node.get("name") or result.get("unique_id")),
    )
