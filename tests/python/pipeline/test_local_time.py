"""Local time: a center with a queue in New York and one in Kolkata (+05:30).

A hand-made landing: each queue is open all day and gets one chat at minute 10 of
every local half-hour, so a local day holds one contact per half-hour it has: 48 a
day, 46 on New York's spring-forward day (2026-03-08) and 50 on its fall-back day
(2026-11-01). One agent per queue is staffed in the last interval before and the
first after local midnight of 2026-03-08, when team_x's rate goes from 30.00 to 36.00
an hour. The queue catalog gives each queue its zone; var reporting_timezone stays
UTC, so every local result here comes from the queues' own zones.

Expectations are computed apart from the SQL, with Python's zoneinfo.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from opsmart.cli import main
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline

ZONES = {"q_ny": "America/New_York", "q_kol": "Asia/Kolkata"}
AGENTS = {"q_ny": "a_ny", "q_kol": "a_kol"}
#: The local days each queue has a contact in every half-hour of.
DAYS = {
    "q_ny": [
        date(2026, 3, 7),
        date(2026, 3, 8),  # spring forward: 23 hours
        date(2026, 3, 9),
        date(2026, 10, 31),
        date(2026, 11, 1),  # fall back: 25 hours
        date(2026, 11, 2),
    ],
    "q_kol": [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)],
}
RATE_CHANGE = date(2026, 3, 8)


def _midnight(day: date, zone: str) -> datetime:
    """The UTC instant of local midnight starting `day`."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _half_hours(day: date, zone: str) -> Iterator[datetime]:
    """UTC starts of the day's local half-hours (both zones' offsets are whole
    half-hours, so each UTC half-hour is a local one)."""
    moment, end = _midnight(day, zone), _midnight(day + timedelta(days=1), zone)
    while moment < end:
        yield moment
        moment += timedelta(minutes=30)


def _iso(moment: datetime, zone: str) -> str:
    """ISO-8601 with the offset in force, as an export writes it."""
    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _contact(contact_id: str, queue: str, arrived: datetime) -> dict[str, str]:
    zone = ZONES[queue]
    return {
        "contact_id": contact_id,
        "queue_id": queue,
        "channel": "chat",
        "arrived_at": _iso(arrived, zone),
        "answered_at": _iso(arrived + timedelta(seconds=30), zone),
        "ended_at": _iso(arrived + timedelta(minutes=3), zone),
        "outcome": "handled",
        "agent_id": AGENTS[queue],
    }


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _write_landing(root: Path) -> list[dict[str, str]]:
    contacts = [
        _contact(f"{queue}_{start:%Y%m%dT%H%M}", queue, start + timedelta(minutes=10))
        for queue, days in DAYS.items()
        for day in days
        for start in _half_hours(day, ZONES[queue])
    ]
    _write(root / "contacts" / "contacts.csv", contacts)
    _write(
        root / "queues" / "queues.csv",
        [
            {"queue_id": q, "channel": "chat", "team_id": "team_x", "timezone": zone}
            for q, zone in ZONES.items()
        ],
    )
    _write(
        root / "agent_intervals" / "agent_intervals.csv",
        [
            {
                "agent_id": AGENTS[queue],
                "team_id": "team_x",
                "queue_id": queue,
                "interval_start": _iso(start, zone),
                "interval_minutes": "30",
                "staffed_seconds": "1800",
                "available_seconds": "1620",
                "handling_seconds": "180",
                "aux_seconds": "0",
            }
            for queue, zone in ZONES.items()
            for start in (
                _midnight(RATE_CHANGE, zone) - timedelta(minutes=30),
                _midnight(RATE_CHANGE, zone),
            )
        ],
    )
    _write(
        root / "costs" / "costs.csv",
        [
            {
                "team_id": "team_x",
                "effective_from": effective,
                "loaded_cost_per_agent_hour": rate,
                "currency": "USD",
            }
            for effective, rate in (("2026-01-01", "30"), (str(RATE_CHANGE), "36"))
        ],
    )
    return contacts


@dataclass(frozen=True)
class Center:
    landing: Path
    warehouse: Path
    contacts: list[dict[str, str]]

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse) -> Center:
    root = tmp_path_factory.mktemp("local_time")
    contacts = _write_landing(root / "landing")
    warehouse = seed_parse(root / "published") / "opsmart.duckdb"
    argv = ["--landing", str(root / "landing"), "--warehouse", str(warehouse)]
    assert main(["build", *argv]) == 0
    return Center(root / "landing", warehouse, contacts)


def test_every_queue_day_counts_the_contacts_of_its_local_date(center: Center) -> None:
    expected = Counter(
        (row["queue_id"], datetime.fromisoformat(row["arrived_at"]).date())
        for row in center.contacts
    )
    got = {
        (queue, day): offered
        for queue, day, offered in center.query(
            "select queue_id, interval_date, contacts_offered from marts.fct_queue_days"
        )
    }
    assert got == dict(expected)
    # every half-hour of the day, DST days included
    assert got[("q_ny", date(2026, 3, 8))] == 46
    assert got[("q_ny", date(2026, 11, 1))] == 50
    assert got[("q_kol", date(2026, 3, 8))] == 48
    # and each contact's own local date
    dates = dict(
        center.query("select contact_id, arrived_date from marts.fct_contacts")
    )
    assert dates == {
        row["contact_id"]: datetime.fromisoformat(row["arrived_at"]).date()
        for row in center.contacts
    }


