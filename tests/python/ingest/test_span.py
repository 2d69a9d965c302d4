"""Timestamps far outside the data's span are set aside after the load, and counted."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from ingest_helpers import QUEUES, Ingest, assert_reconciled, csv_text, row, write

from opsmart.ingest import LoadSettings, ingest
from shared_helpers import run_captured

#: The wall clock of these tests: the data lies in March 2026.
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _contacts(days: int = 4, per_day: int = 50) -> list[dict[str, str]]:
    """Good contacts from 2026-03-02, `per_day` a day (ids c<day>_<n>)."""
    rows = []
    for day in range(days):
        for n in range(per_day):
            stamp = f"2026-03-{2 + day:02d}T10:{n:02d}:00Z"
            rows.append(
                row(
                    "contacts",
                    contact_id=f"c{day}_{n}",
                    arrived_at=stamp,
                    answered_at=stamp,
                    ended_at=stamp,
                    talk_seconds="0",
                )
            )
    return rows


def _contact(contact_id: str, stamp: str) -> dict[str, str]:
    return row(
        "contacts",
        contact_id=contact_id,
        arrived_at=stamp,
        answered_at=stamp,
        ended_at=stamp,
        talk_seconds="0",
    )


def test_rows_far_outside_the_data_are_set_aside(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts = [
        *_contacts(),
        _contact("far_future", "2999-01-01T10:00:00Z"),
        _contact("placeholder", "1900-01-01T10:00:00Z"),
        _contact("two_years_early", "2024-01-01T10:00:00Z"),
        _contact("months_early", "2025-06-01T10:00:00Z"),  # within 366 days
    ]
    write(landing / "contacts" / "a.csv", csv_text(contacts))
    write(
        landing / "survey_responses" / "a.csv",
        csv_text(
            [
                row("survey_responses"),
                row("survey_responses", response_id="r2", responded_at="2999-01-01"),
            ]
        ),
    )
    write(
        landing / "customers" / "a.csv",
        csv_text(
            [
                row("customers", signed_up_at="1998-04-01T00:00:00Z"),  # long ago: ok
                row("customers", customer_id="cu2", signed_up_at="1900-01-01"),
                row("customers", customer_id="cu3", churned_at="2999-01-01"),
            ]
        ),
    )
    write(
        landing / "costs" / "a.csv",
        csv_text(
            [
                row("costs"),
                row("costs", effective_from="2027-01-01"),  # an agreed raise: ok
                row("costs", effective_from="2031-01-01"),
            ]
        ),
    )

    loaded = run_ingest(settings=LoadSettings(now=NOW))

    assert loaded.quarantine() == [
        ("a.csv", 202, "timestamp_out_of_span", "arrived_at"),  # contacts
        ("a.csv", 203, "timestamp_out_of_span", "arrived_at"),
        ("a.csv", 204, "timestamp_out_of_span", "arrived_at"),
        ("a.csv", 4, "timestamp_out_of_span", "effective_from"),  # costs
        ("a.csv", 3, "timestamp_out_of_span", "signed_up_at"),  # customers
        ("a.csv", 4, "timestamp_out_of_span", "churned_at"),
        ("a.csv", 3, "timestamp_out_of_span", "responded_at"),  # survey_responses
    ]
    kept = {contact_id for (contact_id,) in loaded.raw("contacts", "contact_id")}
    assert "months_early" in kept
    assert not {"far_future", "placeholder", "two_years_early"} & kept
    # the report and raw.loaded_files count the moved rows (run_ingest reconciles)
    (contacts_load,) = [f for f in loaded.report.files if f.source == "contacts"]
    assert (contacts_load.rows_loaded, contacts_load.rows_quarantined) == (201, 3)
    assert contacts_load.quarantined == {"timestamp_out_of_span": 3}
    reason = loaded.reasons()[0]
    # from the 1st percentile of arrivals (2026-03-02T10:00) less 366 days, to the
    # clock (NOW) plus a day
    span = "2025-03-01T10:00Z .. 2026-06-02T00:00Z"
    assert reason == (
        f"arrived_at='2999-01-01T10:00:00Z': outside the plausible {span}; "
        f"answered_at='2999-01-01T10:00:00Z': outside the plausible {span}; "
        f"ended_at='2999-01-01T10:00:00Z': outside the plausible {span} "
        "(var timestamp_span_margin_days; docs/quarantine.md)"
    )
    assert loaded.report.plausible_span == span
    # Raw holds typed values: a moved row's record gives them as text again (UTC).
    records = loaded.connection.execute(
        "select record::json ->> 'responded_at', record::json ->> 'score' "
        "from audit.quarantine where source = 'survey_responses'"
    ).fetchall()
    assert records == [("2999-01-01T00:00:00Z", "4.0")]


def test_nothing_lies_after_the_clock(landing: Path, run_ingest: Ingest) -> None:
    write(landing / "contacts" / "a.csv", csv_text(_contacts(days=4)))
    loaded = run_ingest(settings=LoadSettings(now=datetime(2026, 3, 3, tzinfo=UTC)))
    late = {r[1] for r in loaded.quarantine()}
    # the clock plus a day is 2026-03-04T00:00: the 3rd and 4th day lie after it
    assert len(late) == 100
    assert min(late) == 2 + 100


def test_a_later_load_is_judged_by_the_history(tmp_path: Path) -> None:
    """A night's file with one stray row: the history, not the night, sets the span."""
    landing = tmp_path / "landing"
    write(landing / "contacts" / "history.csv", csv_text(_contacts()))
    with duckdb.connect() as connection:
        settings = LoadSettings(now=NOW)
        ingest(connection, landing, load_id="r1", queues=QUEUES, settings=settings)
        write(
            landing / "contacts" / "night.csv",
            csv_text(
                [_contact("n1", "2026-03-06T10:00:00Z"), _contact("n2", "2020-03-06")]
            ),
        )
        report = ingest(
            connection, landing, load_id="r2", queues=QUEUES, settings=settings
        )
        assert_reconciled(connection)
    assert report.quarantined == {"contacts": {"timestamp_out_of_span": 1}}


