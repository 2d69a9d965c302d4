"""A tiny hand-made warehouse for the report tests, with nulls for missing sources.

Its tables are created from the dbt contracts (the `columns:` and `data_type:` of
models/reports/_*__models.yml and models/marts/*/_*__models.yml), so a report
query that names a column the contract does not have fails here, not in production.
Only a few rows are inserted; the audit tables are left out, as in a warehouse built
before the nightly run existed. A test edits its own copy (`execute`, `insert`) and
reads a section of it back (`render_section`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from opsmart.report.render import build_context
from opsmart.report.sections import ReportContext
from shared_helpers import contract_columns

RUN_DATE = date(2026, 3, 2)


def insert(
    connection: duckdb.DuckDBPyConnection, table: str, rows: Iterable[Mapping[str, Any]]
) -> None:
    """Insert `rows` (dicts of some of the table's columns; the rest stay null)."""
    for row in rows:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        connection.execute(
            f"insert into {table} ({names}) values ({marks})", list(row.values())
        )


def execute(warehouse: Path, statement: str) -> None:
    """Run one SQL `statement` (an edit of a test's copy) on the `warehouse` file."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(statement)


def render_section(warehouse: Path, section: Callable[[ReportContext], str]) -> str:
    """`section` of the `warehouse` file, opened read-only as the report opens it."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return section(build_context(connection))


def create_contract_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Every contracted table, empty, plus utilities.util_kpi_definitions."""
    for schema in ("marts", "reports", "utilities"):
        connection.execute(f"create schema if not exists {schema}")
    for table, columns in contract_columns().items():
        ddl = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"create table {table} ({ddl})")
    connection.execute(
        "create table utilities.util_kpi_definitions "
        "(var_name varchar, var_value varchar)"
    )


def fill_tiny_center(connection: duckdb.DuckDBPyConnection) -> None:
    """A few rows per table: one voice queue, surveys, customers and costs missing."""
    day = RUN_DATE
    insert(
        connection,
        "marts.fct_contacts",
        [
            {"contact_id": "c1", "arrived_date": date(2026, 3, 1)},
            {"contact_id": "c2", "arrived_date": day},
        ],
    )
    insert(
        connection,
        "utilities.util_kpi_definitions",
        [
            {"var_name": "currency", "var_value": "EUR"},
            {"var_name": "sl_method", "var_value": "offered"},
        ],
    )
    # The scorecard's and the cost report's periods are taken as whole here; the
    # tests of partial periods add their own rows.
    whole_week = {"is_period_complete": True, "days_covered": 7}
    whole_month = {"is_period_complete": True, "days_covered": 31}
    okr = {"objective": "Customers love the service", "owner_department": "marketing"}
    insert(
        connection,
        "reports.rpt_okr_scorecard",
        [
            # no surveys: CSAT has no actual in any week
            {
                **okr,
                "key_result_id": "kr_csat",
                "kpi": "csat_rate",
                "target": 0.8,
                "period_grain": "week",
                "status": "no_data",
                "period_start_date": date(2026, 2, 23),
                **whole_week,
            },
            {
                **okr,
                "key_result_id": "kr_csat",
                "kpi": "csat_rate",
                "target": 0.8,
                "period_grain": "week",
                "status": "no_data",
                "period_start_date": day,
                **whole_week,
            },
            {
                **okr,
                "key_result_id": "kr_nps",
                "kpi": "nps",
                "significance_test": "nps_pooled_z",
                "target": 45.0,
                "period_grain": "month",
                "actual": 30.0,
                "actual_ci_lower": 14.5,
                "actual_ci_upper": 44.0,
                "sample_count": 40,
                "nps_standard_error": 10.0,
                "status": "at_risk",
                "period_start_date": date(2026, 3, 1),
                **whole_month,
            },
            {
                "key_result_id": "kr_aht",
                "kpi": "aht_seconds",
                "objective": "Resolve",
                "significance_test": "welch_t",
                "target": 295.0,
                "actual": 280.0,
                "actual_ci_lower": 271.0,
                "actual_ci_upper": 289.0,
                "sample_count": 500,
                "previous_actual": 300.0,
                "change_from_previous": -20.0,
                "change_statistic": -3.1,
                "is_improving": True,
                "is_change_significant": True,
                "status": "on_track",
                "period_grain": "month",
                "period_start_date": date(2026, 3, 1),
                **whole_month,
            },
            # a ratio of times: no interval, its change not tested
            {
                "key_result_id": "kr_occupancy",
                "kpi": "occupancy_rate",
                "objective": "Resolve",
                "significance_test": "not_tested",
                "target": 0.6,
                "actual": 0.45,
                "previous_actual": 0.4,
                "change_from_previous": 0.05,
                "is_improving": True,
                "status": "off_track",
                "period_grain": "month",
                "period_start_date": date(2026, 3, 1),
                **whole_month,
            },
            # one contact with a known FCR: a wide interval, no status
            {
                "key_result_id": "kr_fcr",
                "kpi": "fcr_rate",
                "objective": "Resolve",
                "significance_test": "two_proportion_z",
                "target": 0.75,
                "actual": 1.0,
                "actual_ci_lower": 0.0546,
                "actual_ci_upper": 1.0,
                "sample_count": 1,
                "previous_actual": 0.5,
                "change_from_previous": 0.5,
                "is_improving": True,
                "status": "insufficient_data",
                "period_grain": "month",
                "period_start_date": date(2026, 3, 1),
                **whole_month,
            },
        ],
    )
    interval = {
        "queue_id": "q1",
        "channel": "voice",
        "interval_date": day,
        "sl_target_rate": 0.8,
        "sl_threshold_seconds": 20,
    }
    insert(
        connection,
        "marts.fct_queue_intervals",
        [
            {
                **interval,
                "interval_start_at": datetime(2026, 3, 2, 10, 0),
                "contacts_offered": 9,
                "service_level_rate": 0.375,
                "erlang_a_service_level_rate": 0.73,
                "abandonment_rate": 0.3333,
                "erlang_a_abandonment_rate": 0.1,
                "asa_seconds": 19.2,
                "erlang_a_asa_seconds": 12.0,
                # no agent intervals: only the baselines assume the 2 handlers
                "staffed_agents": None,
                "baseline_staffed_agents": 2.0,
                "required_agents_erlang_a": 3,
                "staffing_gap_agents": -1,
                "is_staffing_estimated": True,
            },
            # nothing answered: every rate is null, staffing unknown
            {
                **interval,
                "interval_start_at": datetime(2026, 3, 2, 10, 30),
                "contacts_offered": 1,
                "is_staffing_estimated": True,
                "baseline_null_reason": "no_staffing",
            },
        ],
    )
    insert(
        connection,
        "marts.fct_queue_days",
        [
            {
                "queue_id": "q1",
                "channel": "voice",
                "interval_date": day,
                "contacts_offered": 10,
                "service_level_rate": 0.4444,
                "erlang_a_service_level_rate": None,
                "abandonment_rate": 0.3,
                "asa_seconds": 18.0,
                "staffed_agent_hours": None,
                "required_agent_hours_erlang_a": 2.0,
            },
        ],
    )
    insert(
        connection,
        "reports.rpt_cost_vs_satisfaction",
        [
            {
                "dimension_type": "queue",
                "dimension_value": "q1",
                "period_grain": "month",
                "period_start_date": date(2026, 3, 1),
                "contacts_handled": 6,
                "csat_responses": 0,
                **whole_month,
            },
            {
                "dimension_type": "segment",
                "dimension_value": "unknown",
                "period_grain": "month",
                "period_start_date": date(2026, 3, 1),
                "contacts_handled": 6,
                "csat_responses": 0,
                **whole_month,
            },
        ],
    )
    insert(
        connection,
        "reports.rpt_wait_experience_curve",
        [
            {
                "wait_band_index": 0,
                "wait_band": "0-20s",
                "is_resolved": True,
                "contacts": 5,
                "csat_responses": 0,
                "churn_contacts": 0,
            },
            {
                "wait_band_index": 0,
                "wait_band": "0-20s",
                "is_resolved": False,
                "contacts": 4,
                "csat_responses": 0,
                "churn_contacts": 0,
            },
        ],
    )
    insert(
        connection,
        "reports.rpt_staffing_daily",
        [
            {
                "queue_id": "q1",
                "channel": "voice",
                "interval_date": day,
                "intervals": 2,
                "intervals_priced": 0,
                "contacts_offered": 10,
                "actual_agent_hours": 1.5,
                "required_agent_hours_erlang_a": 2.0,
            },
        ],
    )
    insert(
        connection,
        "reports.rpt_demand_matrix",
        [
            {
                "contact_reason": "plan_change",
                "contacts": 4,
                "days_forecast": 0,
                "resolution_complexity_index": 0.77,
                "is_complex": True,
                "period_start_date": day,
                "period_end_date": day,
            },
            {
                "contact_reason": "new_order",
                "contacts": 7,
                "days_forecast": 30,
                "forecast_error_rate": 0.1,
                "resolution_complexity_index": 0.15,
                "operating_model": "digital_self_service",
                "period_start_date": day,
                "period_end_date": day,
            },
        ],
    )
