"""Amazon Connect contact records → contacts, on the hand-written fixture.

tests/fixtures/adapters/amazon_connect/ctr_2026-03-02.json (a JSON array, fields as in
the Connect "Contact records data model"), all times 2026-03-02 UTC:

    record 1 ac-001 handled: initiated 10:00:00, enqueued 10:00:30, connected 10:00:45,
             disconnected 10:05:45; interaction 270, hold 30, ACW 60
             -> ivr 30, wait 15, talk 270, hold 30, acw 60 (handle 360)
    record 2 ac-002 an older copy of record 8 (LastUpdateTimestamp 10:03:10)
             -> rejected: superseded
    record 3 ac-003 never enqueued, disconnected 10:05:30 -> contained, ivr 90
    record 4 ac-004 handled and transferred (NextContactId ac-005): enqueued 10:06:10,
             connected 10:06:30; interaction 150, hold 60, ACW 30 -> ivr 10, wait 20
    record 5 ac-005 the transfer leg (InitiationMethod TRANSFER) in BillingQueue:
             enqueued 10:10:00, connected 10:10:40 -> ivr 0, wait 40, talk 240, acw 20
    record 6 ac-006 enqueued 10:15:20, dequeued 10:17:20, transferred out to a phone
             number -> flowout ending 10:17:20, ivr 20, wait 120
    record 7 ac-007 no InitiationTimestamp -> rejected
    record 8 ac-002 abandoned: enqueued 10:02:20, disconnected 10:03:05 -> ivr 20,
             wait 45
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from adapter_helpers import (
    CONNECT,
    adapt_fixture,
    assert_row_matches_expected,
    read_rows,
    values_of,
    written,
)

from opsmart.adapters import (
    ConnectOptions,
    RecordError,
    adapt_amazon_connect,
    contact_from_record,
    load_connect_mapping,
    load_queue_map,
)
from opsmart.contract import LandingError

FIXTURE = CONNECT / "ctr_2026-03-02.json"

# contact_id: the values of JSON_EXPECTED_COLUMNS
EXPECTED = {
    "ac-001": ("handled", "q_voice_sales", "30", "15", "270", "30", "60",
               "2026-03-02T10:00:45Z", "2026-03-02T10:05:45Z"),
    "ac-002": ("abandoned", "q_voice_sales", "20", "45", "", "", "",
               "", "2026-03-02T10:03:05Z"),
    "ac-003": ("contained", "q_self_service", "90", "0", "", "", "",
               "", "2026-03-02T10:05:30Z"),
    "ac-004": ("handled", "q_voice_sales", "10", "20", "150", "60", "30",
               "2026-03-02T10:06:30Z", "2026-03-02T10:10:00Z"),
    "ac-005": ("handled", "q_voice_billing", "0", "40", "240", "0", "20",
               "2026-03-02T10:10:40Z", "2026-03-02T10:14:40Z"),
    "ac-006": ("flowout", "q_voice_sales", "20", "120", "", "", "",
               "", "2026-03-02T10:17:20Z"),
}  # fmt: skip


@pytest.fixture(scope="module")
def adapted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("connect") / "landing"
    return adapt_fixture(
        adapt_amazon_connect, load_connect_mapping, CONNECT, [FIXTURE], out
    )


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(FIXTURE.read_text())
    return records


def test_report_reconciles(adapted: tuple[Any, Path]) -> None:
    report, out = adapted
    assert (report.records_read, report.rows_written, report.rows_rejected) == (8, 6, 2)
    assert [(r.record, r.line) for r in report.rejections] == [(2, 64), (7, 319)]
    assert "superseded by a later copy of contact ac-002" in report.rejections[0].reason
    assert "record 8" in report.rejections[0].reason
    assert report.rejections[1].reason == "`InitiationTimestamp` is missing"
    assert report.files_written == (
        out / "contacts" / "amazon_connect__ctr_2026-03-02.csv",
    )


@pytest.mark.parametrize("contact_id", sorted(EXPECTED))
def test_each_record_matches_hand_computation(
    adapted: tuple[Any, Path], contact_id: str
) -> None:
    assert_row_matches_expected(adapted[0].files_written[0], EXPECTED, contact_id)


def test_people_attributes_and_flags(adapted: tuple[Any, Path]) -> None:
    rows = read_rows(adapted[0].files_written[0])
    first, transferred, leg = rows["ac-001"], rows["ac-004"], rows["ac-005"]
    people = ("agent_id", "customer_id", "contact_reason")
    assert values_of(first, *people) == ("jdoe", "cu1", "billing_question")
    assert values_of(first, "is_transferred", "is_resolved") == ("false", "true")
    assert values_of(transferred, "is_transferred", "is_resolved") == ("true", "false")
    assert values_of(leg, "agent_id", "is_transferred") == ("bwong", "false")
    # The kept copy of ac-002 is the later one, which carries the attributes.
    assert rows["ac-002"]["customer_id"] == "cu2"
    assert rows["ac-002"]["agent_id"] == rows["ac-002"]["is_resolved"] == ""


def _record(index: int, **changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(_records()[index])
    record.update(changes)
    return record


def test_a_transfer_is_two_legs_each_with_only_its_own_agents_work(
    adapted: tuple[Any, Path],
) -> None:
    """ac-004 -> ac-005: each leg's Agent block is the agent who accepted that leg
    (AWS: "the agent who accepted the incoming contact"), so nothing is counted
    twice: asmith 150 + 60 + 30 = 240, bwong 240 + 0 + 20 = 260, the chain's handle
    time 500. asmith entered ACW at 10:10:00, before bwong (10:14:40): a transfer."""
    rows = read_rows(adapted[0].files_written[0])
    work = ("agent_id", "talk_seconds", "hold_seconds", "acw_seconds", "is_transferred")
    assert [tuple(rows[leg][c] for c in work) for leg in ("ac-004", "ac-005")] == [
        ("asmith", "150", "60", "30", "true"),
        ("bwong", "240", "0", "20", "false"),
    ]
    handle = sum(float(rows[leg][c]) for leg in ("ac-004", "ac-005") for c in work[1:4])
    assert handle == 500


def _consult_leg() -> dict[str, Any]:
    """ac-005 turned into a consult leg of ac-004 that never became a transfer:
    bwong is connected 10:08:10-10:08:50 with asmith (who holds the customer) and
    enters ACW at 10:08:50, before asmith does (10:10:00)."""
    leg = _record(4, InitiationTimestamp="2026-03-02T10:08:00Z")
    leg["DisconnectTimestamp"] = "2026-03-02T10:08:50Z"
    leg["Queue"].update(
        EnqueueTimestamp="2026-03-02T10:08:00Z",
        DequeueTimestamp="2026-03-02T10:08:10Z",
        Duration=10,
    )
    leg["Agent"].update(
        ConnectedToAgentTimestamp="2026-03-02T10:08:10Z",
        AgentInteractionDuration=40,
        AfterContactWorkStartTimestamp="2026-03-02T10:08:50Z",
        AfterContactWorkEndTimestamp="2026-03-02T10:09:00Z",
        AfterContactWorkDuration=10,
    )
    return leg


def _adapt(tmp_path: Path, records: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    (tmp_path / "ctr.json").write_text(json.dumps(records))
    report = adapt_amazon_connect([tmp_path / "ctr.json"], tmp_path / "out")
    assert report.rows_written == len(records)
    return read_rows(report.files_written[0])


def test_a_consult_leg_does_not_make_a_transfer(tmp_path: Path) -> None:
    rows = _adapt(tmp_path, [_record(3), _consult_leg()])
    assert rows["ac-004"]["is_transferred"] == "false"
    assert (rows["ac-004"]["agent_id"], rows["ac-004"]["hold_seconds"]) == (
        "asmith",
        "60",
    )


def test_next_contact_id_alone_means_a_transfer(tmp_path: Path) -> None:
    """Without the next leg in the run, or when its agent never entered ACW (the
    customer abandoned in the second queue), NextContactId decides."""
    assert contact_from_record(_record(3))["is_transferred"] == "true"
    abandoned_leg = _record(4, Agent=None, AgentConnectionAttempts=0)
    abandoned_leg["Queue"]["DequeueTimestamp"] = "2026-03-02T10:14:40Z"
    rows = _adapt(tmp_path, [_record(3), abandoned_leg])
    assert rows["ac-004"]["is_transferred"] == "true"
    assert rows["ac-005"]["outcome"] == "abandoned"


def test_an_agent_who_missed_the_contact_adds_nothing() -> None:
    """An abandoned contact that was offered to an agent who missed it: even if an
    export carries that agent's block, without ConnectedToAgentTimestamp there is no
    agent, talk, hold or ACW (AWS: Agent is the agent who accepted the contact)."""
    missed = _record(7, AgentConnectionAttempts=1)
    missed["Agent"] = {
        "ARN": _records()[0]["Agent"]["ARN"],
        "Username": "jdoe",
        "AgentInteractionDuration": 0,
        "AfterContactWorkDuration": 0,
    }
    row = contact_from_record(missed)
    assert row["outcome"] == "abandoned"
    agent_fields = ("agent_id", "talk_seconds", "hold_seconds", "acw_seconds")
    assert [row[c] for c in agent_fields] == [""] * 4


def test_without_queue_map_the_queue_name_passes_through() -> None:
    row = contact_from_record(_record(0))
    assert row["queue_id"] == "SalesQueue"
    with pytest.raises(RecordError, match="no `self_service_queue`"):
        contact_from_record(_record(2))


def test_default_attribute_names_and_unknown_resolution() -> None:
    record = _record(0, Attributes={"CustomerId": "x9", "Resolution": "maybe"})
    row = contact_from_record(record)
    assert row["customer_id"] == "x9"
    assert row["is_resolved"] == ""  # not a known value: unknown, not false


def test_acw_from_timestamps_when_duration_missing() -> None:
    record = _record(0)
    del record["Agent"]["AfterContactWorkDuration"]
    record["Agent"]["AfterContactWorkEndTimestamp"] = "2026-03-02T10:07:15Z"
    assert contact_from_record(record)["acw_seconds"] == "90"


def test_flow_disconnect_in_queue_is_a_flowout() -> None:
    record = _record(7, DisconnectReason="CONTACT_FLOW_DISCONNECT")
    assert contact_from_record(record)["outcome"] == "flowout"
    record = _record(7, NextContactId="cb-1")  # e.g. a queued callback was created
    assert contact_from_record(record)["outcome"] == "flowout"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"InitiationMethod": "OUTBOUND"}, "InitiationMethod OUTBOUND: not a customer"),
        ({"InitiationMethod": "MONITOR"}, "InitiationMethod MONITOR"),
        ({"Channel": "TASK"}, "Channel TASK is not mapped"),
        ({"DisconnectTimestamp": None}, "`DisconnectTimestamp` is missing"),
        ({"ContactId": ""}, "`ContactId` is missing"),
        ({"InitiationTimestamp": "2026-02-30T10:00:00Z"}, "`InitiationTimestamp`: "),
        ({"DisconnectTimestamp": "2026-03-02T09:00:00Z"}, "`ended_at` is before"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(RecordError, match=message):
        contact_from_record(_record(0, **changes))


def test_negative_wait_is_rejected() -> None:
    record = _record(0)
    record["Queue"]["EnqueueTimestamp"] = "2026-03-02T10:00:50Z"  # after connected
    with pytest.raises(RecordError, match="`wait_seconds` is negative"):
        contact_from_record(record)


def test_non_object_and_channel_option() -> None:
    with pytest.raises(RecordError, match="not a JSON object"):
        contact_from_record(["ContactId"])
    options = ConnectOptions(channels={"CHAT": "chat", "TASK": "message"})
    assert (
        contact_from_record(_record(0, Channel="TASK"), options=options)["channel"]
        == "message"
    )


def test_ndjson_and_unmapped_queue_are_reported(tmp_path: Path) -> None:
    lines = [json.dumps(r) for r in _records()[:3]]
    lines[0] = lines[0].replace("SalesQueue", "Unknown").replace("000000000001", "9")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "part-1.json").write_text("\n".join(lines) + "\n")
    queue_map = load_queue_map(CONNECT / "queue_map.yaml")
    report = adapt_amazon_connect(
        [tmp_path / "in"], tmp_path / "out", queue_map=queue_map
    )
    # ac-001 (unknown queue) is reported; ac-002 (its only copy here) and ac-003
    # (contained, to the self-service queue) are written.
    assert (report.records_read, report.rows_written) == (3, 2)
    assert report.rejections[0].record == 1
    assert report.rejections[0].line == 1
    assert "queue" in report.rejections[0].reason
    assert "'Unknown'" in report.rejections[0].reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("attributes:\n  customer: CustomerId\n", "attributes: unknown key `customer`"),
        ("resolution: [yes]\n", "unknown key `resolution`"),
        ("resolved_values: yes\n", "`resolved_values` must be a list"),
    ],
)
def test_bad_mapping_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LandingError, match=rf"connect\.yaml.*{message}"):
        load_connect_mapping(written(tmp_path / "connect.yaml", text))
