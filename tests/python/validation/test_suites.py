"""The declared suites fit the real schemas: every query binds and every rule's columns
are in its frame, every rule is a GX expectation that accepts its kwargs."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from validation_helpers import create_marts, create_raw

from opsmart.validation import runner
from opsmart.validation._outcomes import parameter_names
from opsmart.validation.suites import INPUT_SUITES, MART_SUITES, Rule, Suite

PARAMETERS = {
    "load_id": "L1",
    "run_date": date(2026, 3, 30),
    "timezone": "UTC",
    "window_start": date(2026, 3, 2),
    "window_end": date(2026, 3, 8),
    "realtime_channels": ["voice", "chat"],
}


def _rule_columns(rule: Rule) -> set[str]:
    kwargs = rule.kwargs
    columns = {
        kwargs[key] for key in ("column", "column_A", "column_B") if key in kwargs
    }
    columns |= set(kwargs.get("column_list", ()))
    return columns


def _frame_columns(connection: duckdb.DuckDBPyConnection, suite: Suite) -> set[str]:
    cursor = runner._query(connection, suite.sql, PARAMETERS)
    return {column[0] for column in cursor.description or ()}


@pytest.fixture(scope="module")
def schemas() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    create_marts(connection)
    create_raw(connection)
    return connection


@pytest.mark.parametrize(
    "suite", INPUT_SUITES + MART_SUITES, ids=lambda suite: suite.name
)
def test_queries_bind_and_rules_name_frame_columns(
    schemas: duckdb.DuckDBPyConnection, suite: Suite
) -> None:
    columns = _frame_columns(schemas, suite)
    for rule in suite.rules:
        assert _rule_columns(rule) <= columns, (suite.name, rule)
    if suite.baseline_sql:
        row = runner._baseline(schemas, suite.baseline_sql, PARAMETERS)
        for rule in suite.rules:
            assert set(parameter_names(rule)) <= set(row), (suite.name, rule)


def test_every_rule_is_a_gx_expectation_with_valid_kwargs() -> None:
    rules = [rule for suite in INPUT_SUITES + MART_SUITES for rule in suite.rules]
    with runner._quiet():
        gx = runner._GxRunner()
        built = [gx._expectation(rule, index) for index, rule in enumerate(rules)]
    assert [expectation.expectation_type for expectation in built] == [
        rule.expectation for rule in rules
    ]


def test_severities_are_error_or_warn_and_bands_and_drift_only_warn() -> None:
    suites = INPUT_SUITES + MART_SUITES
    assert {rule.severity for suite in suites for rule in suite.rules} == {
        "error",
        "warn",
    }
    for suite in suites:
        if suite.name == "drift" or suite.name.startswith("volume."):
            assert {rule.severity for rule in suite.rules} == {"warn"}
        if suite.name == "reconciliation":
            assert {rule.severity for rule in suite.rules} == {"error"}


def test_unknown_expectation_type_is_refused() -> None:
    with runner._quiet():
        gx = runner._GxRunner()
        with pytest.raises(ValueError, match="`expectation` must be a GX expectation"):
            gx._expectation(Rule("expect_the_unexpected", {}), 0)
