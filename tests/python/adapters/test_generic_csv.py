"""A per-call CSV through a YAML column mapping → contacts, on the fixture.

tests/fixtures/adapters/generic_csv/calls_2026-03-04.csv (semicolon separated, Berlin
local time = UTC+1 on 2026-03-04, durations HH:MM:SS, hold in ms, J/N flags):

    csv-001 11:00:00 local = 10:00:00Z, ANS, queue 00:00:12, talk 00:04:30, hold
            30000 ms, wrap 45 s -> handled, wait 12, talk 270, hold 30, acw 45
    csv-002 ABN after 00:00:25 -> abandoned, wait 25
    csv-003 skill IVR, result IVR -> contained in q_self_service
    csv-004 ANS after 00:00:25, talk 00:05:00, hold 60000, wrap 30, transferred J,
            solved N -> handled, wait 25, talk 300, hold 60, acw 30
    csv-005 OVF after 00:01:30 -> flowout, wait 90
    csv-006 skill Marketing (not in `queues`) -> rejected
    csv-007 start 31.02.2026 -> rejected
"""

from __future__ import annotations

from pathlib import Path

import pytest
from adapter_helpers import GENERIC, SEED_QUEUES, read_rows, values_of, written

from opsmart.adapters import (
    QueueMap,
    RecordError,
    adapt_csv,
    load_csv_mapping,
    row_from_record,
)
from opsmart.contract import LandingError

FIXTURE = GENERIC / "calls_2026-03-04.csv"
MAPPING = GENERIC / "mapping.yaml"

# contact_id: outcome, queue, arrived_at, answered_at, wait, talk, hold, acw
EXPECTED = {
    "csv-001": ("handled", "q_voice_sales", "2026-03-04T10:00:00Z",
                "2026-03-04T10:00:12Z", "12", "270", "30", "45"),
    "csv-002": ("abandoned", "q_voice_sales", "2026-03-04T10:03:00Z", "", "25",
                "", "", ""),
    "csv-003": ("contained", "q_self_service", "2026-03-04T10:06:00Z", "", "0",
                "", "", ""),
    "csv-004": ("handled", "q_voice_sales", "2026-03-04T10:10:00Z",
                "2026-03-04T10:10:25Z", "25", "300", "60", "30"),
    "csv-005": ("flowout", "q_voice_sales", "2026-03-04T10:20:00Z", "", "90",
                "", "", ""),
}  # fmt: skip
COLUMNS = (
    "outcome",
    "queue_id",
    "arrived_at",
    "answered_at",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
)


def _mapping(tmp_path: Path, text: str) -> Path:
    return written(tmp_path / "mapping.yaml", text)


MINIMAL = """
columns:
  contact_id: id
  queue_id: {default: q_voice_sales}
  channel: {default: voice}
  arrived_at: start
  ended_at: end
  outcome: {column: result, values: {A: handled, B: abandoned}}
"""


def test_fixture_report_and_rows(tmp_path: Path) -> None:
    mapping = load_csv_mapping(MAPPING, known_queue_ids=SEED_QUEUES)
    report = adapt_csv([FIXTURE], tmp_path / "landing", mapping=mapping)
    assert (report.records_read, report.rows_written, report.rows_rejected) == (7, 5, 2)
    assert [(r.record, r.line) for r in report.rejections] == [(6, 7), (7, 8)]
    assert "queue 'Marketing' is not in" in report.rejections[0].reason
    assert report.rejections[1].reason == (
        "`Start` → arrived_at: '31.02.2026 11:30:00' is not a timestamp "
        "(format '%d.%m.%Y %H:%M:%S')"
    )
    rows = read_rows(tmp_path / "landing" / "contacts" / "csv__calls_2026-03-04.csv")
    assert {cid: values_of(row, *COLUMNS) for cid, row in rows.items()} == EXPECTED
    first, transferred = rows["csv-001"], rows["csv-004"]
    assert values_of(first, "channel", "agent_id", "customer_id") == (
        "voice",
        "a-77",
        "cu21",
    )
    assert values_of(first, "is_transferred", "is_resolved") == ("false", "true")
    assert values_of(transferred, "is_transferred", "is_resolved") == ("true", "false")
    assert rows["csv-002"]["is_resolved"] == rows["csv-002"]["ivr_seconds"] == ""


