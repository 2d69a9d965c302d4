"""Builders of tiny warehouses for the validation suites: raw tables and marts.

Mart tables are created from the dbt contracts (``models/**/_*__models.yml``: every
column with its ``data_type``), raw tables from the load step's own DDL
(`opsmart.ingest._sql.table_columns`: contract columns typed by the contract, plus the
load metadata), so the suites are tested against the real schemas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from opsmart.contract import SOURCES
from opsmart.ingest._sql import table_columns
from shared_helpers import contract_columns

#: The window of the mart fixtures: one Monday.
DAY = date(2026, 3, 2)
#: The run date of the input fixtures (a Monday) and its trailing Mondays.
RUN_DATE = date(2026, 3, 30)
TRAILING_MONDAYS = [RUN_DATE - timedelta(days=7 * week) for week in range(1, 5)]
CONTACTS_PER_DAY = 10


def create_marts(connection: duckdb.DuckDBPyConnection) -> None:
    """Every public mart and report, empty, with its contracted columns and types."""
    connection.execute("create schema if not exists marts")
    connection.execute("create schema if not exists reports")
    for table, columns in contract_columns().items():
        ddl = ", ".join(f'"{name}" {data_type}' for name, data_type in columns)
        connection.execute(f"create table {table} ({ddl})")


def create_raw(connection: duckdb.DuckDBPyConnection) -> None:
    """Every raw table as the load step creates it: typed contract columns + metadata.

    The rows' texts (`raw_contact`, ...) are cast to the columns' types on insert,
    as DuckDB casts a string parameter to its column's type.
    """
    connection.execute("create schema if not exists raw")
    for source in SOURCES:
        table = f"raw.{source}"
        ddl = ", ".join(f'"{name}" {kind}' for name, kind in table_columns()[table])
        connection.execute(f"create table {table} ({ddl})")


def insert(
    connection: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert dict rows; columns a row leaves out are null."""
    if not rows:
        return
    columns = list(dict.fromkeys(name for row in rows for name in row))
    names = ", ".join(f'"{name}"' for name in columns)
    marks = ", ".join("?" for _ in columns)
    connection.executemany(
        f"insert into {table} ({names}) values ({marks})",
        [[row.get(name) for name in columns] for row in rows],
    )


# --- marts: one voice queue, one interval, three contacts ---------------------
#
# Interval q1 10:00 on DAY: c1 and c2 answered (handle 300 s and 200 s), c3 abandoned.
# Payroll of the day 10.00 over 500 handle seconds = 0.02 per second: c1 costs 6, c2
# costs 4, all of it allocated.
# Service level (offered) = 1 answered within 20 s / (2 answered + 1 abandoned) = 1/3.


def mart_contact(
    contact_id: str, arrived: datetime, **overrides: Any
) -> dict[str, Any]:
    interval = arrived.replace(minute=0 if arrived.minute < 30 else 30, second=0)
    row: dict[str, Any] = {
        "contact_id": contact_id,
        "customer_id": "cu1",
        "queue_id": "q1",
        "agent_id": "a1",
        "channel": "voice",
        "outcome": "handled",
        "wait_seconds": 10.0,
        "handle_time_seconds": 300.0,
        "sl_threshold_seconds": 20,
        "cost_amount": 6.0,
        "is_offered": True,
        "is_answered": True,
        "is_abandoned": False,
        "is_answered_within_threshold": True,
        "arrived_date": arrived.date(),
        "interval_date": interval.date(),
        "interval_start_at": interval,
        "arrived_at": arrived,
    }
    row.update(overrides)
    return row


def build_good_marts(connection: duckdb.DuckDBPyConnection) -> None:
    create_marts(connection)
    ten = datetime(DAY.year, DAY.month, DAY.day, 10, 0)
    insert(
        connection,
        "marts.fct_contacts",
        [
            mart_contact("c1", ten + timedelta(minutes=1)),
            mart_contact(
                "c2",
                ten + timedelta(minutes=2),
                wait_seconds=30.0,
                handle_time_seconds=200.0,
                cost_amount=4.0,
                is_answered_within_threshold=False,
            ),
            mart_contact(
                "c3",
                ten + timedelta(minutes=3),
                outcome="abandoned",
                wait_seconds=40.0,
                handle_time_seconds=None,
                cost_amount=None,
                is_answered=False,
                is_abandoned=True,
                is_answered_within_threshold=False,
            ),
        ],
    )
    kpis = {
        "service_level_rate": 1 / 3,
        "abandonment_rate": 1 / 3,
        "asa_seconds": 20.0,
        "aht_seconds": 250.0,
        "occupancy_rate": 0.5,
        "utilization_rate": 0.4,
        "shrinkage_rate": 0.1,
        "transfer_rate": 0.0,
        "fcr_rate": 1.0,
        "erlang_a_service_level_rate": 0.5,
        "contacts_offered": 3,
        "contacts_answered": 2,
        "contacts_abandoned": 1,
        "contacts_flowed_out": 0,
        "contacts_contained": 0,
        "staff_cost_amount": 10.0,
        "allocated_staff_cost_amount": 10.0,
    }
    insert(
        connection,
        "marts.fct_queue_intervals",
        [
            {
                **kpis,
                "queue_id": "q1",
                "channel": "voice",
                "interval_minutes": 30,
                "interval_start_at": ten,
                "interval_date": DAY,
                "cost_per_handle_second_amount": 0.02,
                "erlang_c_service_level_rate": 0.5,
                "erlang_c_occupancy_rate": 0.5,
                "erlang_a_abandonment_rate": 0.1,
                "erlang_a_occupancy_rate": 0.5,
            }
        ],
    )
    insert(
        connection,
        "marts.fct_queue_days",
        [
            {
                **kpis,
                "queue_id": "q1",
                "channel": "voice",
                "unallocated_staff_cost_amount": 0.0,
                "interval_date": DAY,
            }
        ],
    )
    insert(
        connection,
        "marts.fct_agent_intervals",
        [
            {
                "agent_id": "a1",
                "queue_id": "q1",
                "team_id": "t1",
                "staffed_seconds": 1800.0,
                "available_seconds": 900.0,
                "handling_seconds": 500.0,
                "aux_seconds": 400.0,
                "occupancy_rate": 500 / 1400,
                "utilization_rate": 500 / 1800,
                "shrinkage_rate": 400 / 1800,
                "staff_cost_amount": 10.0,
                "interval_start_at": ten,
                "interval_date": DAY,
            }
        ],
    )
    insert(
        connection,
        "marts.fct_survey_responses",
        [
            {
                "response_id": "r1",
                "contact_id": "c1",
                "survey_type": "csat",
                "score": 5.0,
                "scale_min": 1.0,
                "scale_max": 5.0,
                "score_rate": 1.0,
                "is_top2box": True,
                "responded_date": DAY,
            }
        ],
    )
    insert(
        connection,
        "marts.fct_customer_months",
        [
            {
                "customer_id": "cu1",
                "month_start_date": date(DAY.year, DAY.month, 1),
                "csat_rate": 1.0,
                "avg_wait_seconds": 20.0,
                "cost_to_serve_amount": 10.0,
            }
        ],
    )
    insert(
        connection,
        "marts.dim_queues",
        [{"queue_id": "q1", "sl_target_rate": 0.8, "abandonment_target_rate": 0.05}],
    )
    insert(connection, "marts.dim_agents", [{"agent_id": "a1"}])
    insert(
        connection,
        "marts.dim_customers",
        [{"customer_id": "cu1", "monthly_revenue_amount": 50.0}],
    )


