"""The `Rule` and `Suite` types of the declared suites, and the small builders that
keep each suite's rules one line a rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "ERROR",
    "WARN",
    "Rule",
    "Severity",
    "Suite",
    "_band",
    "_between",
    "_equal",
    "_matches",
    "_mean_within",
    "_non_negative",
    "_not_before",
    "_nps",
    "_rates",
    "_unique",
    "param",
]

Severity = Literal["error", "warn"]
ERROR: Severity = "error"
WARN: Severity = "warn"


@dataclass(frozen=True)
class Rule:
    """One expectation: GX type (snake_case), its kwargs and severity."""

    expectation: str
    kwargs: Mapping[str, Any]
    severity: Severity = ERROR


@dataclass(frozen=True)
class Suite:
    """The rows one query returns and the rules checked on them.

    ``tables`` are the tables the query reads: a missing one is reported instead of
    queried (an error, or a pass for an ``optional`` source). With ``skip_empty`` a
    query without rows gives one "no rows" result; volume suites turn it off, as no
    rows is exactly what they look for.
    """

    name: str
    tables: tuple[str, ...]
    sql: str
    rules: tuple[Rule, ...]
    baseline_sql: str | None = None
    optional: bool = False
    skip_empty: bool = True


def param(name: str) -> dict[str, str]:
    """A GX suite parameter: the value comes from the suite's ``baseline_sql``."""
    return {"$PARAMETER": name}


# --- small rule builders (each returns Rules, so the suites stay one line a rule)


def _unique(*columns: str, severity: Severity = ERROR) -> Rule:
    if len(columns) == 1:
        return Rule(
            "expect_column_values_to_be_unique", {"column": columns[0]}, severity
        )
    return Rule(
        "expect_compound_columns_to_be_unique", {"column_list": list(columns)}, severity
    )


def _between(
    column: str,
    min_value: float | None = None,
    max_value: float | None = None,
    severity: Severity = ERROR,
    **extra: Any,
) -> Rule:
    kwargs: dict[str, Any] = {"column": column}
    if min_value is not None:
        kwargs["min_value"] = min_value
    if max_value is not None:
        kwargs["max_value"] = max_value
    return Rule("expect_column_values_to_be_between", {**kwargs, **extra}, severity)


def _band(
    column: str, min_value: float | None = None, max_value: float | None = None
) -> Rule:
    """A plausibility band (warn): outside it is suspicious, not impossible."""
    return _between(column, min_value, max_value, severity=WARN)


def _rates(*columns: str) -> tuple[Rule, ...]:
    """Fractions in [0, 1]: a hard invariant (CONTRIBUTING.md: fractions are 0-1)."""
    return tuple(_between(column, 0, 1) for column in columns)


def _nps(*columns: str) -> tuple[Rule, ...]:
    return tuple(_between(column, -100, 100) for column in columns)


def _non_negative(*columns: str) -> tuple[Rule, ...]:
    return tuple(_between(column, 0) for column in columns)


def _mean_within(column: str, min_param: str, max_param: str) -> Rule:
    """Drift (warn): the column's mean between two values of the ``baseline_sql``."""
    return Rule(
        "expect_column_mean_to_be_between",
        {
            "column": column,
            "min_value": param(min_param),
            "max_value": param(max_param),
        },
        WARN,
    )


def _not_before(later: str, earlier: str, *, strict: bool = False) -> Rule:
    """``later >= earlier`` on the rows where both are known."""
    return Rule(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {
            "column_A": later,
            "column_B": earlier,
            "or_equal": not strict,
            "ignore_row_if": "either_value_is_missing",
        },
    )


def _equal(column_a: str, column_b: str) -> Rule:
    return Rule(
        "expect_column_pair_values_to_be_equal",
        {"column_A": column_a, "column_B": column_b},
    )


def _matches(column: str, regex: str, severity: Severity = ERROR) -> Rule:
    return Rule(
        "expect_column_values_to_match_regex",
        {"column": column, "regex": regex},
        severity,
    )
