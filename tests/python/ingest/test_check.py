"""`opsmart check`: what the load step would make of a landing folder (issue 14).

The messy center's check (exit 3, unknown queues, examples) is tested with that
fixture in tests/python/pipeline/test_messy_center.py; these are the other exits
and the JSON form, on one-row folders that can be checked by eye.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ingest_helpers import QUEUES, contacts_file, csv_text, row, write

from opsmart.ingest.check import check_landing
from shared_helpers import run_captured


def test_a_folder_that_fits_exits_0(landing: Path) -> None:
    contacts_file(landing)
    report = check_landing(landing, queues=QUEUES)
    assert report.exit_code == 0
    assert report.findings == ()
    assert report.lines()[0].endswith("1 rows: 1 would load, 0 would be quarantined")
    assert report.lines()[-1] == "everything fits"


def test_a_re_delivered_file_is_named_and_harmless(landing: Path) -> None:
    """The same bytes under a second name are skipped with a note: nothing to fix."""
    contacts_file(landing, "contacts.csv")
    contacts_file(landing, "contacts_again.csv")
    report = check_landing(landing, queues=QUEUES)
    assert report.exit_code == 0
    assert report.findings == ()
    assert (
        "    contacts/contacts_again.csv: same_content (the same bytes as "
        "contacts/contacts.csv, loaded earlier in this run)" in report.lines()
    )


def test_a_bad_row_exits_3_with_its_fix(landing: Path) -> None:
    rows = [row("contacts"), row("contacts", contact_id="c2", talk_seconds="-5")]
    write(landing / "contacts" / "contacts.csv", csv_text(rows))
    report = check_landing(landing, queues=QUEUES)
    assert report.exit_code == 3
    [finding] = report.findings
    assert (finding.source, finding.code, finding.rows) == (
        "contacts",
        "negative_duration",
        1,
    )
    assert (
        finding.examples[0]
        == "contacts/contacts.csv:3 talk_seconds='-5': negative duration"
    )
    assert any(
        line.startswith("contacts negative_duration: 1 row(s); fix:")
        for line in report.lines()
    )


def test_an_unreadable_file_exits_2_and_names_it(landing: Path) -> None:
    broken = write(landing / "contacts" / "contacts.parquet", b"not parquet")
    report = check_landing(landing, queues=QUEUES)
    assert report.exit_code == 2
    assert report.error is not None and str(broken) in report.error
    assert report.lines() == [f"check {landing}: cannot load: {report.error}"]


def test_json_says_the_same_as_the_text(landing: Path) -> None:
    rows = [row("contacts"), row("contacts", contact_id="c2", queue_id="q_nowhere")]
    write(landing / "contacts" / "contacts.csv", csv_text(rows))
    checked = run_captured(
        [sys.executable, "-m", "opsmart", "check", "--landing", str(landing), "--json"]
    )
    assert checked.returncode == 3, checked.stderr
    found = json.loads(checked.stdout)
    assert found["exit_code"] == 3
    assert found["unknown_queues"] == {"q_nowhere": 1}
    assert [(f["code"], f["rows"]) for f in found["findings"]] == [("unknown_queue", 1)]
    assert found["findings"][0]["fix"]
