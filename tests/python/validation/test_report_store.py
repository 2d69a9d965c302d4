"""ValidationReport summaries and records, and store() into audit.validation_results."""

from __future__ import annotations

from dataclasses import astuple

import duckdb
import pytest

from opsmart.validation import CheckResult, ValidationReport, store

REPORT = ValidationReport(
    (
        CheckResult(
            "raw.contacts",
            "expect_column_values_to_be_unique",
            "contact_id",
            "error",
            True,
            "0 of 10 unexpected",
            "column=contact_id",
        ),
        CheckResult(
            "raw.contacts",
            "expect_column_values_to_be_between",
            "wait_seconds::double",
            "error",
            False,
            "1 of 10 unexpected, e.g. -5",
            "column=wait_seconds::double, min_value=0",
        ),
        CheckResult(
            "volume.contacts",
            "expect_table_row_count_to_be_between",
            None,
            "warn",
            False,
            "1 rows",
            "min_value=5, max_value=15",
        ),
        CheckResult("raw.costs", "skipped", None, "warn", True, "no rows", "-"),
    )
)


def test_failures_filter_by_severity() -> None:
    assert [r.suite for r in REPORT.failures()] == ["raw.contacts", "volume.contacts"]
    assert [r.suite for r in REPORT.failures("error")] == ["raw.contacts"]
    assert [r.suite for r in REPORT.failures("warn")] == ["volume.contacts"]
    with pytest.raises(ValueError, match="`severity` must be one of error, warn"):
        REPORT.failures("fatal")


def test_summary_has_a_line_per_suite_and_per_failure() -> None:
    assert REPORT.summary_lines() == [
        "raw.contacts: 1/2 passed, 1 error(s), 0 warning(s)",
        "  ERROR expect_column_values_to_be_between [wait_seconds::double]: "
        "1 of 10 unexpected, e.g. -5 (column=wait_seconds::double, min_value=0)",
        "volume.contacts: 0/1 passed, 0 error(s), 1 warning(s)",
        "  WARN expect_table_row_count_to_be_between: 1 rows "
        "(min_value=5, max_value=15)",
        "raw.costs: 1/1 passed, ok",
    ]


def test_records_are_the_result_fields() -> None:
    records = REPORT.to_records()

    assert len(records) == 4
    assert records[2] == {
        "suite": "volume.contacts",
        "expectation": "expect_table_row_count_to_be_between",
        "column": None,
        "severity": "warn",
        "success": False,
        "observed": "1 rows",
        "details": "min_value=5, max_value=15",
    }


def test_store_creates_the_table_and_appends() -> None:
    with duckdb.connect() as connection:
        store(connection, REPORT, run_id="run-1", stage="inputs")
        store(
            connection,
            ValidationReport(REPORT.results[:1]),
            run_id="run-1",
            stage="marts",
        )
        rows = connection.execute(
            "select run_id, stage, suite, expectation, column_name, severity, success, "
            "observed, details from audit.validation_results order by stage, suite"
        ).fetchall()

    assert len(rows) == 5
    # a stored row is its run, its stage and the result's fields, in order
    assert ("run-1", "inputs", *astuple(REPORT.results[0])) in rows
    volume = [row for row in rows if row[2] == "volume.contacts"]
    assert [(row[4], row[5], row[6]) for row in volume] == [(None, "warn", False)]
    assert [row[1] for row in rows].count("marts") == 1


def test_store_checks_its_arguments() -> None:
    with duckdb.connect() as connection:
        with pytest.raises(
            ValueError, match="`stage` must be one of inputs, dbt, marts"
        ):
            store(connection, REPORT, run_id="run-1", stage="publish")
        with pytest.raises(ValueError, match="`run_id` must be a non-empty string"):
            store(connection, REPORT, run_id="", stage="inputs")