def test_intervals_per_day_follow_dst(center: Center) -> None:
    counts = dict(
        ((queue, day), n)
        for queue, day, n in center.query(
            "select queue_id, interval_date, count(*) from marts.fct_queue_intervals "
            "group by all"
        )
    )
    assert counts == {
        ("q_ny", date(2026, 3, 7)): 48,
        ("q_ny", date(2026, 3, 8)): 46,  # 23 hours: no 02:00 or 02:30
        ("q_ny", date(2026, 3, 9)): 48,
        ("q_ny", date(2026, 10, 31)): 48,
        ("q_ny", date(2026, 11, 1)): 50,  # 25 hours: 01:00 and 01:30 twice
        ("q_ny", date(2026, 11, 2)): 48,
        ("q_kol", date(2026, 3, 7)): 48,
        ("q_kol", date(2026, 3, 8)): 48,
        ("q_kol", date(2026, 3, 9)): 48,
    }


def test_the_repeated_and_the_missing_local_hour(center: Center) -> None:
    fall_back = center.query(
        "select interval_start_at, interval_start_local_at, contacts_offered "
        "from marts.fct_queue_intervals where queue_id = 'q_ny' "
        "and interval_date = '2026-11-01' and hour(interval_start_local_at) = 1 "
        "order by interval_start_at"
    )
    # 01:00 EDT = 05:00Z, 01:30 EDT, then 01:00 EST = 06:00Z, 01:30 EST: two keys
    # per label, one contact each, none merged
    assert fall_back == [
        (datetime(2026, 11, 1, 5, 0), datetime(2026, 11, 1, 1, 0), 1),
        (datetime(2026, 11, 1, 5, 30), datetime(2026, 11, 1, 1, 30), 1),
        (datetime(2026, 11, 1, 6, 0), datetime(2026, 11, 1, 1, 0), 1),
        (datetime(2026, 11, 1, 6, 30), datetime(2026, 11, 1, 1, 30), 1),
    ]
    spring = center.query(
        "select strftime(interval_start_local_at, '%H:%M') "
        "from marts.fct_queue_intervals where queue_id = 'q_ny' "
        "and interval_date = '2026-03-08' and interval_start_at between "
        "'2026-03-08 06:00' and '2026-03-08 07:30' order by interval_start_at"
    )
    # 01:00 and 01:30 EST (06:00Z, 06:30Z), then 03:00 and 03:30 EDT (07:00Z, 07:30Z)
    assert [label for (label,) in spring] == ["01:00", "01:30", "03:00", "03:30"]
    # Kolkata's intervals start at local :00 and :30, and its days at 18:30Z
    kolkata = center.query(
        "select min(interval_start_at), min(interval_start_local_at) "
        "from marts.fct_queue_intervals where queue_id = 'q_kol' "
        "and interval_date = '2026-03-08'"
    )
    assert kolkata == [(datetime(2026, 3, 7, 18, 30), datetime(2026, 3, 8, 0, 0))]


def test_cost_rates_switch_at_local_midnight(center: Center) -> None:
    rows = center.query(
        "select queue_id, interval_start_at, interval_date, staff_cost_amount "
        "from marts.fct_agent_intervals order by queue_id, interval_start_at"
    )
    # 1800 staffed seconds at 30.00 / h = 15.00, at 36.00 / h = 18.00; Kolkata's
    # midnight is 18:30Z the day before, New York's (EST) 05:00Z
    assert rows == [
        ("q_kol", datetime(2026, 3, 7, 18, 0), date(2026, 3, 7), Decimal(15)),
        ("q_kol", datetime(2026, 3, 7, 18, 30), date(2026, 3, 8), Decimal(18)),
        ("q_ny", datetime(2026, 3, 8, 4, 30), date(2026, 3, 7), Decimal(15)),
        ("q_ny", datetime(2026, 3, 8, 5, 0), date(2026, 3, 8), Decimal(18)),
    ]


def test_the_run_window_of_a_date_is_the_local_day(
    center: Center, tmp_path: Path, seed_parse: SeedParse
) -> None:
    """`opsmart run --date 2026-03-09 --lookback-days 0` rebuilds from New York's
    local midnight. Two late contacts of the same UTC date (2026-03-09) arrive: the
    one at 00:10 local on the 9th is in the window, the one at 23:50 local on the
    8th is not (late data before the window waits for a backfill)."""
    landing = tmp_path / "landing"
    shutil.copytree(center.landing, landing)
    warehouse = seed_parse(tmp_path / "published") / "opsmart.duckdb"
    shutil.copyfile(center.warehouse, warehouse)
    ny = ZoneInfo(ZONES["q_ny"])
    late = [
        _contact("late_8th", "q_ny", datetime(2026, 3, 8, 23, 50, tzinfo=ny)),
        _contact("late_9th", "q_ny", datetime(2026, 3, 9, 0, 10, tzinfo=ny)),
    ]
    assert {
        datetime.fromisoformat(c["arrived_at"]).astimezone(UTC).date() for c in late
    } == {date(2026, 3, 9)}
    _write(landing / "contacts" / "late.csv", late)
    argv = ["--landing", str(landing), "--warehouse", str(warehouse)]
    assert main(["run", *argv, "--date", "2026-03-09", "--lookback-days", "0"]) == 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        found = connection.execute(
            "select contact_id, arrived_date from marts.fct_contacts "
            "where contact_id like 'late%'"
        ).fetchall()
        log = connection.execute(
            "select log_json from audit.run_log order by started_at desc limit 1"
        ).fetchone()
    assert found == [("late_9th", date(2026, 3, 9))]
    assert log is not None and json.loads(log[0])["window_start"] == "2026-03-09"
