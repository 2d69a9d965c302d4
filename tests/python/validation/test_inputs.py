"""validate_inputs on tiny raw tables: a good load passes, each kind of break fails."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest
from validation_helpers import (
    CONTACTS_PER_DAY,
    RUN_DATE,
    build_inputs,
    raw_contact,
    run_date_rows,
)

from opsmart.validation import ValidationReport, validate_inputs


def _validate(connection: duckdb.DuckDBPyConnection) -> ValidationReport:
    return validate_inputs(connection, load_id="L1", run_date=RUN_DATE)


def _summary(report: ValidationReport) -> str:
    return "\n".join(report.summary_lines())


def test_good_load_passes_every_suite(raw: duckdb.DuckDBPyConnection) -> None:
    report = _validate(raw)

    assert report.failures() == [], _summary(report)
    volume = {r.suite: r for r in report.results if r.suite.startswith("volume.")}
    # 10 contacts on the run date, 10 on each of the 4 trailing Mondays: band 5 .. 15
    assert volume["volume.contacts"].observed == "10 rows"
    assert volume["volume.contacts"].details == (
        "min_value=5, max_value=15; trailing_mean_rows=10, trailing_days=4"
    )
    # no survey history yet: nothing to compare with
    assert (
        volume["volume.survey_responses"].observed == "no baseline (no trailing rows)"
    )


@pytest.mark.parametrize("contacts", [CONTACTS_PER_DAY // 10, 0])
def test_low_run_date_volume_warns(contacts: int) -> None:
    """A tenth of the trailing same-weekday mean (10), and no contacts at all."""
    with duckdb.connect() as connection:
        build_inputs(connection, run_date_rows(contacts=contacts))
        report = _validate(connection)

    [failure] = report.failures()
    assert (failure.suite, failure.expectation, failure.severity) == (
        "volume.contacts",
        "expect_table_row_count_to_be_between",
        "warn",
    )
    assert failure.observed == f"{contacts} rows"


BAD_ROWS: list[tuple[str, str, dict[str, Any], str, str | None]] = [
    # (source, what, overrides of the first row, expectation, column)
    (
        "contacts",
        "duplicate key",
        {"contact_id": f"{RUN_DATE}-1"},
        "expect_column_values_to_be_unique",
        "contact_id",
    ),
    (
        "contacts",
        "negative wait",
        {"wait_seconds": "-5"},
        "expect_column_values_to_be_between",
        "wait_seconds::double",
    ),
    (
        "contacts",
        "required value missing",
        {"queue_id": None},
        "expect_column_values_to_not_be_null",
        "queue_id",
    ),
    (
        "contacts",
        "unknown outcome",
        {"outcome": "lost"},
        "expect_column_values_to_match_regex",
        "outcome",
    ),
    (
        "contacts",
        "ended before it arrived",
        {"ended_at": f"{RUN_DATE}T09:00:00+09:00"},
        "expect_column_pair_values_a_to_be_greater_than_b",
        "ended_at::timestamp, arrived_at::timestamp",
    ),
    (
        "survey_responses",
        "score above the scale",
        {"score": "7"},
        "expect_column_pair_values_a_to_be_greater_than_b",
        "scale_max::double, score::double",
    ),
    (
        "agent_intervals",
        "staffed longer than the interval",
        {"staffed_seconds": "2000"},
        "expect_column_values_to_be_between",
        "staffed_minus_interval_seconds",
    ),
    (
        "costs",
        "currency not ISO 4217",
        {"currency": "US$"},
        "expect_column_values_to_match_regex",
        "currency",
    ),
]


@pytest.mark.parametrize(
    ("source", "overrides", "expectation", "column"),
    [(s, o, e, c) for s, _, o, e, c in BAD_ROWS],
    ids=[what for _, what, *_ in BAD_ROWS],
)
def test_bad_row_fails_as_error(
    source: str, overrides: dict[str, Any], expectation: str, column: str | None
) -> None:
    rows = run_date_rows()
    rows[source][0] = {**rows[source][0], **overrides}
    with duckdb.connect() as connection:
        build_inputs(connection, rows)
        report = _validate(connection)

    failures = [
        (r.suite, r.expectation, r.column, r.severity) for r in report.failures()
    ]
    assert (f"raw.{source}", expectation, column, "error") in failures, _summary(report)


def test_a_column_of_another_type_is_an_error(raw: duckdb.DuckDBPyConnection) -> None:
    """A raw table the load step did not make: a timestamp kept as its text, an
    amount as an integer. Staging would read them as they are."""
    raw.execute("alter table raw.contacts alter ended_at type varchar")
    raw.execute("alter table raw.contacts alter wait_seconds type bigint")

    report = _validate(raw)

    [failure] = [
        r for r in report.failures() if r.expectation.endswith("_to_be_in_set")
    ]
    assert (failure.suite, failure.column, failure.severity) == (
        "raw.contacts",
        "column_type",
        "error",
    )
    # 17 contract columns and 3 of load metadata, in the table's order
    assert failure.observed == (
        "2 of 20 unexpected, e.g. ended_at VARCHAR, wait_seconds BIGINT"
    )


def test_rows_dated_after_the_run_date_warn() -> None:
    at = "2026-04-02T10:00:00Z"  # three days after the run date
    later = raw_contact("late", RUN_DATE, arrived_at=at, answered_at=at, ended_at=at)
    rows = run_date_rows()
    rows["contacts"].append(later)
    with duckdb.connect() as connection:
        build_inputs(connection, rows)
        [failure] = _validate(connection).failures()

    assert (failure.column, failure.severity, failure.observed) == (
        "days_before_run_date",
        "warn",
        "1 of 11 unexpected, e.g. -3",
    )


def test_missing_optional_sources_and_empty_loads_are_skipped() -> None:
    rows = run_date_rows()
    del rows["survey_responses"]  # no survey rows in this load
    with duckdb.connect() as connection:
        build_inputs(connection, rows)
        connection.execute("drop table raw.customers")
        connection.execute("drop table raw.costs")
        report = _validate(connection)

    assert report.failures() == [], _summary(report)
    skipped = {
        r.suite: (r.expectation, r.severity, r.observed)
        for r in report.results
        if r.expectation in ("table_exists", "skipped")
    }
    assert skipped == {
        "raw.queues": ("skipped", "warn", "no rows"),  # the project's catalog is used
        "raw.survey_responses": ("skipped", "warn", "no rows"),
        "raw.customers": (
            "table_exists",
            "warn",
            "missing: raw.customers (optional source)",
        ),
        "raw.costs": ("table_exists", "warn", "missing: raw.costs (optional source)"),
    }


def test_missing_contacts_table_is_an_error_not_a_crash(
    raw: duckdb.DuckDBPyConnection,
) -> None:
    raw.execute("drop table raw.contacts")

    report = _validate(raw)

    assert [(r.suite, r.expectation) for r in report.failures("error")] == [
        ("raw.contacts", "table_exists"),
        ("volume.contacts", "table_exists"),
    ]


def test_missing_contract_column_is_reported(raw: duckdb.DuckDBPyConnection) -> None:
    raw.execute("alter table raw.contacts drop column wait_seconds")

    report = _validate(raw)
    failures = {(r.suite, r.expectation): r for r in report.failures("error")}

    schema = failures["raw.contacts", "expect_table_columns_to_match_set"]
    assert schema.observed == "missing columns: wait_seconds"
    assert failures["raw.contacts", "query"].observed.startswith("query failed:")


def test_arguments_are_checked(raw: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="`load_id` must be a non-empty string"):
        validate_inputs(raw, load_id="", run_date=RUN_DATE)
    with pytest.raises(TypeError, match=r"`run_date` must be a datetime\.date"):
        validate_inputs(raw, load_id="L1", run_date="2026-03-30")  # type: ignore[arg-type]
