"""No personal data in a public output: a tiny center built with `opsmart build`.

The landing folder is the per-call contacts fixture plus eight survey comments that
carry phone numbers, a card number and e-mail addresses in the formats that slipped
through before, and forty more that Hypothesis writes (derandomized, so the same on
every run) from the strategies of the masking rule's test. After the build, every
text cell of every public table (schemas `marts` and `reports`), every Parquet file of
the export, the run log and the HTML report are scanned for the identifiers and for
any piece of them: none is found, while the restricted staging view and raw table
still hold each comment as it came.
"""

# Full-width and other look-alike characters are what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from pii_strategies import examples_of, identified_comments

from opsmart.cli import main
from opsmart.nightly.publish import PUBLIC_SCHEMAS
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

#: (response id, contact id, comment as delivered, comment as it must be published).
#: Each comment names a different theme, so the report shows every one of them.
COMMENTS = [
    ("r1", "c01", "Call me on +1 (738) 492-6150, the hold time was too long",
     "Call me on [number], the hold time was too long"),
    ("r2", "c02", "Ring 030 / 9182 - 7364 because the app crashed",
     "Ring [number] because the app crashed"),
    ("r3", "c03", "My bill is wrong, card 5105 - 1051 - 0510 - 5100",
     "My bill is wrong, card [number]"),
    ("r4", "c04", "Very helpful agent, reach me at ０８０－９８７６－５４３２",
     "Very helpful agent, reach me at [number]"),
    ("r5", "c10", "Rude staff, write to renée@bücher.example",
     "Rude staff, write to [email]"),
    ("r6", "c11", "Still not resolved, mail kowalski@intranet",
     "Still not resolved, mail [email]"),
    ("r7", None, "Refund: ｍａｒｉａ＠ｅｊｅｍｐｌｏ．ｅｓ or +44 (0) 161 496 0753",
     "Refund: [email] or [number]"),
    ("r8", None, "The price is far too high, call ٠٩٨٧ ٦٥٤ ٣٢١٠",
     "The price is far too high, call [number]"),
]  # fmt: skip

#: The identifiers, and the pieces of them that must not survive either: the digit
#: groups of the numbers and the local parts and domains of the addresses.
IDENTIFIERS = [
    "+1 (738) 492-6150", "030 / 9182 - 7364", "5105 - 1051 - 0510 - 5100",
    "０８０－９８７６－５４３２", "renée@bücher.example", "kowalski@intranet",
    "ｍａｒｉａ＠ｅｊｅｍｐｌｏ．ｅｓ", "+44 (0) 161 496 0753", "٠٩٨٧ ٦٥٤ ٣٢١٠",
]  # fmt: skip
PIECES = [
    *(group for number in IDENTIFIERS for group in re.findall(r"\d{3,}", number)),
    "renée", "bücher", "kowalski", "intranet", "ｍａｒｉａ", "ｅｊｅｍｐｌｏ",
]  # fmt: skip


#: (response id, comment, masked comment, identifiers) written by Hypothesis.
GENERATED = [
    (f"g{number:02d}", text, masked, identifiers)
    for number, (text, masked, identifiers) in enumerate(
        examples_of(identified_comments(), 40)
    )
]
GENERATED_IDENTIFIERS = {i for *_, identifiers in GENERATED for i in identifiers}


def _leaks(text: str) -> list[str]:
    """The identifiers (hand-written or generated) and pieces of them in `text`."""
    pieces = (*IDENTIFIERS, *PIECES, *GENERATED_IDENTIFIERS)
    return [piece for piece in pieces if piece in text]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse) -> Path:
    """The warehouse built from the contacts fixture and the comments above."""
    root = tmp_path_factory.mktemp("privacy")
    landing = root / "landing"
    shutil.copytree(FIXTURES / "per_call_export", landing)
    (landing / "survey_responses").mkdir()
    with (landing / "survey_responses" / "responses.csv").open(
        "w", newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["response_id", "survey_type", "contact_id", "responded_at", "score",
             "scale_min", "scale_max", "comment"]
        )  # fmt: skip
        for response_id, contact_id, comment, _ in COMMENTS:
            kind, score, low, high = (
                ("csat", 4, 1, 5) if contact_id else ("nps", 3, 0, 10)
            )
            writer.writerow(
                [response_id, kind, contact_id or "", "2026-03-02T12:00:00Z", score,
                 low, high, comment]
            )  # fmt: skip
        for response_id, comment, _, _ in GENERATED:
            writer.writerow(
                [response_id, "nps", "", "2026-03-02T12:00:00Z", 7, 0, 10, comment]
            )
    warehouse = seed_parse(root / "deploy") / "opsmart.duckdb"
    argv = ["build", "--landing", str(landing), "--warehouse", str(warehouse)]
    assert main(argv) == 0
    return warehouse


