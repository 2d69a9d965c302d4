"""The shared part of the adapters: values, JSON streams, queue maps, the report and
the landing files."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from adapter_helpers import SEED_QUEUES, written

from opsmart.adapters._landing import (
    AdapterReport,
    RecordError,
    RecordResult,
    finish_contact,
    format_value,
    input_files,
    load_queue_map,
    parse_timestamp,
    read_json_values,
    write_landing,
)
from opsmart.contract import LandingError, source_columns

GOOD = {
    "contact_id": "c1",
    "queue_id": "q_voice_sales",
    "channel": "voice",
    "arrived_at": datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    "answered_at": datetime(2026, 3, 2, 10, 0, 20, tzinfo=UTC),
    "ended_at": datetime(2026, 3, 2, 10, 5, tzinfo=UTC),
    "outcome": "handled",
    "wait_seconds": 20.0,
    "is_resolved": True,
}


def test_timestamps_become_utc() -> None:
    assert parse_timestamp("2026-03-02T19:02:00+09:00") == datetime(
        2026, 3, 2, 10, 2, tzinfo=UTC
    )
    assert parse_timestamp("2026-03-02T10:02:00.250Z").microsecond == 250_000
    berlin = parse_timestamp(
        "02.03.2026 11:00:00", fmt="%d.%m.%Y %H:%M:%S", tz=ZoneInfo("Europe/Berlin")
    )
    assert berlin == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # CET = UTC+1
    summer = parse_timestamp("2026-07-01 11:00:00", tz=ZoneInfo("Europe/Berlin"))
    assert summer.hour == 9  # CEST = UTC+2
    with pytest.raises(RecordError, match="not a timestamp"):
        parse_timestamp("soon")


def test_values_are_written_as_the_contract_reads_them() -> None:
    stamp = datetime(2026, 3, 2, 10, 0, 0, 500_000, tzinfo=UTC)
    assert format_value(stamp) == "2026-03-02T10:00:00.500Z"
    assert format_value(stamp.replace(microsecond=0)) == "2026-03-02T10:00:00Z"
    assert [format_value(v) for v in (False, 0.1 + 0.2, -0.0, "x")] == [
        "false",
        "0.3",
        "0",
        "x",
    ]


def test_finish_contact_orders_and_checks() -> None:
    row = finish_contact(GOOD)
    assert list(row) == source_columns("contacts")
    assert row["answered_at"] == "2026-03-02T10:00:20Z"
    assert row["talk_seconds"] == ""  # not given: derived by staging
    with pytest.raises(RecordError, match="`queue_id` is missing"):
        finish_contact({**GOOD, "queue_id": None})
    with pytest.raises(RecordError, match="`wait_seconds` is negative"):
        finish_contact({**GOOD, "wait_seconds": -1.0})
    with pytest.raises(RecordError, match="`ended_at` is before"):
        finish_contact({**GOOD, "ended_at": datetime(2026, 3, 2, 9, tzinfo=UTC)})
    with pytest.raises(ValueError, match="not contract columns"):
        finish_contact({**GOOD, "wait": 3})


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('{"a": 1}\n{"a": 2}\n\n{"a": 3}\n', [1, 2, 4]),  # newline-delimited
        ('{"a": 1}{"a": 2}\n{"a":\n 3}', [1, 1, 2]),  # Firehose: concatenated
        ('[\n  {"a": 1},\n  {"a": 2},\n  {"a": 3}\n]\n', [2, 3, 4]),  # one array
    ],
)
def test_json_streams(tmp_path: Path, text: str, lines: list[int]) -> None:
    path = tmp_path / "records.json"
    path.write_text(text, encoding="utf-8")
    assert read_json_values(path) == [(n, {"a": i + 1}) for i, n in enumerate(lines)]
    zipped = tmp_path / "records"  # a Firehose object: gzip, no extension
    zipped.write_bytes(gzip.compress(text.encode()))
    assert read_json_values(zipped) == read_json_values(path)


@pytest.mark.parametrize(
    ("text", "line"),
    [('{"a": 1}\n{"a": 2,\n"b" 3}\n', 3), ('[{"a": 1}\n{"a": 2}]', 2), ("[{}] x", 1)],
)
def test_bad_json_names_file_and_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LandingError, match=rf"bad\.json line {line}\b.*not valid JSON"):
        read_json_values(path)


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.json"
    path.write_bytes(b'{"a": 1}\n{"a": "M\xfcller"}\n')
    with pytest.raises(LandingError, match=r"latin\.json line 2: not UTF-8"):
        read_json_values(path)


def test_input_files(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / "a-2026-03-02-10-00-00-uuid").write_text("{}")  # Firehose object
    (tmp_path / "notes.yaml").write_text("x: 1")
    (tmp_path / ".hidden.json").write_text("{}")
    found = input_files([tmp_path], suffixes=(".json", ""))
    assert [p.name for p in found] == ["a-2026-03-02-10-00-00-uuid", "b.json"]
    with pytest.raises(LandingError, match="does not exist"):
        input_files([tmp_path / "missing.json"], suffixes=(".json",))
    with pytest.raises(LandingError, match="holds no input file"):
        input_files([tmp_path], suffixes=(".csv",))


def test_queue_map_file(tmp_path: Path) -> None:
    path = written(
        tmp_path / "queues.yaml",
        "queues:\n  Sales: q_voice_sales\nself_service_queue: q_self_service\n",
    )
    queue_map = load_queue_map(path, known_queue_ids=SEED_QUEUES)
    assert queue_map.lookup([None, "arn:x", "Sales"]) == "q_voice_sales"
    assert queue_map.self_service_queue == "q_self_service"
    with pytest.raises(RecordError, match=r"queue 'Nope' is not in .*queues\.yaml"):
        queue_map.lookup(["Nope"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("queue:\n  Sales: q_voice_sales\n", r"queues\.yaml: unknown key `queue`"),
        ("queues:\n  Sales: q_nope\n", "'Sales' maps to 'q_nope', which is not"),
        ("self_service_queue: q_nope\n", "'q_nope', which is not a queue_id"),
        ("queues: [a, b]\n", "`queues` must map"),
        ("queues:\n  Sales:\n", "must map to a queue_id"),
        ("queues: {a: [\n", "not valid YAML"),
    ],
)
def test_bad_queue_map(tmp_path: Path, text: str, message: str) -> None:
    path = written(tmp_path / "queues.yaml", text)
    with pytest.raises(LandingError, match=message):
        load_queue_map(path, known_queue_ids=SEED_QUEUES)


def _result(path: Path, record: int, contact_id: str | None) -> RecordResult:
    if contact_id is None:
        return RecordResult(path, record, None, "broken")
    return RecordResult(
        path, record, finish_contact({**GOOD, "contact_id": contact_id})
    )


def test_write_landing_reconciles_and_rejects_duplicates(tmp_path: Path) -> None:
    source = tmp_path / "export.json"
    results = [
        _result(source, 1, "c1"),
        _result(source, 2, None),
        _result(source, 3, "c1"),
        _result(source, 4, "c2"),
    ]
    report = write_landing("demo-vendor", results, tmp_path / "landing", files_read=[])
    assert (report.records_read, report.rows_written, report.rows_rejected) == (4, 2, 2)
    assert [str(r) for r in report.rejections] == [
        f"{source} record 2: broken",
        f"{source} record 3: duplicate contact_id 'c1' (first at {source} record 1)",
    ]
    written = tmp_path / "landing" / "contacts" / "demo_vendor__export.csv"
    assert report.files_written == (written,)
    assert written.read_text().splitlines()[0] == ",".join(source_columns("contacts"))
    assert "2 rows written to contacts/, 2 rejected" in report.summary()
    # The same run again leaves the identical file alone ...
    write_landing("demo-vendor", results, tmp_path / "landing", files_read=[])
    # ... but a landing file is append-only: other rows under the same name fail.
    with pytest.raises(LandingError, match="append-only"):
        write_landing("demo-vendor", results[:1], tmp_path / "landing", files_read=[])


def test_report_must_reconcile() -> None:
    with pytest.raises(ValueError, match="3 records read but 1 written"):
        AdapterReport("x", "contacts", 3, 1, (), (), ())
