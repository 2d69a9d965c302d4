"""A center as messy as real exports: the night publishes, every oddity is counted.

tests/fixtures/messy_center/README.md lists each oddity of the fixture, where it comes
from and what the pipeline does with it. Day 1 is built with `opsmart build`, day 2
added with `opsmart run`, both under TZ=Asia/Seoul: no result may depend on the
machine's time zone. The KPIs below are computed by hand from the rows that remain.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from public_numbers import non_finite_values

from shared_helpers import SeedParse, run_captured

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "messy_center"

pytestmark = pytest.mark.pipeline


@dataclass(frozen=True)
class Messy:
    landing: Path
    warehouse: Path
    build: subprocess.CompletedProcess[str]
    run: subprocess.CompletedProcess[str]

    def query(self, sql: str) -> list[tuple[object, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()


def _opsmart(*args: str) -> subprocess.CompletedProcess[str]:
    """`opsmart ...` in a process of its own, on a machine in Seoul's time zone.

    dbt's log file is at debug level, where dbt would log each usage event it sends
    (test_dbt_does_not_phone_home).
    """
    seoul = {**os.environ, "TZ": "Asia/Seoul", "DBT_LOG_LEVEL_FILE": "debug"}
    return run_captured([sys.executable, "-m", "opsmart", *args], env=seoul)


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse) -> Messy:
    root = tmp_path_factory.mktemp("messy")
    landing = root / "landing"
    shutil.copytree(FIXTURE / "day1", landing)
    warehouse = seed_parse(root / "published") / "opsmart.duckdb"
    where = ["--landing", str(landing), "--warehouse", str(warehouse)]
    build = _opsmart("build", *where)
    for path in (FIXTURE / "day2").rglob("*.csv"):
        target = landing / path.relative_to(FIXTURE / "day2")
        shutil.copyfile(path, target)
    run = _opsmart("run", *where, "--date", "2026-02-03")
    return Messy(landing, warehouse, build, run)


def test_build_and_the_nightly_run_publish(messy: Messy) -> None:
    assert messy.build.returncode == 0, messy.build.stdout + messy.build.stderr
    assert messy.run.returncode == 0, messy.run.stdout + messy.run.stderr
    # the oddities are said on the terminal, not hidden
    assert "dbt warning: dbt.fct_survey_responses" in messy.build.stdout
    assert "row(s) set aside: a timestamp outside" in messy.build.stdout


#: (source, id) -> reason code: every row the fixture's README says is set aside.
QUARANTINED = {
    ("contacts", "c05"): "answered_before_arrived",  # clock skew of one second
    ("contacts", "c06"): "ivr_exceeds_timestamps",  # IVR 9999 s, no wait column
    ("contacts", "c07"): "duration_out_of_range",  # wait 1e15
    ("contacts", "c08"): "timestamp_out_of_span",  # 2999
    ("contacts", "c09"): "timestamp_out_of_span",  # 1900
    ("contacts", "c10"): "offset_out_of_range",  # +99:00
    ("contacts", "c11"): "invalid_timestamp",  # a zone name
    ("contacts", "c12"): "invalid_timestamp",  # UTC as a word
    ("contacts", "c13"): "invalid_timestamp",  # +02:00:00
    ("contacts", "c14"): "invalid_timestamp",  # 2026-2-2
    ("contacts", "c15"): "invalid_timestamp",  # 2026/02/02
    ("contacts", "c16"): "invalid_number",  # 1_000
    ("contacts", "c26"): "channel_not_of_queue",  # voice on the chat queue
    ("contacts", "c27"): "unknown_queue",  # not in the user's catalog
    ("contacts", "c28"): "contained_with_wait",
    ("contacts", "c29"): "answered_not_handled",  # abandoned, yet answered_at
    ("contacts", "\t"): "required_missing",  # an id that is only a tab
    ("contacts", "c31"): "duplicate_conflicting",  # ids unique per line only
    ("agent_intervals", "a4"): "interval_not_divisor",  # 60 minutes
    ("agent_intervals", "a5"): "interval_not_aligned",  # starts 12:07
    ("agent_intervals", "a6"): "states_exceed_staffed",
    ("customers", "cust03"): "timestamp_out_of_span",  # signed up 1900-01-01
}
KEYS = {
    "contacts": "contact_id",
    "agent_intervals": "agent_id",
    "customers": "customer_id",
}


def test_every_oddity_is_quarantined_with_its_reason(messy: Messy) -> None:
    rows = messy.query(
        "select source, record, reason_code, source_file from audit.quarantine "
        "order by source_file, source_row"
    )
    day1 = {
        (source, json.loads(str(record))[KEYS[str(source)]]): code
        for source, record, code, path in rows
        if "2026-02-03" not in str(path)
    }
    assert day1 == QUARANTINED
    # day 2: the export repeats day 1's last hour (harmless), and reuses an id
    day2 = sorted(
        (json.loads(str(record))["contact_id"], code)
        for _, record, code, path in rows
        if "2026-02-03" in str(path)
    )
    assert day2 == [("c01", "duplicate_conflicting"), ("c21", "duplicate_identical")]


def test_rows_read_equal_rows_loaded_plus_quarantined(messy: Messy) -> None:
    files = messy.query(
        "select f.source_file, f.rows_read, f.rows_loaded, f.rows_quarantined, "
        "(select count(*) from audit.quarantine as q "
        " where q.source_file = f.source_file) "
        "from raw.loaded_files as f order by 1"
    )
    assert len(files) == 8
    for path, read, loaded, quarantined, in_quarantine in files:
        assert read == loaded + quarantined, path
        assert quarantined == in_quarantine, path
    # 33 + 4 contacts read; 15 + 2 remain
    assert messy.query("select count(*) from marts.fct_contacts") == [(17,)]


def _interval(messy: Messy, queue: str, start: str) -> dict[str, object]:
    columns = (
        "contacts_offered, contacts_answered, contacts_abandoned, service_level_rate, "
        "aht_seconds, asa_seconds, patience_seconds, baseline_null_reason"
    )
    (row,) = messy.query(
        f"select {columns} from marts.fct_queue_intervals "
        f"where queue_id = '{queue}' and interval_start_at = '{start}'"
    )
    return dict(zip([c.strip() for c in columns.split(",")], row, strict=True))


def test_kpis_equal_hand_computation(messy: Messy) -> None:
    # 10:00-10:30 local (+02:00) = 08:00Z. Kept: c01 (waited 10 s, talked 300),
    # c02 (30 s, 240), c03 (abandoned after 45 s), c04 (answered after 5 s, dropped
    # at once: 0 s). c05 is quarantined. Offered 4, answered 3, 2 within 20 s:
    # SL = 2/4; AHT = (300 + 240 + 0) / 3 = 180; ASA = (10 + 30 + 5) / 3 = 15.
    # Patience, per queue and day: the waits of every offered contact of the day
    # (10 + 30 + 45 + 5 + 5 + 5 + 5 + 20 + 180 + 4 + 3 = 312 s) / 1 abandon.
    assert _interval(messy, "bank_retail", "2026-02-02 08:00:00") == {
        "contacts_offered": 4,
        "contacts_answered": 3,
        "contacts_abandoned": 1,
        "service_level_rate": 0.5,
        "aht_seconds": 180.0,
        "asa_seconds": 15.0,
        "patience_seconds": 312.0,
        "baseline_null_reason": None,
    }
    # 10:30 local: c06-c16 are quarantined; c17-c19 (talk "15.0", "15.", "1.5e1")
    # remain, each answered after 5 s: SL 1, AHT 15, ASA 5.
    later = _interval(messy, "bank_retail", "2026-02-02 08:30:00")
    assert (later["contacts_offered"], later["service_level_rate"]) == (3, 1.0)
    assert (later["aht_seconds"], later["asa_seconds"]) == (15.0, 5.0)
    # day 2, 09:00 local = 07:00Z: d01 answered after 15 s, d02 abandoned: SL 1/2
    day2 = _interval(messy, "bank_retail", "2026-02-03 07:00:00")
    assert (day2["contacts_offered"], day2["service_level_rate"]) == (2, 0.5)


def test_intervals_without_a_baseline_say_why(messy: Messy) -> None:
    # 14:00 local: two calls answered and dropped at once, AHT 0 with two agents on
    zero = _interval(messy, "bank_retail", "2026-02-02 12:00:00")
    assert (zero["contacts_answered"], zero["aht_seconds"]) == (2, 0.0)
    assert zero["baseline_null_reason"] == "no_handle_time"
    # the premium queue only abandoned all day, an agent staffed: no handle time to
    # size the work with; patience = (120 + 60) / 2 abandons
    premium = _interval(messy, "bank_premium", "2026-02-02 09:00:00")
    assert (premium["contacts_abandoned"], premium["contacts_answered"]) == (2, 0)
    assert premium["patience_seconds"] == 90.0
    assert premium["baseline_null_reason"] == "no_handle_time"
    # no public baseline column holds an infinity or NaN
    infinite = messy.query(
        "select count(*) from marts.fct_queue_intervals where "
        + " or ".join(
            f"isinf({c}) or isnan({c})"
            for c in (
                "erlang_c_asa_seconds",
                "erlang_a_asa_seconds",
                "erlang_c_service_level_rate",
                "traffic_erlangs",
            )
        )
    )
    assert infinite == [(0,)]


def test_one_cost_by_hand(messy: Messy) -> None:
    """Payroll, at 40.00 (retail) and 55.00 (premium) an agent-hour, allocated by
    hand. Retail on 2 February UTC: a1 and a2 at 08:00, 08:30 and 12:00, a1 at 21:30,
    a4 at 10:00 (idle), 9 x 20.00 less the quarantined ones = 160.00, over the day's
    handled contacts by handle time: c01 300 s, c02 240, c04 0, c17-c19 15 each, c20
    180 (01:00, nobody staffed), c21 720, c22 and c23 0 (their interval's 40.00 goes
    to the others), 1,485 s: 160 / 1,485 a second. Premium pays 27.50 and only
    abandons: unallocated. The chat queue has no agent data: no cost."""
    costs = dict(
        messy.query(
            "select contact_id, cost_amount from marts.fct_contacts where is_answered"
        )
    )
    rate = Decimal(160) / Decimal(1485)
    for contact, seconds in {"c01": 300, "c17": 15, "c20": 180, "c21": 720}.items():
        assert abs(costs[contact] - seconds * rate) <= Decimal("0.0001"), contact
    assert costs["c20"] == Decimal("19.3939")
    assert costs["c04"] == costs["c22"] == costs["c23"] == 0
    assert costs["c31"] is None
    assert costs["d01"] == Decimal("20.0000")  # day 2: 20.00 over one contact
    days = {
        (queue, str(day)): rest
        for queue, day, *rest in messy.query(
            "select queue_id, interval_date, staff_cost_amount, "
            "allocated_staff_cost_amount, unallocated_staff_cost_amount, "
            "staffed_agent_hours from marts.fct_queue_days"
        )
    }
    assert days["bank_retail", "2026-02-02"] == [160, 160, 0, 4.0]
    assert days["bank_premium", "2026-02-02"] == [
        Decimal("27.5"),
        0,
        Decimal("27.5"),
        0.5,
    ]
    assert days["bank_chat", "2026-02-02"] == [None, None, None, None]
    # c20's interval: the baselines assume a_ghost, nothing else does
    assert messy.query(
        "select is_staffing_estimated, staffed_agents, baseline_staffed_agents, "
        "staff_cost_amount, allocated_staff_cost_amount from marts.fct_queue_intervals "
        "where queue_id = 'bank_retail' and interval_start_at = '2026-02-02 01:00:00'"
    ) == [(True, None, 1.0, None, Decimal("19.3939"))]


def test_no_public_value_is_infinite_or_nan(messy: Messy) -> None:
    scanned, found = non_finite_values(messy.warehouse)
    assert scanned > 200
    assert found == {}


def test_the_single_night_call_and_the_call_across_midnight_count(
    messy: Messy,
) -> None:
    calls = dict(
        messy.query(
            "select contact_id, interval_start_at from marts.fct_contacts "
            "where contact_id in ('c20', 'c21')"
        )
    )
    # 03:07 local is 01:07Z (its 01:00Z interval); 23:55 local is 21:55Z
    assert calls == {
        "c20": datetime(2026, 2, 2, 1, 0),
        "c21": datetime(2026, 2, 2, 21, 30),
    }
    # a_ghost handled c20 but has no agent intervals: still an agent of the center
    assert messy.query(
        "select count(*) from marts.dim_agents where agent_id = 'a_ghost'"
    )[0] == (1,)


def test_flags_with_spaces_around_them_load_as_booleans(messy: Messy) -> None:
    # c02's export says " false" and "TRUE ": the load's rule trims them, and so
    # must staging's cast, or one hand-typed flag fails the whole build.
    assert messy.query(
        "select is_transferred, is_resolved from marts.fct_contacts "
        "where contact_id = 'c02'"
    ) == [(False, True)]


def test_oddities_are_counted_where_a_user_sees_them(messy: Messy) -> None:
    warnings = dict(
        messy.query(
            "select suite, observed from audit.validation_results "
            "where stage = 'dbt' and not success and severity = 'warn' "
            "and run_id = (select min(run_id) from audit.validation_results)"
        )
    )
    # s2 is about a contact never exported, s3 about the quarantined c05
    assert warnings["dbt.fct_survey_responses"] == "2 row(s)"
    # a4 at 12:00: 300 + 300 + 300 of 1800 staffed seconds; a row_checks test
    # names the check that failed
    assert warnings["dbt.stg_wfm__agent_intervals"] == (
        "1 row(s): not (abs(staffed_seconds - available_seconds - handling_seconds"
        " - aux_seconds) <= 1) (1)"
    )
    errors = messy.query(
        "select count(*) from audit.validation_results "
        "where not success and severity = 'error'"
    )
    assert errors == [(0,)]
    run_log = json.loads(
        sorted((messy.warehouse.parent / "runs").glob("*.json"))[0].read_text()
    )
    assert run_log["ingest"]["queue_catalog"] == "landing queues/ (4 queues)"
    assert {r["suite"] for r in run_log["validation"]["dbt"] if not r["success"]} == {
        "dbt.fct_survey_responses",
        "dbt.stg_wfm__agent_intervals",
    }
    report = (messy.warehouse.parent / "report" / "opsmart_report.html").read_text()
    assert "relationships" in report and "timestamp_out_of_span" in report


def test_the_users_queues_replace_the_demo_catalog(messy: Messy) -> None:
    queues = dict(messy.query("select queue_id, timezone from marts.dim_queues"))
    assert queues == {
        "bank_retail": "Asia/Jerusalem",
        "bank_premium": "Asia/Jerusalem",
        "bank_chat": "UTC",  # no zone of its own: var reporting_timezone
        "bank_ivr": "UTC",
    }


def test_check_says_what_would_not_fit_before_any_build(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURE / "day1", landing)
    checked = _opsmart("check", "--landing", str(landing))
    assert checked.returncode == 3
    assert "queues missing from the catalog: bank_unknown (1)" in checked.stdout
    assert "contacts invalid_timestamp: 5 row(s)" in checked.stdout
    assert (
        "calls_2026-02-02.csv:12 arrived_at='2026-02-02 10:34:00 Asia/Jerusalem'"
        in (checked.stdout)
    )
    assert not list(tmp_path.glob("**/*.duckdb"))  # wrote nothing


def test_dbt_does_not_phone_home(messy: Messy) -> None:
    """dbt's anonymous usage events are off: the flags dbt reports, and its log."""
    target = messy.warehouse.parent / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    run_results = json.loads((target / "run_results.json").read_text())
    assert manifest["metadata"]["send_anonymous_usage_stats"] is False
    assert run_results["args"]["send_anonymous_usage_stats"] is False
    log = (messy.warehouse.parent / "logs" / "dbt.log").read_text()
    assert "Sending event" not in log


