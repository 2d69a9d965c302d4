"""Row checks: each bad row goes to quarantine with its code; the good rows beside it
are loaded; every file reconciles (read = loaded + quarantined)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from ingest_helpers import (
    GOOD,
    ID,
    Ingest,
    assert_reconciled,
    contacts_file,
    csv_text,
    row,
    write,
)

from opsmart.contract import SOURCES
from opsmart.ingest import ingest, reason_codes
from opsmart.ingest.rules import BOOLEAN_TEXTS

#: The types staging casts raw's values to (models/staging; money as DECIMAL).
_STAGING_TYPES = {
    "string": "varchar",
    "timestamp": "timestamptz",
    "date": "date",
    "number": "decimal(18, 2)",
    "integer": "integer",
    "boolean": "boolean",
}

# (case, source, changes to the good row, reason_code, column_name)
BAD_ROWS = [
    ("id_empty", "contacts", {"contact_id": ""}, "required_missing", "contact_id"),
    ("id_tab", "contacts", {"contact_id": "\t"}, "required_missing", "contact_id"),
    ("id_nul", "contacts", {"contact_id": "c\x00x"}, "invalid_id", "contact_id"),
    ("agent_blank", "contacts", {"agent_id": " \t"}, "invalid_id", "agent_id"),
    ("agent_spaces", "contacts", {"agent_id": "   "}, "invalid_id", "agent_id"),
    ("agent_del", "contacts", {"agent_id": "a\x7f1"}, "invalid_id", "agent_id"),
    ("queue_blank", "contacts", {"queue_id": "  "}, "required_missing", "queue_id"),
    # DuckDB reads these, the contract (ISO-8601) does not list them.
    (
        "zone_name",
        "contacts",
        {"arrived_at": "2026-03-02 19:00:00 Asia/Seoul"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "utc_word",
        "contacts",
        {"arrived_at": "2026-03-02 10:00:00 UTC"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "offset_seconds",
        "contacts",
        {"arrived_at": "2026-03-02T19:00:00+09:00:00"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "short_date",
        "contacts",
        {"arrived_at": "2026-3-2T10:00:00Z"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "slash_date",
        "contacts",
        {"arrived_at": "2026/03/02 10:00:00Z"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "offset_99",
        "contacts",
        {"arrived_at": "2026-03-02T10:00:00+99:00"},
        "offset_out_of_range",
        "arrived_at",
    ),
    (
        "underscore",
        "contacts",
        {"talk_seconds": "1_000"},
        "invalid_number",
        "talk_seconds",
    ),
    (
        "wait_1e15",
        "contacts",
        {"wait_seconds": "1e15"},
        "duration_out_of_range",
        "wait_seconds",
    ),
    (
        "chat_on_voice_queue",
        "contacts",
        {"channel": "chat"},
        "channel_not_of_queue",
        "channel",
    ),
    (
        "abandoned_answered",
        "contacts",
        {"outcome": "abandoned"},
        "answered_not_handled",
        "answered_at",
    ),
    (
        "contained_waited",
        "contacts",
        {"outcome": "contained", "answered_at": "", "wait_seconds": "300"},
        "contained_with_wait",
        "wait_seconds",
    ),
    (
        # 20 s from arrival to answer: an IVR of 9999 s leaves a negative wait.
        "ivr_9999_no_wait",
        "contacts",
        {"ivr_seconds": "9999"},
        "ivr_exceeds_timestamps",
        "ivr_seconds",
    ),
    (
        "wait_past_answer",
        "contacts",
        {"ivr_seconds": "10", "wait_seconds": "15"},
        "wait_exceeds_timestamps",
        "wait_seconds",
    ),
    (
        "talk_past_end",
        "contacts",
        {"talk_seconds": "290"},
        "talk_exceeds_timestamps",
        "talk_seconds",
    ),
    (
        "month_13",
        "contacts",
        {"arrived_at": "2026-13-02T10:00:00Z"},
        "invalid_timestamp",
        "arrived_at",
    ),
    (
        "ts_infinity",
        "contacts",
        {"ended_at": "infinity"},
        "invalid_timestamp",
        "ended_at",
    ),
    (
        "ts_words",
        "contacts",
        {"answered_at": "soon"},
        "invalid_timestamp",
        "answered_at",
    ),
    ("unit", "contacts", {"talk_seconds": "280s"}, "invalid_number", "talk_seconds"),
    ("nan", "contacts", {"talk_seconds": "NaN"}, "invalid_number", "talk_seconds"),
    ("space", "contacts", {"talk_seconds": "2 80"}, "invalid_number", "talk_seconds"),
    (
        "negative",
        "contacts",
        {"talk_seconds": "-1"},
        "negative_duration",
        "talk_seconds",
    ),
    ("maybe", "contacts", {"is_resolved": "maybe"}, "invalid_boolean", "is_resolved"),
    # DuckDB casts `y` to true, but the contract does not list it.
    ("y", "contacts", {"is_resolved": "y"}, "invalid_boolean", "is_resolved"),
    ("fax", "contacts", {"channel": "fax"}, "unknown_channel", "channel"),
    ("lost", "contacts", {"outcome": "lost"}, "unknown_outcome", "outcome"),
    ("queue", "contacts", {"queue_id": "q_nowhere"}, "unknown_queue", "queue_id"),
    (
        "answered_early",
        "contacts",
        {"answered_at": "2026-03-02T09:59:59Z"},
        "answered_before_arrived",
        "answered_at",
    ),
    (
        # 18:00+09:00 is 09:00Z: before arrived_at 10:00Z once offsets are applied.
        "answered_early_by_offset",
        "contacts",
        {"answered_at": "2026-03-02T18:00:00+09:00"},
        "answered_before_arrived",
        "answered_at",
    ),
    (
        "ended_early",
        "contacts",
        {"outcome": "abandoned", "answered_at": "", "ended_at": "2026-03-02T09:00:00Z"},
        "ended_before_arrived",
        "ended_at",
    ),
    (
        "ended_before_answer",
        "contacts",
        {"ended_at": "2026-03-02T10:00:10Z"},
        "ended_before_answered",
        "ended_at",
    ),
    (
        "handled_unanswered",
        "contacts",
        {"answered_at": ""},
        "handled_not_answered",
        "answered_at",
    ),
    (
        "fraction",
        "agent_intervals",
        {"interval_minutes": "15.5"},
        "invalid_integer",
        "interval_minutes",
    ),
    (
        "hex",
        "agent_intervals",
        {"interval_minutes": "0x0F"},
        "invalid_integer",
        "interval_minutes",
    ),
    (
        "interval_25",
        "agent_intervals",
        {"interval_minutes": "25"},
        "interval_not_divisor",
        "interval_minutes",
    ),
    (
        "interval_0",
        "agent_intervals",
        {"interval_minutes": "0"},
        "interval_not_divisor",
        "interval_minutes",
    ),
    (
        "interval_huge",
        "agent_intervals",
        {"interval_minutes": "9223372036854775807"},
        "interval_not_divisor",
        "interval_minutes",
    ),
    (
        "interval_60",
        "agent_intervals",
        {"interval_minutes": "60"},
        "interval_not_divisor",
        "interval_minutes",
    ),
    (
        "interval_0307",
        "agent_intervals",
        {"interval_start": "2026-03-02T03:07:00Z"},
        "interval_not_aligned",
        "interval_start",
    ),
    (
        "interval_half_minute",
        "agent_intervals",
        {"interval_start": "2026-03-02T10:00:30Z"},
        "interval_not_aligned",
        "interval_start",
    ),
    (
        "states_over_staffed",
        "agent_intervals",
        {"aux_seconds": "200"},
        "states_exceed_staffed",
        "staffed_seconds",
    ),
    ("queue_zone", "queues", {"timezone": "Mars/Base"}, "unknown_timezone", "timezone"),
    (
        "queue_target_percent",
        "queues",
        {"sl_target_rate": "80"},
        "rate_out_of_range",
        "sl_target_rate",
    ),
    ("queue_fax", "queues", {"channel": "fax"}, "unknown_channel", "channel"),
    (
        "staffed_901",
        "agent_intervals",
        {"staffed_seconds": "901"},
        "seconds_exceed_interval",
        "staffed_seconds",
    ),
    (
        "aux_huge",
        "agent_intervals",
        {"aux_seconds": "1e308"},
        "duration_out_of_range",
        "aux_seconds",
    ),
    (
        "interval_queue",
        "agent_intervals",
        {"queue_id": "q_x"},
        "unknown_queue",
        "queue_id",
    ),
    (
        "ces2",
        "survey_responses",
        {"survey_type": "ces2"},
        "unknown_survey_type",
        "survey_type",
    ),
    (
        "scale_inverted",
        "survey_responses",
        {"scale_min": "5", "scale_max": "1"},
        "scale_min_not_below_max",
        "scale_min",
    ),
    ("score_6", "survey_responses", {"score": "6"}, "score_out_of_scale", "score"),
    ("score_0", "survey_responses", {"score": "0"}, "score_out_of_scale", "score"),
    (
        "churn_early",
        "customers",
        {"churned_at": "2024-12-31T00:00:00Z"},
        "churned_before_signup",
        "churned_at",
    ),
    (
        "revenue_negative",
        "customers",
        {"monthly_revenue": "-0.01"},
        "negative_amount",
        "monthly_revenue",
    ),
    (
        "revenue_comma",
        "customers",
        {"monthly_revenue": "30;5"},
        "invalid_number",
        "monthly_revenue",
    ),
    (
        "segment_empty",
        "customers",
        {"segment": ""},
        "required_missing",
        "segment",
    ),
    (
        "cost_negative",
        "costs",
        {"loaded_cost_per_agent_hour": "-38"},
        "negative_amount",
        "loaded_cost_per_agent_hour",
    ),
    (
        "revenue_huge",
        "customers",
        {"monthly_revenue": "1e20"},
        "amount_out_of_range",
        "monthly_revenue",
    ),
    (
        "cost_huge",
        "costs",
        {"loaded_cost_per_agent_hour": "2000000000000"},
        "amount_out_of_range",
        "loaded_cost_per_agent_hour",
    ),
    ("currency_2", "costs", {"currency": "US"}, "invalid_currency", "currency"),
    ("currency_digit", "costs", {"currency": "U5D"}, "invalid_currency", "currency"),
    (
        "feb_30",
        "costs",
        {"effective_from": "2026-02-30"},
        "invalid_date",
        "effective_from",
    ),
]


@pytest.mark.parametrize(
    ("source", "changes", "code", "column"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_row_is_quarantined_and_good_rows_kept(
    landing: Path,
    run_ingest: Ingest,
    source: str,
    changes: dict[str, str],
    code: str,
    column: str,
) -> None:
    key = ID[source]
    rows = [
        row(source, **{key: "good1"}),
        row(source, **{key: "bad", **changes}),
        row(source, **{key: "good2"}),
    ]
    if source == "queues":  # a landing catalog replaces the seed's queues
        contacts_file(landing, queue_id="good1")
    elif source != "contacts":
        contacts_file(landing)
    write(landing / source / "day1.csv", csv_text(rows))

    loaded = run_ingest()

    assert loaded.quarantine() == [("day1.csv", 3, code, column)]
    assert loaded.loaded_rows(source) == [("day1.csv", 2), ("day1.csv", 4)]
    (load,) = [f for f in loaded.report.files if f.source == source]
    assert (load.rows_read, load.rows_loaded, load.rows_quarantined) == (3, 2, 1)
    assert load.quarantined == {code: 1}


def test_every_reason_code_has_a_bad_row_case() -> None:
    covered = {case[3] for case in BAD_ROWS} | {
        "malformed_row",  # test_malformed_rows_*
        "duplicate_identical",  # test_duplicate_*
        "duplicate_conflicting",
        "timestamp_out_of_span",  # test_span.py
    }
    assert set(reason_codes()) == covered


def test_values_the_contract_allows_are_loaded(
    landing: Path, run_ingest: Ingest
) -> None:
    contacts = [
        row(
            "contacts",
            contact_id=f"ok{i}",
            is_resolved=text.upper(),
            is_transferred=text,
        )
        for i, text in enumerate(BOOLEAN_TEXTS)
    ]
    contacts += [
        row("contacts", contact_id="upper", channel="VOICE", outcome="Handled"),
        row("contacts", contact_id="decimal", talk_seconds="279.5", ivr_seconds="0"),
        row("contacts", contact_id="dot", talk_seconds="279.", ivr_seconds=" 1e1 "),
        row("contacts", contact_id="compact", arrived_at="2026-03-02T19:00:00+0900"),
        # a call that ended in the IVR, in the self-service queue it never left
        row(
            "contacts",
            contact_id="ivr_call",
            queue_id="q_self_service",
            outcome="contained",
            answered_at="",
            talk_seconds="",
        ),
        # a zero-length answered call (the agent line dropped at once)
        row(
            "contacts",
            contact_id="zero",
            answered_at="2026-03-02T10:05:00Z",
            talk_seconds="0",
        ),
        row(
            "contacts",
            contact_id="offsets",
            arrived_at="2026-03-02T19:00:00+09:00",
            answered_at="2026-03-02T10:00:20Z",
            ended_at="2026-03-02 10:05:00",  # no offset: UTC
        ),
        row(
            "contacts",
            contact_id="abandoned",
            outcome="abandoned",
            answered_at="",
            talk_seconds="",
            is_resolved="",
        ),
    ]
    header = [*GOOD["contacts"], "ivr_seconds", "is_transferred"]
    write(landing / "contacts" / "a.csv", csv_text(contacts, header))
    write(
        landing / "agent_intervals" / "a.csv",
        csv_text(
            [
                # states may add up to less than staffed (unknown states)
                row("agent_intervals", interval_minutes="30", staffed_seconds="1800"),
                row("agent_intervals", agent_id="a2", interval_minutes="15.0"),
                row(
                    "agent_intervals",
                    agent_id="a3",
                    interval_minutes="1.5e1",
                    interval_start="2026-03-02T19:15:00+09:00",
                ),
            ]
        ),
    )
    write(
        landing / "survey_responses" / "a.csv",
        csv_text(
            [
                row("survey_responses", score="4.5", survey_type="CSAT"),
                row(
                    "survey_responses",
                    response_id="r2",
                    survey_type="nps",
                    score="0",
                    scale_min="0",
                    scale_max="10",
                ),
            ]
        ),
    )
    write(landing / "costs" / "a.csv", csv_text([row("costs", currency="usd")]))

    loaded = run_ingest()

    assert loaded.quarantine() == []
    assert len(loaded.loaded_rows("contacts")) == len(contacts)
    # Staging's plain casts (which raise, unlike try_cast) accept every loaded value.
    for source, columns in SOURCES.items():
        casts = ", ".join(
            f"cast({c.name} as {_STAGING_TYPES[c.type]})" for c in columns
        )
        loaded.connection.execute(f"select {casts} from raw.{source}").fetchall()


def test_reason_lists_every_failing_check_and_code_is_the_first(
    landing: Path, run_ingest: Ingest
) -> None:
    bad = row(
        "contacts",
        contact_id="c9",
        arrived_at="2026-13-02T10:00:00Z",
        talk_seconds="-5",
        channel="fax",
    )
    write(landing / "contacts" / "a.csv", csv_text([bad]))

    loaded = run_ingest()

    assert loaded.quarantine() == [("a.csv", 2, "invalid_timestamp", "arrived_at")]
    assert loaded.reasons() == [
        "arrived_at='2026-13-02T10:00:00Z': not an ISO-8601 timestamp "
        "(YYYY-MM-DDTHH:MM:SS with Z or an offset); "
        "talk_seconds='-5': negative duration; "
        "channel='fax': not one of voice, chat, email, message, self_service"
    ]
    (record,) = loaded.connection.execute(
        "select record::json ->> 'channel' from audit.quarantine"
    ).fetchone() or (None,)
    assert record == "fax"


def test_unknown_queue_is_only_checked_when_queue_ids_are_given(
    landing: Path, run_ingest: Ingest
) -> None:
    write(
        landing / "contacts" / "a.csv",
        csv_text([row("contacts", queue_id="q_new")]),
    )
    loaded = run_ingest(queues=None)
    assert loaded.quarantine() == []


def test_malformed_rows_keep_raw_fields_and_line_numbers(
    landing: Path, run_ingest: Ingest
) -> None:
    header = "contact_id,queue_id,channel,arrived_at,ended_at,outcome"
    good = "q_voice_sales,voice,2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,abandoned"
    text = "\n".join(
        [
            header,
            f"c1,{good}",  # line 2
            "c2,q_voice_sales,voice",  # line 3: too few
            f"c3,{good},extra",  # line 4: too many
            f'c4,"unclosed,{good}',  # line 5: a quote swallows line 6
            f"c5,{good}",  # line 6
            f"c6,{good}",  # line 7
        ]
    )
    write(landing / "contacts" / "a.csv", text + "\n")

    loaded = run_ingest()

    assert loaded.quarantine() == [
        ("a.csv", 3, "malformed_row", None),
        ("a.csv", 4, "malformed_row", None),
        ("a.csv", 5, "malformed_row", None),
    ]
    reasons = loaded.reasons()
    assert reasons[0] == "line 3: 3 field(s) where the header has 6"
    assert reasons[2].startswith("lines 5-7: ")
    (record,) = loaded.connection.execute(
        "select record from audit.quarantine where source_row = 3"
    ).fetchone() or (None,)
    assert record == '{"_fields": ["c2", "q_voice_sales", "voice"]}'
    assert loaded.loaded_rows("contacts") == [("a.csv", 2)]


def test_source_row_is_the_physical_line(landing: Path, run_ingest: Ingest) -> None:
    header = "response_id,survey_type,responded_at,score,scale_min,scale_max,comment"
    fields = "csat,2026-03-02T11:00:00Z,4,1,5"
    text = (
        "\ufeff"  # a byte-order mark before the header
        + header
        + "\r\n"
        + f'r1,{fields},"two\r\nlines"\r\n'  # lines 2-3
        + "\r\n"  # line 4: blank, no record
        + f"r2,{fields},\r\n"  # line 5, empty comment -> null
        + f'r3,{fields},""\r\n'  # line 6, quoted empty comment -> null
    )
    contacts_file(landing)
    write(landing / "survey_responses" / "a.csv", text)

    loaded = run_ingest()

    assert loaded.raw("survey_responses", "response_id", "_source_row", "comment") == [
        ("r1", 2, "two\r\nlines"),
        ("r2", 5, None),
        ("r3", 6, None),
    ]


def test_duplicate_in_one_file(landing: Path, run_ingest: Ingest) -> None:
    first = row("contacts")
    write(
        landing / "contacts" / "a.csv",
        csv_text(
            [
                first,  # line 2, kept
                first,  # line 3, identical
                row("contacts", talk_seconds="281", outcome="HANDLED"),  # line 4
                row("contacts", talk_seconds="280.0"),  # line 5: equal as a number
                row("contacts", contact_id="c2"),  # line 6
            ]
        ),
    )

    loaded = run_ingest()

    assert loaded.quarantine() == [
        ("a.csv", 3, "duplicate_identical", "contact_id"),
        ("a.csv", 4, "duplicate_conflicting", "contact_id"),
        ("a.csv", 5, "duplicate_identical", "contact_id"),
    ]
    kept = "contacts/a.csv"  # relative to the landing folder
    assert loaded.reasons()[:2] == [
        f"contact_id='c1': duplicate of {kept}:2 (identical)",
        f"contact_id='c1': duplicate of {kept}:2 (differs in outcome, talk_seconds)",
    ]
    assert loaded.loaded_rows("contacts") == [("a.csv", 2), ("a.csv", 6)]


def test_duplicate_across_files_and_loads_first_wins(
    landing: Path, run_ingest: Ingest
) -> None:
    write(landing / "contacts" / "b.csv", csv_text([row("contacts")]))
    write(
        landing / "contacts" / "a.csv",
        csv_text([row("contacts", talk_seconds="1")]),
    )
    loaded = run_ingest()
    # a.csv sorts first, so its row is kept and b.csv's is the duplicate.
    assert loaded.quarantine() == [("b.csv", 2, "duplicate_conflicting", "contact_id")]

    # The same row, but not the same bytes as a.csv (CRLF): not a re-delivery.
    again = csv_text([row("contacts", talk_seconds="1")]).replace("\n", "\r\n")
    write(landing / "contacts" / "c.csv", again)
    loaded = run_ingest(load_id="r2")
    assert loaded.quarantine()[-1] == ("c.csv", 2, "duplicate_identical", "contact_id")
    assert "a.csv:2 (identical)" in loaded.reasons()[-1]
    assert loaded.loaded_rows("contacts") == [("a.csv", 2)]


@pytest.mark.parametrize("chunk_rows", [1, 100_000])
def test_a_later_load_finds_raw_ids_at_the_edges_of_its_own(
    landing: Path, run_ingest: Ingest, chunk_rows: int
) -> None:
    """Raw is looked up only within the batch's least and greatest id: ids equal
    to those bounds must still be found, ids outside them are not looked at."""
    ids = ("c1", "c5", "c9")
    rows = [row("contacts", contact_id=i) for i in ids]
    write(landing / "contacts" / "a.csv", csv_text(rows))
    run_ingest()
    again = [row("contacts", contact_id=i) for i in ("c5", "c6", "c9")]
    write(landing / "contacts" / "b.csv", csv_text(again))
    loaded = run_ingest(load_id="r2", chunk_rows=chunk_rows)
    assert loaded.quarantine()[-2:] == [
        ("b.csv", 2, "duplicate_identical", "contact_id"),
        ("b.csv", 4, "duplicate_identical", "contact_id"),
    ]
    assert loaded.loaded_rows("contacts")[-1] == ("b.csv", 3)
    # Raw has rows within this batch's range (c5, c6), but not its ids: both load.
    write(
        landing / "contacts" / "c.csv",
        csv_text([row("contacts", contact_id="c4"), row("contacts", contact_id="c7")]),
    )
    loaded = run_ingest(load_id="r3", chunk_rows=chunk_rows)
    assert loaded.loaded_rows("contacts")[-2:] == [("c.csv", 2), ("c.csv", 3)]
    assert len(loaded.quarantine()) == 2


def test_invalid_first_row_does_not_hide_a_later_valid_one(
    landing: Path, run_ingest: Ingest
) -> None:
    write(
        landing / "contacts" / "a.csv",
        csv_text([row("contacts", channel="fax"), row("contacts")]),
    )
    loaded = run_ingest()
    assert loaded.quarantine() == [("a.csv", 2, "unknown_channel", "channel")]
    assert loaded.loaded_rows("contacts") == [("a.csv", 3)]


def test_interval_key_compares_instants(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(
        landing / "agent_intervals" / "a.csv",
        csv_text(
            [
                row("agent_intervals"),
                row("agent_intervals", interval_start="2026-03-02T19:00:00+09:00"),
                row("agent_intervals", queue_id="q_voice_billing"),  # another key
            ]
        ),
    )
    loaded = run_ingest()
    assert loaded.quarantine() == [
        ("a.csv", 3, "duplicate_identical", "agent_id+queue_id+interval_start")
    ]


@pytest.mark.parametrize("chunk_rows", [1, 100_000])
def test_interval_key_found_in_raw_whatever_its_text_says(
    landing: Path, run_ingest: Ingest, chunk_rows: int
) -> None:
    """A later load's interval repeats one in raw though their texts start with
    dates up to two days apart (offsets of +-14:00, 24:00): the duplicate check
    looks up raw only near the batch's dates, and must still find it."""
    contacts_file(landing)
    kept = [
        "2026-03-02T10:00:00Z",
        "2026-03-04T13:00:00+14:00",  # 2026-03-03T23:00Z
        "2026-03-01T24:00:00-14:00",  # 2026-03-02T14:00Z
        "  2026-03-05T10:00:00Z",
    ]
    write(
        landing / "agent_intervals" / "a.csv",
        csv_text([row("agent_intervals", interval_start=text) for text in kept]),
    )
    run_ingest()
    again = [
        "2026-03-01T20:00:00-14:00",
        "2026-03-03T23:00:00Z",
        "2026-03-03T04:00:00+14:00",
        "2026-03-04T20:00:00-14:00",
        "2026-03-09T10:00:00Z",  # a new interval
    ]
    write(
        landing / "agent_intervals" / "b.csv",
        csv_text([row("agent_intervals", interval_start=text) for text in again]),
    )
    loaded = run_ingest(load_id="r2", chunk_rows=chunk_rows)
    key = "agent_id+queue_id+interval_start"
    assert loaded.quarantine() == [
        ("b.csv", line, "duplicate_identical", key) for line in (2, 3, 4, 5)
    ]
    assert [reason.split(": ")[1] for reason in loaded.reasons()] == [
        f"duplicate of agent_intervals/a.csv:{line} (identical)"
        for line in (2, 3, 4, 5)
    ]
    assert loaded.loaded_rows("agent_intervals")[-1] == ("b.csv", 6)