def test_the_host_time_zone_changes_nothing(tmp_path: Path) -> None:
    """The same files give the same raw rows and verdicts under TZ=UTC and Seoul."""
    landing = tmp_path / "landing"
    rows = [
        # no offset: UTC by the contract, whatever the machine's zone
        _contact("naive", "2026-03-02 10:00:00"),
        row("contacts", contact_id="early", answered_at="2026-03-02 09:59:59"),
        *_contacts(days=1, per_day=3),
    ]
    write(landing / "contacts" / "a.csv", csv_text(rows))
    script = (
        "import json, sys, duckdb; from datetime import datetime, UTC;"
        "from opsmart.ingest import LoadSettings, ingest, seed_queues;"
        f"c = duckdb.connect(); ingest(c, {str(landing)!r}, load_id='r1', "
        f"queues=seed_queues({str(Path(__file__).resolve().parents[3])!r}), "
        "settings=LoadSettings(now=datetime(2026, 6, 1, tzinfo=UTC)));"
        "print(json.dumps([c.execute('select contact_id from raw.contacts order by 1')"
        ".fetchall(), c.execute('select source_row, reason_code from audit.quarantine"
        " order by 1').fetchall()]))"
    )
    results = []
    for zone in ("UTC", "Asia/Seoul", "America/New_York"):
        env = {**os.environ, "TZ": zone}
        done = run_captured([sys.executable, "-c", script], env=env)
        assert done.returncode == 0, done.stderr
        results.append(json.loads(done.stdout))
    assert results[0] == results[1] == results[2]
    assert results[0][1] == [[3, "answered_before_arrived"]]
