"""The run report (describe, to_dict, totals) and the rule table's documentation."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest_helpers import PROJECT, Ingest, contacts_file, csv_text, row, write

from opsmart.contract import MISSING_SOURCE_EFFECTS, SOURCES
from opsmart.ingest import NOT_LOADED_REASONS, FileLoad, IngestReport, reason_codes
from opsmart.ingest.rules import EVENT_KEYS, LOWER_PREFIX, rules_for


def test_report_counts_and_lines(landing: Path, run_ingest: Ingest) -> None:
    write(
        landing / "contacts" / "a.csv",
        csv_text(
            [
                row("contacts"),
                row("contacts"),
                row("contacts", contact_id="c2", channel="fax"),
                row("contacts", contact_id="c3"),
            ]
        ),
    )
    write(landing / "costs" / "a.csv", csv_text([row("costs")]))

    report = run_ingest(load_id="run-9").report

    assert report.totals["contacts"] == {
        "files": 1,
        "rows_read": 4,
        "rows_loaded": 2,
        "rows_quarantined": 2,
    }
    assert report.totals["customers"]["files"] == 0
    assert report.quarantined == {
        "contacts": {"duplicate_identical": 1, "unknown_channel": 1}
    }
    assert report.missing == ("agent_intervals", "survey_responses", "customers")
    lines = report.describe()
    assert lines[0].startswith(
        f"ingest {landing.resolve()} (csv), load run-9: 2 file(s) loaded, "
        "0 already loaded, 5 rows in "
    )
    assert lines[1] == (
        "  contacts: 1 file(s), 4 read, 2 loaded, 2 quarantined "
        "(duplicate_identical 1, unknown_channel 1)"
    )
    assert lines[2] == "  costs: 1 file(s), 1 read, 1 loaded, 0 quarantined"
    assert f"  customers: missing -> {MISSING_SOURCE_EFFECTS['customers']}" in lines
    assert "load_id = 'run-9'" in lines[-1]


def test_report_to_dict_is_json(landing: Path, run_ingest: Ingest) -> None:
    contacts_file(landing)
    run_ingest()
    report = run_ingest(load_id="r2").report
    data = json.loads(json.dumps(report.to_dict()))
    assert data["load_id"] == "r2"
    assert data["files"] == []
    assert data["skipped"] == [
        {
            "source": "contacts",
            "path": str(landing.resolve() / "contacts" / "contacts.csv"),
            "load_id": "r1",
        }
    ]
    assert data["missing"]["costs"] == MISSING_SOURCE_EFFECTS["costs"]
    assert data["totals"]["contacts"]["rows_read"] == 0


def test_rules_name_contract_columns() -> None:
    for source in SOURCES:
        names = {c.name for c in SOURCES[source]}
        for rule in rules_for(source):
            assert rule.column in names, (source, rule.code)
            for column in re.findall(r"\bv\.(\w+)", rule.when):
                assert column in names, (source, rule.code, column)
            for column in re.findall(rf"\b{LOWER_PREFIX}(\w+)", rule.when):
                assert column in names, (source, rule.code, column)
    for source, key in EVENT_KEYS.items():
        assert set(key) <= {c.name for c in SOURCES[source]}


def _documented_codes(heading: str) -> set[str]:
    """The codes in the table under `heading` of docs/quarantine.md."""
    text = (PROJECT / "docs" / "quarantine.md").read_text(encoding="utf-8")
    part = text.split(f"\n## {heading}\n")[1].split("\n## ")[0]
    return set(re.findall(r"^\| `(\w+)` \|", part, flags=re.MULTILINE))


def test_every_reason_code_is_documented() -> None:
    assert _documented_codes("Reason codes") == set(reason_codes())


def test_every_reason_a_file_is_not_loaded_is_documented() -> None:
    assert _documented_codes("Files not loaded") == set(NOT_LOADED_REASONS)


def _report(*loads: tuple[str, int, dict[str, int]]) -> IngestReport:
    """A report of files (source, rows read, quarantined per reason)."""
    files = tuple(
        FileLoad(
            source=source,
            path=Path(f"/landing/{source}/{i}.csv"),
            size_bytes=1,
            sha256="0",
            rows_read=read,
            rows_loaded=read - sum(reasons.values()),
            rows_quarantined=sum(reasons.values()),
            quarantined=reasons,
        )
        for i, (source, read, reasons) in enumerate(loads)
    )
    return IngestReport(Path("/landing"), "r1", "csv", files)


def test_quarantine_threshold_catches_a_broken_feed_not_an_odd_row() -> None:
    # 60 of 100 lost: over 5 % and at least 50 rows
    assert _report(("contacts", 100, {"invalid_timestamp": 60})).over_quarantine_rate(
        0.05
    ) == ["contacts 60/100"]
    # 3 of 10 lost: 30 %, but a few odd rows of a small load never stop the night
    assert (
        _report(("contacts", 10, {"unknown_queue": 3})).over_quarantine_rate(0.05) == []
    )
    # every row of a small load lost: that is a broken feed
    assert _report(("costs", 4, {"invalid_currency": 4})).over_quarantine_rate(
        0.05
    ) == ["costs 4/4"]
    # an export that repeats the previous one loses nothing
    repeated = _report(("contacts", 200, {"duplicate_identical": 150}))
    assert repeated.over_quarantine_rate(0.05) == []
    assert repeated.over_quarantine_rate(0.05, min_rows=1) == []
