"""validate_marts on a tiny warehouse: the good marts pass, each kind of break fails."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import pytest
from validation_helpers import DAY, insert, mart_contact

from opsmart.validation import CheckResult, ValidationReport, validate_marts


def _validate(connection: duckdb.DuckDBPyConnection) -> ValidationReport:
    return validate_marts(connection, window_start=DAY, window_end=DAY)


def _failed(
    report: ValidationReport, suite: str, expectation: str, column: str | None
) -> CheckResult:
    matches = [
        result
        for result in report.failures()
        if (result.suite, result.expectation, result.column)
        == (suite, expectation, column)
    ]
    assert matches, "\n".join(report.summary_lines())
    return matches[0]


def test_good_marts_pass_every_suite(marts: duckdb.DuckDBPyConnection) -> None:
    report = _validate(marts)

    assert report.failures() == [], "\n".join(report.summary_lines())
    suites = {result.suite for result in report.results}
    assert {"marts.fct_contacts", "reconciliation", "drift"} <= suites
    # reports are empty here: skipped, and saying so
    feedback = [r for r in report.results if r.suite == "reports.rpt_customer_feedback"]
    assert [(r.expectation, r.success, r.observed) for r in feedback] == [
        ("skipped", True, "no rows")
    ]
    # no trailing 28 days yet: drift has no baseline and passes
    drift = [r for r in report.results if r.suite == "drift"]
    assert len(drift) == 3
    assert all(r.success and r.observed.startswith("no baseline") for r in drift)


def test_duplicate_contact_id_fails_as_error(marts: duckdb.DuckDBPyConnection) -> None:
    insert(
        marts,
        "marts.fct_contacts",
        [mart_contact("c1", datetime(2026, 3, 2, 10, 4), cost_amount=0.0)],
    )

    failure = _failed(
        _validate(marts),
        "marts.fct_contacts",
        "expect_column_values_to_be_unique",
        "contact_id",
    )

    assert failure.severity == "error"
    assert failure.observed == "2 of 4 unexpected, e.g. c1"


def test_service_level_above_one_fails_as_error(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    marts.execute("update marts.fct_queue_intervals set service_level_rate = 1.2")

    failure = _failed(
        _validate(marts),
        "marts.fct_queue_intervals",
        "expect_column_values_to_be_between",
        "service_level_rate",
    )

    assert failure.severity == "error"
    assert failure.observed == "1 of 1 unexpected, e.g. 1.2"
    assert failure.details == "column=service_level_rate, min_value=0, max_value=1"


def test_aht_in_milliseconds_fails_the_band_as_warning(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    marts.execute("update marts.fct_queue_days set aht_seconds = aht_seconds * 1000")

    report = _validate(marts)
    failure = _failed(
        report,
        "marts.fct_queue_days",
        "expect_column_values_to_be_between",
        "aht_seconds",
    )

    assert failure.severity == "warn"
    assert failure.observed == "1 of 1 unexpected, e.g. 250000"
    assert report.failures("error") == []


def test_the_realtime_wait_band_follows_var_realtime_channels(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    """A 3-hour voice wait breaks the real-time band while voice is real-time (the
    project's var realtime_channels, voice and chat), and not once a build's var
    leaves voice out."""
    marts.execute("update marts.fct_contacts set wait_seconds = 3 * 3600.0")

    failure = _failed(
        _validate(marts),
        "marts.fct_contacts",
        "expect_column_values_to_be_between",
        "realtime_wait_seconds",
    )
    assert failure.severity == "warn"
    report = validate_marts(
        marts, window_start=DAY, window_end=DAY, realtime_channels=["chat"]
    )
    assert report.failures() == [], "\n".join(report.summary_lines())


def test_offered_contacts_must_reconcile(marts: duckdb.DuckDBPyConnection) -> None:
    # the interval says 4 offered and 3 answered; fct_contacts has 3 and 2
    marts.execute(
        "update marts.fct_queue_intervals "
        "set contacts_offered = 4, contacts_answered = 3"
    )

    report = _validate(marts)
    failure = _failed(
        report,
        "reconciliation",
        "expect_column_pair_values_to_be_equal",
        "fct_contacts_offered, fct_queue_intervals_offered",
    )

    assert failure.severity == "error"
    assert failure.observed == "1 of 1 unexpected, e.g. (3, 4)"
    # fct_queue_days still says 3: the interval and day marts disagree too
    _failed(
        report,
        "reconciliation",
        "expect_column_pair_values_to_be_equal",
        "fct_queue_days_offered, fct_queue_intervals_offered",
    )


def test_contact_costs_must_add_up_to_the_allocated_payroll(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    # 6 + 4 = 10 = the day's payroll, all allocated; make c2 cost 5: 11 allocated
    marts.execute(
        "update marts.fct_contacts set cost_amount = 5 where contact_id = 'c2'"
    )

    failure = _failed(
        _validate(marts),
        "reconciliation",
        "expect_column_pair_values_to_be_equal",
        "fct_contacts_cost_amount, fct_queue_days_allocated_staff_cost_amount",
    )

    assert failure.observed == "1 of 1 unexpected, e.g. (11, 10)"


def test_payroll_must_be_allocated_or_unallocated(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    # the day says 1.00 of its 10.00 payroll is unallocated, yet allocates 10.00
    marts.execute("update marts.fct_queue_days set unallocated_staff_cost_amount = 1")

    failure = _failed(
        _validate(marts),
        "reconciliation",
        "expect_column_pair_values_to_be_equal",
        "fct_queue_days_allocated_staff_cost_amount, "
        "fct_queue_days_payroll_less_unallocated_amount",
    )

    assert failure.observed == "1 of 1 unexpected, e.g. (10, 9)"


def _trailing_contacts(
    handle_time_seconds: float, within: bool
) -> list[dict[str, object]]:
    """Ten answered contacts a week before DAY (inside the trailing 28 days)."""
    start = datetime(2026, 2, 23, 9, 0)
    return [
        mart_contact(
            f"t{i}",
            start + timedelta(minutes=i),
            handle_time_seconds=handle_time_seconds,
            is_answered_within_threshold=within,
        )
        for i in range(10)
    ]


def test_drift_within_band_passes_with_observed_window_mean(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    # trailing AHT 260 s: window AHT (300 + 200) / 2 = 250 is within x0.8 .. x1.25;
    # trailing SL 4 of 10 = 0.4, window SL 1/3: within +-0.15
    rows = _trailing_contacts(260.0, within=False)
    for row in rows[:4]:
        row["is_answered_within_threshold"] = True
    insert(marts, "marts.fct_contacts", rows)

    report = _validate(marts)
    drift = {r.column: r for r in report.results if r.suite == "drift"}

    assert drift["handle_time_seconds"].success
    assert drift["handle_time_seconds"].observed == "250"
    assert drift["handle_time_seconds"].details.startswith(
        "column=handle_time_seconds, min_value=208, max_value=325"
    )
    assert drift["is_answered_within_threshold"].success
    assert report.failures() == []


def test_aht_drift_fails_as_warning(marts: duckdb.DuckDBPyConnection) -> None:
    # trailing AHT 125 s: the window's 250 s is twice that
    insert(marts, "marts.fct_contacts", _trailing_contacts(125.0, within=False))

    report = _validate(marts)
    failure = _failed(
        report, "drift", "expect_column_mean_to_be_between", "handle_time_seconds"
    )

    assert failure.severity == "warn"
    assert failure.observed == "250"
    assert "max_value=156.25" in failure.details
    assert report.failures("error") == []


def test_missing_marts_are_reported_not_raised(
    marts: duckdb.DuckDBPyConnection,
) -> None:
    marts.execute("drop table marts.fct_agent_intervals")
    marts.execute("drop table marts.fct_queue_days")

    report = _validate(marts)
    missing = [r for r in report.failures("error") if r.expectation == "table_exists"]

    assert [(r.suite, r.observed) for r in missing] == [
        ("marts.fct_queue_days", "missing: marts.fct_queue_days"),
        ("marts.fct_agent_intervals", "missing: marts.fct_agent_intervals"),
        ("reconciliation", "missing: marts.fct_queue_days"),
        ("reconciliation", "missing: marts.fct_agent_intervals"),
    ]
    # everything else still ran, and passed
    assert report.failures() == missing


def test_window_is_checked() -> None:
    with duckdb.connect() as connection:
        with pytest.raises(ValueError, match="`window_end` must be >= `window_start`"):
            validate_marts(
                connection, window_start=date(2026, 3, 2), window_end=date(2026, 3, 1)
            )
        with pytest.raises(TypeError, match=r"`window_start` must be a datetime\.date"):
            validate_marts(
                connection,
                window_start="2026-03-02",  # type: ignore[arg-type]
                window_end=date(2026, 3, 2),
            )