# --- raw inputs: load L0 = four trailing Mondays, load L1 = the run date ------


def raw_contact(contact_id: str, day: date, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "contact_id": contact_id,
        "customer_id": "cu1",
        "queue_id": "q1",
        "channel": "voice",
        "contact_reason": "billing_question",
        "arrived_at": f"{day}T10:00:00+09:00",
        "answered_at": f"{day}T10:00:20+09:00",
        "ended_at": f"{day}T10:05:20+09:00",
        "outcome": "handled",
        "agent_id": "a1",
        "ivr_seconds": "0",
        "wait_seconds": "20",
        "talk_seconds": "280",
        "hold_seconds": "20",
        "acw_seconds": "30",
        "is_transferred": "false",
        "is_resolved": "true",
    }
    row.update(overrides)
    return row


def raw_agent_interval(day: date, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "agent_id": "a1",
        "team_id": "t1",
        "queue_id": "q1",
        "interval_start": f"{day}T10:00:00Z",
        "interval_minutes": "30",
        "staffed_seconds": "1800",
        "available_seconds": "900",
        "handling_seconds": "600",
        "aux_seconds": "300",
    }
    row.update(overrides)
    return row


def raw_survey(response_id: str, day: date, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "response_id": response_id,
        "survey_type": "csat",
        "contact_id": f"{day}-0",
        "customer_id": "cu1",
        "responded_at": f"{day}T11:00:00Z",
        "score": "5",
        "scale_min": "1",
        "scale_max": "5",
        "comment": None,
    }
    row.update(overrides)
    return row


def load(
    connection: duckdb.DuckDBPyConnection,
    source: str,
    rows: Sequence[Mapping[str, Any]],
    load_id: str,
) -> None:
    """Insert `rows` into ``raw.<source>`` as load `load_id`."""
    insert(
        connection,
        f"raw.{source}",
        [
            {
                **row,
                "_source_file": f"{source}_{load_id}.csv",
                "_source_row": number,
                "_load_id": load_id,
            }
            for number, row in enumerate(rows, start=1)
        ],
    )


def run_date_rows(contacts: int = CONTACTS_PER_DAY) -> dict[str, list[dict[str, Any]]]:
    """The good rows of load L1 (the run date), by source."""
    return {
        "contacts": [raw_contact(f"{RUN_DATE}-{i}", RUN_DATE) for i in range(contacts)],
        "agent_intervals": [raw_agent_interval(RUN_DATE)],
        "survey_responses": [raw_survey("r1", RUN_DATE)],
        "customers": [
            {
                "customer_id": "cu1",
                "segment": "consumer",
                "region": "north",
                "signed_up_at": "2020-01-01T00:00:00Z",
                "churned_at": None,
                "monthly_revenue": "49.90",
            }
        ],
        "costs": [
            {
                "team_id": "t1",
                "effective_from": "2026-03-01",
                "loaded_cost_per_agent_hour": "35",
                "currency": "USD",
            }
        ],
    }


def build_inputs(
    connection: duckdb.DuckDBPyConnection,
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
) -> None:
    """Raw tables: history (load L0, CONTACTS_PER_DAY each trailing Monday) + `rows`."""
    create_raw(connection)
    history = [
        raw_contact(f"{day}-{i}", day)
        for day in TRAILING_MONDAYS
        for i in range(CONTACTS_PER_DAY)
    ]
    load(connection, "contacts", history, "L0")
    load(
        connection,
        "agent_intervals",
        [raw_agent_interval(d) for d in TRAILING_MONDAYS],
        "L0",
    )
    for source, source_rows in rows.items():
        load(connection, source, source_rows, "L1")