def test_entity_sources_keep_every_version(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    write(
        landing / "customers" / "a.csv",
        csv_text([row("customers"), row("customers", segment="enterprise")]),
    )
    write(landing / "customers" / "b.csv", csv_text([row("customers")]))
    write(landing / "costs" / "a.csv", csv_text([row("costs"), row("costs")]))
    loaded = run_ingest()
    assert loaded.quarantine() == []
    assert len(loaded.loaded_rows("customers")) == 3
    assert len(loaded.loaded_rows("costs")) == 2


def test_results_do_not_depend_on_the_batch_size(tmp_path: Path) -> None:
    """Checked in batches of 1 row or all at once, the same rows are quarantined."""
    rows = [
        row("contacts", contact_id=f"c{i % 4}", talk_seconds=str(i)) for i in range(9)
    ]
    rows[5]["channel"] = "fax"
    write(tmp_path / "contacts" / "a.csv", csv_text(rows[:5]))
    write(tmp_path / "contacts" / "b.csv", csv_text(rows[5:]))
    results = []
    for chunk_rows in (1, 2, 100_000):
        with duckdb.connect() as connection:
            ingest(connection, tmp_path, load_id="r1", chunk_rows=chunk_rows)
            assert_reconciled(connection)
            results.append(
                connection.execute(
                    "select regexp_replace(source_file, '.*/', ''), source_row, "
                    "reason_code, regexp_replace(reason, '/.*/', '') "
                    "from audit.quarantine order by 1, 2"
                ).fetchall()
            )
    assert results[0] == results[1] == results[2]
    assert [r[:3] for r in results[0]] == [
        ("a.csv", 6, "duplicate_conflicting"),
        ("b.csv", 2, "unknown_channel"),
        ("b.csv", 3, "duplicate_conflicting"),
        ("b.csv", 4, "duplicate_conflicting"),
        ("b.csv", 5, "duplicate_conflicting"),
    ]
    assert results[0][0][3] == (
        "contact_id='c0': duplicate of contacts/a.csv:2 (differs in talk_seconds)"
    )