def test_no_odd_date_stretches_a_calendar(messy: Messy) -> None:
    """c08 (2999), c09 and cust03 (1900) are set aside; every calendar stays Feb 2026.

    Before, one such row grew fct_customer_months from 6,423 to 238,356 rows and
    made the churn fit run out of memory.
    """
    months = messy.query(
        "select min(month_start_date), max(month_start_date) "
        "from marts.fct_customer_months"
    )
    assert [(str(low), str(high)) for low, high in months] == [
        ("2026-02-01", "2026-02-01")
    ]
    periods = messy.query(
        "select distinct period_grain, period_start_date "
        "from reports.rpt_okr_scorecard order by all"
    )
    # 2026-02-02 is a Monday: one week and one month
    assert [(g, str(d)) for g, d in periods] == [
        ("month", "2026-02-01"),
        ("week", "2026-02-02"),
    ]


def test_columns_outside_the_contract_are_listed(messy: Messy) -> None:
    run_log = json.loads(
        sorted((messy.warehouse.parent / "runs").glob("*.json"))[0].read_text()
    )
    ignored = {
        Path(path).name: columns
        for path, columns in run_log["ingest"]["ignored_columns"].items()
    }
    assert ignored["calls_2026-02-02.csv"] == ["vru_line"]
    assert "vru_line" in messy.build.stdout