@pytest.fixture
def connection(built: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(built), read_only=True) as connection:
        yield connection


def _text_cells(
    connection: duckdb.DuckDBPyConnection, relation: str
) -> Iterator[tuple[str, str]]:
    """(column, value) of every non-null text cell of `relation`."""
    columns = connection.execute(f"describe select * from {relation}").fetchall()
    for name, kind, *_ in columns:
        if kind == "VARCHAR":
            for (value,) in connection.execute(
                f'select "{name}" from {relation} where "{name}" is not null'
            ).fetchall():
                yield name, value


def test_the_fixture_is_what_the_scan_looks_for() -> None:
    for _, _, comment, masked in COMMENTS:
        assert _leaks(comment) and not _leaks(masked)
    assert all(_leaks(identifier) for identifier in IDENTIFIERS)
    assert len({text for _, text, _, _ in GENERATED}) == len(GENERATED) == 40
    for _, text, masked, identifiers in GENERATED:
        assert identifiers and all(i in text for i in identifiers)
        assert not _leaks(masked)


def test_every_public_table_has_the_masked_comments_only(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    tables = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_schema in (select unnest(?))",
        [list(PUBLIC_SCHEMAS)],
    ).fetchall()
    assert ("marts", "fct_survey_responses") in tables
    leaks = {
        f"{schema}.{table}.{column}": value
        for schema, table in tables
        for column, value in _text_cells(connection, f'"{schema}"."{table}"')
        if _leaks(value)
    }
    assert leaks == {}
    published = connection.execute(
        "select response_id, masked_comment from marts.fct_survey_responses"
    ).fetchall()
    assert sorted(published) == sorted(
        [(r, masked) for r, _, _, masked in COMMENTS]
        + [(r, masked) for r, _, masked, _ in GENERATED]
    )
    reported = connection.execute(
        "select distinct response_id, masked_comment from reports.rpt_customer_feedback"
    ).fetchall()
    assert sorted(reported) == sorted(published)


def test_the_restricted_places_keep_the_raw_comments(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    raw = sorted(
        [(r, comment) for r, _, comment, _ in COMMENTS]
        + [(r, comment) for r, comment, _, _ in GENERATED]
    )
    for relation in ("staging.stg_survey__responses", "raw.survey_responses"):
        rows = connection.execute(
            f"select response_id, comment from {relation} order by 1"
        ).fetchall()
        assert rows == raw, relation


def test_the_parquet_export_has_public_schemas_only_and_no_identifier(
    built: Path,
) -> None:
    export = built.parent / "parquet" / "current"
    assert sorted(p.name for p in export.iterdir()) == sorted(PUBLIC_SCHEMAS)
    files = sorted(export.rglob("*.parquet"))  # the big marts: one file per month
    assert any(export / "marts" / "fct_survey_responses" in p.parents for p in files)
    leaks = {}
    with duckdb.connect() as connection:
        for path in files:
            for column, value in _text_cells(connection, f"read_parquet('{path}')"):
                if _leaks(value):
                    leaks[f"{path.relative_to(export)}:{column}"] = value
    assert leaks == {}


def test_the_report_and_run_log_show_no_identifier(built: Path) -> None:
    page = (built.parent / "report" / "opsmart_report.html").read_text(encoding="utf-8")
    text = html.unescape(page)
    assert [i for i in (*IDENTIFIERS, *GENERATED_IDENTIFIERS) if i in text] == []
    feedback = re.search(r'<section id="customer-feedback".*?</section>', page, re.S)
    assert feedback is not None
    shown = html.unescape(feedback.group(0))
    for _, _, _, masked in COMMENTS:  # every comment is on the page, masked
        assert masked in shown
    assert _leaks(shown) == []
    # The run log is mostly numbers (timings, counts): short digit groups would
    # match by chance, so it is searched for the whole identifiers.
    logs = list((built.parent / "runs").glob("*.json"))
    assert logs
    for log in logs:
        logged = json.dumps(
            json.loads(log.read_text(encoding="utf-8")), ensure_ascii=False
        )
        assert [i for i in (*IDENTIFIERS, *GENERATED_IDENTIFIERS) if i in logged] == []