@pytest.mark.parametrize(
    ("unit", "text", "seconds"),
    [
        ("seconds", "12.5", "12.5"),
        ("milliseconds", "1500", "1.5"),
        ("minutes", "2.5", "150"),
        ("hours", "0.5", "1800"),
        ("HH:MM:SS", "1:02:03", "3723"),
        ("HH:MM:SS", "00:00:07.25", "7.25"),
    ],
)
def test_duration_units(tmp_path: Path, unit: str, text: str, seconds: str) -> None:
    path = _mapping(
        tmp_path, MINIMAL + f"  wait_seconds: {{column: w, unit: '{unit}'}}\n"
    )
    record = {
        "id": "c1",
        "start": "2026-03-04T10:00:00Z",
        "end": "2026-03-05T10:00:00Z",
        "result": "B",
        "w": text,
    }
    assert row_from_record(record, load_csv_mapping(path))["wait_seconds"] == seconds


def test_per_column_zone_and_format(tmp_path: Path) -> None:
    path = _mapping(
        tmp_path,
        MINIMAL.replace(
            "arrived_at: start",
            "arrived_at: {column: start, format: '%m/%d/%Y %I:%M %p', "
            "timezone: America/New_York}",
        ),
    )
    record = {"id": "c1", "start": "03/04/2026 09:30 AM", "end": "2026-03-04T15:00:00Z"}
    row = row_from_record({**record, "result": "B"}, load_csv_mapping(path))
    assert row["arrived_at"] == "2026-03-04T14:30:00Z"  # EST = UTC-5


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"result": "X"},
            r"`result`='X' is not in the `values` of outcome \('A', 'B'\)",
        ),
        ({"start": "4 March"}, "`start` → arrived_at: '4 March' is not a timestamp"),
        ({"end": "2026-03-04T09:00:00Z"}, "`ended_at` is before `arrived_at`"),
        ({"id": " "}, "`contact_id` is missing"),
    ],
)
def test_bad_cells_are_rejected(
    tmp_path: Path, record: dict[str, str], message: str
) -> None:
    mapping = load_csv_mapping(_mapping(tmp_path, MINIMAL))
    good = {"id": "c1", "start": "2026-03-04T10:00:00Z", "end": "2026-03-04T10:01:00Z"}
    with pytest.raises(RecordError, match=message):
        row_from_record({**good, "result": "A", **record}, mapping)


def test_queue_map_argument_overrides(tmp_path: Path) -> None:
    text = MINIMAL.replace("queue_id: {default: q_voice_sales}", "queue_id: skill")
    mapping = load_csv_mapping(_mapping(tmp_path, text))
    record = {"id": "c1", "skill": "S1", "result": "B"}
    record |= {"start": "2026-03-04T10:00:00Z", "end": "2026-03-04T10:01:00Z"}
    assert row_from_record(record, mapping)["queue_id"] == "S1"  # no map: unchanged
    queue_map = QueueMap({"S1": "q_voice_support"}, origin="q.yaml")
    assert row_from_record(record, mapping, queue_map=queue_map)["queue_id"] == (
        "q_voice_support"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (MINIMAL + "sheet: 1\n", r"mapping\.yaml: unknown key `sheet`"),
        (
            MINIMAL + "  wait: w\n",
            r"mapping\.yaml columns\.wait: `wait` is not a column of contacts",
        ),
        (
            MINIMAL + "  wait_seconds: {column: w, units: ms}\n",
            r"columns\.wait_seconds: unknown key `units`",
        ),
        (
            MINIMAL + "  wait_seconds: {column: w, unit: fortnights}\n",
            "unknown unit 'fortnights'",
        ),
        (MINIMAL + "  agent_id: {column: a, unit: minutes}\n", "`unit` applies to"),
        (MINIMAL + "  outcome_x: {}\n", "`outcome_x` is not a column"),
        (
            MINIMAL.replace("  ended_at: end\n", ""),
            r"required column `ended_at` is not mapped",
        ),
        (MINIMAL + "timezone: Mars/Olympus\n", "unknown time zone 'Mars/Olympus'"),
        (MINIMAL + "source: invoices\n", "`source` must be one of"),
        (
            MINIMAL + "queues:\n  S1: q_nowhere\n",
            "'q_nowhere', which is not a queue_id",
        ),
        ("columns: [a]\n", "`columns` must map"),
    ],
)
def test_bad_mapping_names_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(LandingError, match=message):
        load_csv_mapping(_mapping(tmp_path, text), known_queue_ids=SEED_QUEUES)


