"""Genesys Cloud conversation details → contacts, on the hand-written fixture.

tests/fixtures/adapters/genesys_cloud/conversations_2026-03-03.json (the response of
POST /api/v2/analytics/conversations/details/query), all times 2026-03-03 UTC:

    gc-001 IVR 10:00:00-10:00:40, acd (Sales) 10:00:40-10:00:58, agent alert from
           10:00:52, interact 10:00:58-10:03:00, hold -10:03:45, interact -10:06:00,
           wrap-up -10:06:40 (code "resolved")
           -> handled, ivr 40, wait 18, talk 122 + 135 = 257, hold 45, acw 40
    gc-002 IVR 10 s, acd 10:05:10-10:06:10, tAbandon -> abandoned, ivr 10, wait 60
    gc-003 IVR only, 10:08:00-10:09:15 -> contained, ivr 75
    gc-004 acd Sales 10:10:15-10:10:25, agent A 10:10:25-10:13:25 (transfer, wrap-up
           20 s), acd Billing 10:13:25-10:13:55, agent B 10:13:55-10:17:55 (wrap-up
           30 s) -> handled in Sales, ivr 15, wait 10, talk 180 + 240 = 420, acw 50,
           transferred, agent B, resolved (B's wrap-up code)
    gc-005 acd 10:20:05-10:22:05 then voicemail, nFlowOut -> flowout ending 10:22:05,
           ivr 5, wait 120
    gc-006 no conversationEnd, open segments -> rejected (not ended)
    gc-007 originatingDirection outbound -> rejected (not an inbound contact)

tests/fixtures/adapters/genesys_cloud/not_responding_2026-03-03.json, shaped like a
published real conversation: an agent alerted who never answered, then the agent who
did:

    gc-008 IVR 10:40:00-10:40:20, acd (Sales) 10:40:20-10:41:50;
           agent X alerted 10:40:25-10:40:45, no answer (tNotResponding), then a
           system wrap-up 10:40:45-10:41:46 (61 s, the default wrap-up code);
           agent Y alerted from 10:41:45, interact 10:41:50-10:43:00 (70 s), hold
           -10:43:15 (15 s), interact -10:44:30 (75 s), wrap-up -10:44:33 (3 s,
           code "resolved"); Y's own metrics: tTalk 145000, tHeld 15000, tAcw 3000
           -> handled, ivr 20, wait 90, talk 70 + 75 = 145, hold 15, acw 3 (not
           61 + 3 = 64: X did no work), agent Y, resolved, not transferred
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from adapter_helpers import (
    GENESYS,
    JSON_EXPECTED_COLUMNS,
    adapt_fixture,
    assert_row_matches_expected,
    read_rows,
    values_of,
    written,
)

from opsmart.adapters import (
    GenesysOptions,
    RecordError,
    WrapUp,
    adapt_genesys_cloud,
    contact_from_conversation,
    load_genesys_mapping,
    load_queue_map,
)
from opsmart.contract import LandingError

FIXTURE = GENESYS / "conversations_2026-03-03.json"
NOT_RESPONDING = GENESYS / "not_responding_2026-03-03.json"
AGENT_A1, AGENT_A2, AGENT_A3 = (
    "9b1d0c2e-0000-4000-8000-0000000000a1",
    "9b1d0c2e-0000-4000-8000-0000000000a2",
    "9b1d0c2e-0000-4000-8000-0000000000a3",
)
#: Genesys Cloud's built-in "Default Wrap-up Code", which the system applies to a
#: wrap-up nobody coded (here: that of the agent who never answered).
DEFAULT_WRAPUP_CODE = "7fb334b0-0e9e-11e4-9191-0800200c9a66"

# contact_id: the values of JSON_EXPECTED_COLUMNS
EXPECTED = {
    "gc-001": ("handled", "q_voice_sales", "40", "18", "257", "45", "40",
               "2026-03-03T10:00:58Z", "2026-03-03T10:06:00Z"),
    "gc-002": ("abandoned", "q_voice_sales", "10", "60", "", "", "",
               "", "2026-03-03T10:06:10Z"),
    "gc-003": ("contained", "q_self_service", "75", "0", "", "", "",
               "", "2026-03-03T10:09:15Z"),
    "gc-004": ("handled", "q_voice_sales", "15", "10", "420", "0", "50",
               "2026-03-03T10:10:25Z", "2026-03-03T10:17:55Z"),
    "gc-005": ("flowout", "q_voice_sales", "5", "120", "", "", "",
               "", "2026-03-03T10:22:05Z"),
}  # fmt: skip


@pytest.fixture(scope="module")
def adapted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("genesys") / "landing"
    return adapt_fixture(
        adapt_genesys_cloud, load_genesys_mapping, GENESYS, [FIXTURE], out
    )


def _conversations(path: Path = FIXTURE) -> list[dict[str, Any]]:
    conversations: list[dict[str, Any]] = json.loads(path.read_text())["conversations"]
    return conversations


def _conversation(index: int) -> dict[str, Any]:
    return copy.deepcopy(_conversations()[index])


def _participant(conversation: dict[str, Any], participant_id: str) -> Any:
    return next(
        p for p in conversation["participants"] if p["participantId"] == participant_id
    )


def _remove_wrapup_codes(participant: dict[str, Any]) -> None:
    for segment in participant["sessions"][0]["segments"]:
        segment.pop("wrapUpCode", None)


def test_report_reconciles(adapted: tuple[Any, Path]) -> None:
    report, _ = adapted
    assert (report.records_read, report.rows_written, report.rows_rejected) == (7, 5, 2)
    assert [(r.record, r.reason) for r in report.rejections] == [
        (6, "no conversationEnd: the conversation has not ended"),
        (7, "originatingDirection outbound: not an inbound contact (skipped)"),
    ]


@pytest.mark.parametrize("contact_id", sorted(EXPECTED))
def test_each_conversation_matches_hand_computation(
    adapted: tuple[Any, Path], contact_id: str
) -> None:
    assert_row_matches_expected(adapted[0].files_written[0], EXPECTED, contact_id)


def test_people_attributes_and_wrapups(adapted: tuple[Any, Path]) -> None:
    rows = read_rows(adapted[0].files_written[0])
    first, transferred = rows["gc-001"], rows["gc-004"]
    people = ("agent_id", "customer_id", "contact_reason")
    assert values_of(first, *people) == (AGENT_A1, "cu11", "billing_question")
    assert values_of(first, "is_transferred", "is_resolved") == ("false", "true")
    assert values_of(transferred, "agent_id", "is_transferred") == (AGENT_A3, "true")
    assert transferred["is_resolved"] == "true"


def test_an_agent_who_never_answered_adds_nothing(tmp_path: Path) -> None:
    report = adapt_genesys_cloud(
        [NOT_RESPONDING],
        tmp_path,
        options=load_genesys_mapping(GENESYS / "mapping.yaml"),
        queue_map=load_queue_map(GENESYS / "queue_map.yaml"),
    )
    assert (report.records_read, report.rows_written) == (1, 1)
    row = read_rows(report.files_written[0])["gc-008"]
    assert values_of(row, *JSON_EXPECTED_COLUMNS) == (
        "handled", "q_voice_sales", "20", "90", "145", "15", "3",
        "2026-03-03T10:41:50Z", "2026-03-03T10:44:30Z",
    )  # fmt: skip
    flags = ("is_transferred", "is_resolved")
    assert values_of(row, "agent_id", *flags) == (AGENT_A2, "false", "true")


#: Genesys session metric (milliseconds) -> the landing column it must agree with.
_SESSION_METRICS = {
    "tTalk": "talk_seconds",
    "tHeld": "hold_seconds",
    "tAcw": "acw_seconds",
}


def test_work_agrees_with_genesys_own_session_metrics() -> None:
    """Where the fixtures carry Genesys's own per-session tTalk, tHeld and tAcw,
    their sum over the conversation's agent sessions is what the adapter writes.
    (Genesys emits them only for work done: the unanswering agent of gc-008 has
    tAlert and tNotResponding, no tAcw for its system wrap-up.)"""
    compared = set()
    for conversation in _conversations() + _conversations(NOT_RESPONDING):
        try:
            row = contact_from_conversation(conversation)
        except RecordError:
            continue  # gc-006, gc-007: not written
        agent_metrics = [
            metric
            for participant in conversation["participants"]
            if participant["purpose"] == "agent"
            for session in participant["sessions"]
            for metric in session.get("metrics", [])
        ]
        for name, column in _SESSION_METRICS.items():
            values = [m["value"] for m in agent_metrics if m["name"] == name]
            if values:
                assert float(row[column]) == sum(values) / 1000, (
                    conversation["conversationId"],
                    name,
                )
                compared.add((conversation["conversationId"], name))
    assert {("gc-001", "tAcw"), ("gc-008", "tAcw"), ("gc-008", "tHeld")} <= compared


def test_system_wrapup_of_an_agent_who_never_answered_is_no_disposition() -> None:
    """Without a code from the agent who did the work, the disposition is unknown;
    the default code the system gave the unanswering agent means nothing here."""
    conversation = copy.deepcopy(_conversations(NOT_RESPONDING)[0])
    _remove_wrapup_codes(_participant(conversation, "p8-y"))
    options = GenesysOptions(
        wrapup_codes={
            DEFAULT_WRAPUP_CODE: WrapUp(contact_reason="no_answer", is_resolved=False)
        }
    )
    row = contact_from_conversation(conversation, options=options)
    assert (row["contact_reason"], row["is_resolved"]) == ("", "")


def test_disposition_is_the_last_connected_agents_code() -> None:
    """gc-004 without agent B's code: agent A's code ("plan_change", unresolved)
    described why A transferred, not how the contact ended."""
    conversation = _conversation(3)
    _remove_wrapup_codes(_participant(conversation, "p4-b"))
    options = load_genesys_mapping(GENESYS / "mapping.yaml")
    row = contact_from_conversation(conversation, options=options)
    assert (row["contact_reason"], row["is_resolved"]) == ("", "")
    assert row["agent_id"] == AGENT_A3
    assert (row["talk_seconds"], row["acw_seconds"]) == ("420", "50")


def test_a_consult_sums_both_agents_but_is_no_transfer() -> None:
    """gc-001 with a consult: agent A1 holds the customer 10:03:00-10:03:45 and
    talks to agent A3 (alerted 10:03:05, interact 10:03:08-10:03:40, wrap-up
    -10:03:50), then takes the customer back. No segment ends in a transfer:
    talk 257 + 32 = 289, hold 45, acw 40 + 10 = 50, agent A1 (the customer's last
    agent), not transferred."""
    conversation = _conversation(0)
    consulted = copy.deepcopy(_participant(conversation, "p1-a"))
    consulted.update(participantId="p1-b", userId=AGENT_A3)
    consulted["sessions"][0]["metrics"] = []
    consulted["sessions"][0]["segments"] = [
        {"segmentType": segment_type, "segmentStart": f"2026-03-03T10:03:{start}Z",
         "segmentEnd": f"2026-03-03T10:03:{end}Z"}
        for segment_type, start, end in (
            ("alert", "05", "08"), ("interact", "08", "40"), ("wrapup", "40", "50")
        )
    ]  # fmt: skip
    conversation["participants"].append(consulted)
    row = contact_from_conversation(conversation)
    assert (row["talk_seconds"], row["hold_seconds"], row["acw_seconds"]) == (
        "289",
        "45",
        "50",
    )
    assert (row["agent_id"], row["is_transferred"]) == (AGENT_A1, "false")


def test_a_consult_transfer_is_a_transfer() -> None:
    """gc-004 as a consult transfer straight to agent B (no second queue, no
    nTransferred): A talks 10:10:25-10:12:25 and holds the customer while B,
    connected from 10:12:35, is consulted; A completes the transfer from that hold
    at 10:13:25. A left on a transfer: transferred, agent B, talk 120 + 320 = 440,
    hold 60."""
    conversation = _conversation(3)
    conversation["participants"] = [
        p for p in conversation["participants"] if p["participantId"] != "p4-q2"
    ]
    first = _participant(conversation, "p4-a")["sessions"][0]
    first["metrics"] = []
    interact = first["segments"][1]
    interact.update(segmentEnd="2026-03-03T10:12:25.000Z", disconnectType="peer")
    first["segments"].insert(
        2,
        {
            "segmentType": "hold",
            "segmentStart": "2026-03-03T10:12:25.000Z",
            "segmentEnd": "2026-03-03T10:13:25.000Z",
            "disconnectType": "transfer",
        },
    )
    _participant(conversation, "p4-b")["sessions"][0]["segments"][0]["segmentStart"] = (
        "2026-03-03T10:12:35.000Z"
    )
    row = contact_from_conversation(conversation)
    assert (row["agent_id"], row["is_transferred"]) == (AGENT_A3, "true")
    assert (row["talk_seconds"], row["hold_seconds"]) == ("440", "60")


def test_queue_ids_pass_through_without_a_map() -> None:
    row = contact_from_conversation(_conversation(0))
    assert row["queue_id"] == "6f2c1a9e-0000-4000-8000-000000000001"
    assert row["is_resolved"] == ""  # no wrap-up code map: unknown


def test_wrapup_code_gives_reason_when_no_attribute() -> None:
    conversation = _conversation(0)
    conversation["participants"][0]["attributes"] = {}
    code = "d7e3f0a1-0000-4000-8000-0000000000e2"
    conversation["participants"][3]["sessions"][0]["segments"][-1]["wrapUpCode"] = code
    options = load_genesys_mapping(GENESYS / "mapping.yaml")
    row = contact_from_conversation(conversation, options=options)
    assert (row["contact_reason"], row["is_resolved"]) == ("plan_change", "false")


def _acd_segment(conversation: dict[str, Any]) -> dict[str, Any]:
    segment: dict[str, Any] = conversation["participants"][2]["sessions"][0][
        "segments"
    ][0]
    return segment


def test_without_metrics_the_disconnect_type_decides() -> None:
    abandoned = _conversation(1)
    del abandoned["participants"][2]["sessions"][0]["metrics"]
    assert contact_from_conversation(abandoned)["outcome"] == "abandoned"
    flowout = _conversation(4)
    del flowout["participants"][2]["sessions"][0]["metrics"]
    assert _acd_segment(flowout)["disconnectType"] == "transfer"
    assert contact_from_conversation(flowout)["outcome"] == "flowout"


def test_chat_media_and_unmapped_media() -> None:
    chat = _conversation(1)
    for participant in chat["participants"]:
        participant["sessions"][0]["mediaType"] = "chat"
    assert contact_from_conversation(chat)["channel"] == "chat"
    video = _conversation(1)
    for participant in video["participants"]:
        participant["sessions"][0]["mediaType"] = "screenshare"
    with pytest.raises(RecordError, match="mediaType screenshare is not mapped"):
        contact_from_conversation(video)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("conversationId"), "`conversationId` is missing"),
        (lambda c: c.pop("conversationStart"), "`conversationStart` is missing"),
        (
            lambda c: _acd_segment(c).update(segmentStart="yesterday"),
            "`segmentStart`: 'yesterday' is not a timestamp",
        ),
        (lambda c: _acd_segment(c).pop("queueId"), "no queueId"),
        (lambda c: c.update(participants="none"), "`participants` is not a list"),
    ],
)
def test_bad_conversations_are_rejected(change: Any, message: str) -> None:
    conversation = _conversation(1)
    change(conversation)
    with pytest.raises(RecordError, match=message):
        contact_from_conversation(conversation)


def test_unmapped_queue_and_outbound_option(tmp_path: Path) -> None:
    queue_map = load_queue_map(GENESYS / "queue_map.yaml")
    conversation = _conversation(1)
    _acd_segment(conversation)["queueId"] = "some-other-queue"
    with pytest.raises(RecordError, match="queue 'some-other-queue' is not in"):
        contact_from_conversation(conversation, queue_map=queue_map)
    outbound = _conversation(6)
    options = GenesysOptions(directions=frozenset({"inbound", "outbound"}))
    with pytest.raises(RecordError, match="no queueId"):  # no queue: still reported
        contact_from_conversation(outbound, options=options)


def test_job_result_pages_and_ndjson(tmp_path: Path) -> None:
    pages = tmp_path / "job"
    pages.mkdir()
    first = {"conversations": [_conversation(1)], "cursor": "abc"}
    (pages / "page-1.json").write_text(json.dumps(first))
    (pages / "page-2.json").write_text(json.dumps({"cursor": None}))  # empty last page
    (pages / "more.jsonl").write_text(json.dumps(_conversation(4)) + "\n")
    report = adapt_genesys_cloud([pages], tmp_path / "out")
    assert (report.records_read, report.rows_written) == (2, 2)
    assert any("no queue map" in note for note in report.notes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wrapups: {}\n", "unknown key `wrapups`"),
        ("wrapup_codes:\n  x: {resolved: true}\n", "wrapup_codes.x: unknown key"),
        ("wrapup_codes:\n  x: {is_resolved: maybe}\n", "must be true or false"),
        ("attributes:\n  resolution: r\n", "attributes: unknown key `resolution`"),
    ],
)
def test_bad_mapping_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LandingError, match=rf"genesys\.yaml.*{message}"):
        load_genesys_mapping(written(tmp_path / "genesys.yaml", text))
