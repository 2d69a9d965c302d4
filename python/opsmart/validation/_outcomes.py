"""Each rule's or suite's `CheckResult`, with the short texts GX's output becomes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from opsmart.validation.results import CheckResult
from opsmart.validation.suites import Rule, Suite

__all__ = [
    "gx_failed_result",
    "missing_tables_result",
    "no_baseline_result",
    "no_rows_result",
    "parameter_names",
    "plain",
    "query_failed_result",
    "rule_result",
]

_PARAMETER = "$PARAMETER"
_MAX_OBSERVED = 200
_MAX_DETAILS = 300


# --- a suite that cannot run, a rule without a baseline -----------------------


def missing_tables_result(suite: Suite, missing: Sequence[str]) -> CheckResult:
    """The suite's result when tables it reads are missing: a pass if optional."""
    note = " (optional source)" if suite.optional else ""
    return _suite_result(
        suite,
        "table_exists",
        success=suite.optional,
        observed=f"missing: {', '.join(missing)}{note}",
        details="rules not run",
    )


def query_failed_result(suite: Suite, error: duckdb.Error) -> CheckResult:
    """The suite's failure when its frame or baseline query fails (first line only)."""
    message = str(error).strip().splitlines()[0]
    return _suite_result(
        suite,
        "query",
        success=False,
        observed=f"query failed: {message}",
        details=f"reads {', '.join(suite.tables)}",
    )


def no_rows_result(suite: Suite) -> CheckResult:
    """The suite's passing note when it has no rows to check and may skip them."""
    return _suite_result(
        suite,
        "skipped",
        success=True,
        observed="no rows",
        details=f"no rows to check in {', '.join(suite.tables)}",
    )


def gx_failed_result(
    suite: Suite, error: Exception, *, unevaluated: int
) -> CheckResult:
    """The suite's failure when GX itself raises on its frame."""
    return _suite_result(
        suite,
        "validate",
        success=False,
        observed=f"GX failed: {error!r}",
        details=f"{unevaluated} rule(s) not evaluated",
    )


def no_baseline_result(suite: Suite, rule: Rule) -> CheckResult:
    """A rule's pass when its baseline parameters are null: nothing to compare with."""
    return _result(
        suite,
        rule,
        success=True,
        observed="no baseline (no trailing rows)",
        details=_details(rule.kwargs),
    )


# --- a rule GX evaluated ------------------------------------------------------


def rule_result(
    suite: Suite,
    rule: Rule,
    gx_result: Any,
    *,
    context: Mapping[str, Any],
    sample_note: str,
) -> CheckResult:
    """One rule's result from GX, its details with the baseline context and sample."""
    details = _details(dict(gx_result.expectation_config.kwargs))
    if parameter_names(rule) and context:
        details += "; " + _details(context)
    if sample_note:
        details = f"{sample_note}; {details}"
    return _result(
        suite,
        rule,
        success=bool(gx_result.success),
        observed=_observed(rule, gx_result),
        details=details,
    )


def _suite_result(
    suite: Suite, expectation: str, *, success: bool, observed: str, details: str
) -> CheckResult:
    """A result for the whole suite when its rules could not run.

    Failures (a required table missing, a failing query, GX failing) are errors;
    passes (an optional source missing, no rows) carry ``warn``, as notes.
    """
    return CheckResult(
        suite=suite.name,
        expectation=expectation,
        column=None,
        severity="error" if not success else "warn",
        success=success,
        observed=_clip(observed, _MAX_OBSERVED),
        details=_clip(details, _MAX_DETAILS),
    )


def _result(
    suite: Suite, rule: Rule, *, success: bool, observed: str, details: str
) -> CheckResult:
    return CheckResult(
        suite=suite.name,
        expectation=rule.expectation,
        column=_column(rule),
        severity=rule.severity,
        success=success,
        observed=_clip(observed, _MAX_OBSERVED),
        details=_clip(details, _MAX_DETAILS),
    )


# --- formatting ---------------------------------------------------------------


def _observed(rule: Rule, result: Any) -> str:
    message = _exception_message(result.exception_info)
    if message:
        return f"not evaluated: {message}"
    values: Mapping[str, Any] = result.result or {}
    if "unexpected_count" in values and values.get("element_count") is not None:
        unexpected = values["unexpected_count"] or 0
        text = f"{unexpected} of {values['element_count']} unexpected"
        sample = list(
            dict.fromkeys(
                _short(v) for v in values.get("partial_unexpected_list") or []
            )
        )
        if unexpected and sample:
            text += ", e.g. " + ", ".join(sample[:3])
        return text
    if "observed_value" in values:
        value = values["observed_value"]
        if rule.expectation == "expect_table_columns_to_match_set":
            mismatched = (values.get("details") or {}).get("mismatched") or {}
            missing = mismatched.get("missing") or []
            if missing:
                return "missing columns: " + ", ".join(map(str, missing))
            return f"{len(value)} columns"
        if rule.expectation == "expect_table_row_count_to_be_between":
            return f"{value} rows"
        return _short(value)
    return "-"


def _exception_message(info: Any) -> str | None:
    """GX puts an exception either at the top of exception_info or under a metric id."""
    if not isinstance(info, Mapping):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "exception")
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message") or "exception")
    return None


def _details(kwargs: Mapping[str, Any]) -> str:
    parts = []
    for key, value in kwargs.items():
        if key in ("batch_id", "meta") or value is None:
            continue
        if isinstance(value, Mapping) and _PARAMETER in value:
            parts.append(f"{key}=${value[_PARAMETER]}")
        elif isinstance(value, (list, tuple)):
            items = [_short(item) for item in value]
            shown = ", ".join(items[:8]) + (
                f", +{len(items) - 8}" if len(items) > 8 else ""
            )
            parts.append(f"{key}=[{shown}]")
        else:
            parts.append(f"{key}={_short(value)}")
    return ", ".join(parts)


def _short(value: Any) -> str:
    value = plain(value)
    if isinstance(value, float):
        return "null" if math.isnan(value) else format(value, ".6g")
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_short(item) for item in value) + ")"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return _clip(str(value), 60)


def plain(value: Any) -> Any:
    """numpy / Decimal scalars as Python numbers (GX and JSON want plain values)."""
    if isinstance(value, Decimal):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _column(rule: Rule) -> str | None:
    kwargs = rule.kwargs
    if "column" in kwargs:
        return str(kwargs["column"])
    if "column_A" in kwargs:
        return f"{kwargs['column_A']}, {kwargs['column_B']}"
    if "column_list" in kwargs:
        return ", ".join(map(str, kwargs["column_list"]))
    return None


def parameter_names(rule: Rule) -> list[str]:
    """The names of the baseline values the rule takes as parameters."""
    return [
        str(value[_PARAMETER])
        for value in rule.kwargs.values()
        if isinstance(value, Mapping) and _PARAMETER in value
    ]