def test_missing_csv_column_names_the_csv_file_and_column(tmp_path: Path) -> None:
    mapping = load_csv_mapping(_mapping(tmp_path, MINIMAL))
    export = tmp_path / "calls.csv"
    export.write_text("id,start,finish,result\nc1,2026-03-04T10:00:00Z,x,A\n")
    with pytest.raises(
        LandingError, match=r"calls\.csv: column 'end' \(mapped to `ended_at`"
    ):
        adapt_csv([export], tmp_path / "out", mapping=mapping)


def test_malformed_rows_are_reported_by_line(tmp_path: Path) -> None:
    mapping = load_csv_mapping(_mapping(tmp_path, MINIMAL))
    export = tmp_path / "calls.csv"
    export.write_text(
        "id,start,end,result\n"
        "c1,2026-03-04T10:00:00Z,2026-03-04T10:01:00Z,A\n"
        "\n"
        "c2,2026-03-04T10:00:00Z,2026-03-04T10:01:00Z,B,extra\n"
        '"c3\n(quoted line break)",2026-03-04T10:00:00Z,2026-03-04T10:01:00Z,B\n'
        "c4,2026-03-04T10:00:00Z,2026-03-04T10:01:00Z,B\n"
    )
    report = adapt_csv([export], tmp_path / "out", mapping=mapping)
    assert (report.records_read, report.rows_written) == (4, 3)
    assert [(r.record, r.line) for r in report.rejections] == [(2, 4)]
    assert "malformed: 5 fields where the header has 4" in report.rejections[0].reason
    rows = read_rows(report.files_written[0])
    assert sorted(rows) == ["c1", "c3\n(quoted line break)", "c4"]


def test_unreadable_csv_is_a_landing_error(tmp_path: Path) -> None:
    mapping = load_csv_mapping(_mapping(tmp_path, MINIMAL))
    export = tmp_path / "calls.csv"
    export.write_bytes(b"id,start,end,result\nc1,x,y,A\nM\xfcller,x,y,A\n")
    with pytest.raises(LandingError, match=r"calls\.csv line 3: not utf-8-sig text"):
        adapt_csv([export], tmp_path / "out", mapping=mapping)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(LandingError, match="empty"):
        adapt_csv([empty], tmp_path / "out", mapping=mapping)


def test_other_sources_agent_intervals(tmp_path: Path) -> None:
    """A WFM export through `source: agent_intervals` (minutes to seconds); its grain
    is agent x queue x interval, so one agent may have many rows."""
    path = _mapping(
        tmp_path,
        """
source: agent_intervals
columns:
  agent_id: Agent
  team_id: {default: team_sales}
  queue_id: {default: q_voice_sales}
  interval_start: Start
  interval_minutes: {default: 30}
  staffed_seconds: {column: Staffed, unit: minutes}
  available_seconds: {column: Idle, unit: minutes}
  handling_seconds: {column: Busy, unit: minutes}
  aux_seconds: {column: Aux, unit: minutes}
""",
    )
    export = tmp_path / "wfm.csv"
    export.write_text(
        "Agent,Start,Staffed,Idle,Busy,Aux\n"
        "a1,2026-03-04T10:00:00Z,30,5,20,5\n"
        "a1,2026-03-04T10:30:00Z,30,10,15,5\n"
        "a1,2026-03-04T10:30:00Z,30,10,15,5\n"
    )
    report = adapt_csv([export], tmp_path / "out", mapping=load_csv_mapping(path))
    assert (report.records_read, report.rows_written, report.rows_rejected) == (3, 2, 1)
    assert "duplicate agent_id 'a1', queue_id 'q_voice_sales'" in (
        report.rejections[0].reason
    )
    written = tmp_path / "out" / "agent_intervals" / "csv__wfm.csv"
    lines = written.read_text().splitlines()
    assert lines[1] == (
        "a1,team_sales,q_voice_sales,2026-03-04T10:00:00Z,30,1800,300,1200,300"
    )
