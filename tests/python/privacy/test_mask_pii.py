"""The masking rule (macro mask_pii), run as dbt renders it, on DuckDB.

Hypothesis writes comments of ordinary words with phone numbers, card numbers and
e-mail addresses in them, in the formats that slipped through before (spaces or
slashes around separators, brackets, full-width and other Unicode digits, + country
codes, Unicode and single-label domains). The masked comment must be exactly the
words with one `[number]` or `[email]` in place of each identifier: nothing of an
identifier survives and no ordinary word is lost. Ordinary text (order numbers,
amounts, times, 24/7, the demo generator's phrases) must stay as it is. Where a JDK
is installed, the same patterns run in Java's regular expressions, as on Spark.
"""

# Full-width and other look-alike characters are what these tests are about.
# ruff: noqa: RUF001

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from pii_strategies import comments

from opsmart.synth.surveys import PHRASES
from shared_helpers import untraced

# ------------------------------------------------------------------ the rule in SQL


@pytest.fixture(scope="module")
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def mask(connection: duckdb.DuckDBPyConnection, sql: str, text: str | None) -> str:
    """`text` through the compiled macro `sql` (an expression of `comment`)."""
    row = connection.execute(
        f"select {sql} from (select cast(? as varchar) as comment)", [text]
    ).fetchone()
    assert row is not None
    result: str = row[0]
    return result


#: Hand-checked cases: (comment, masked comment).
EXAMPLES = [
    # the cases that slipped through before
    ("call me on +1 (555) 010-0199!", "call me on [number]!"),
    ("ring 030 / 1234 - 5678", "ring [number]"),
    ("０９０－１２３４－５６７８ please", "[number] please"),
    ("٠٥٥٥ ٠١٠ ٠١٩٩", "[number]"),
    ("card 4111 1111 1111 1111 twice", "card [number] twice"),
    ("+44 (0) 20 7946 0958", "[number]"),
    ("(+49) 30.1234.5678", "[number]"),
    ("mail jürgen@münchen.de or root@localhost", "mail [email] or [email]"),
    ("用户@例子。广告 and ｊｏｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "[email] and [email]"),
    ("a1234567@x.io (an address's digits)", "[email] (an address's digits)"),
    # ordinary text stays
    ("order 123456, paid 1234.56 at 10:30",) * 2,
    ("open 24/7, from 10:30-11:45 on 2.3.2026",) * 2,
    ("rated 9/10, 3 times, 45 minutes",) * 2,
    # masked anyway: their digits cannot be told from a phone number's
    ("on 2026-03-02 and 02/03/2026", "on [number] and [number]"),
    ("paid 1234567.89", "paid [number]"),
]  # fmt: skip


# ----------------------------------------------------------------------- the tests


@untraced  # Hypothesis's engine; the masking is SQL, not opsmart's Python
@settings(max_examples=400, deadline=None)
@given(comments())
def test_no_identifier_survives_and_no_word_is_lost(
    connection: duckdb.DuckDBPyConnection,
    mask_pii_sql: str,
    comment: tuple[str, str],
) -> None:
    text, expected = comment
    masked = mask(connection, mask_pii_sql, text)
    assert masked == expected
    assert not re.search(r"\d|@|＠", masked)


@pytest.mark.parametrize(("text", "expected"), EXAMPLES)
def test_examples(
    connection: duckdb.DuckDBPyConnection, mask_pii_sql: str, text: str, expected: str
) -> None:
    assert mask(connection, mask_pii_sql, text) == expected


def test_null_stays_null(
    connection: duckdb.DuckDBPyConnection, mask_pii_sql: str
) -> None:
    assert mask(connection, mask_pii_sql, None) is None


def test_the_generator_phrases_stay_as_they_are(
    connection: duckdb.DuckDBPyConnection, mask_pii_sql: str
) -> None:
    phrases = [phrase for bank in PHRASES.values() for phrase in bank]
    assert phrases
    for phrase in phrases:
        assert mask(connection, mask_pii_sql, phrase) == phrase


# ------------------------------------------------- the same patterns in Java (Spark)


def sql_literals(sql: str) -> list[str]:
    """The string literals of DuckDB SQL, in order, unquoted."""
    return [m.replace("''", "'") for m in re.findall(r"'((?:[^']|'')*)'", sql)]


@pytest.mark.skipif(
    shutil.which("java") is None or shutil.which("javac") is None,
    reason="needs a JDK (java and javac) to run the patterns in Java",
)
def test_java_regex_masks_the_examples_alike(mask_pii_sql: str, tmp_path: Path) -> None:
    # Spark runs the same pattern text with java.util.regex (spark__replace_all_matches
    # only quotes it differently): each (pattern, replacement, 'g') of the DuckDB SQL,
    # in order, must give the same masked text in Java.
    literals = sql_literals(mask_pii_sql)
    pairs = [literals[i : i + 2] for i in range(0, len(literals), 3)]
    assert [replacement for _, replacement in pairs] == ["[email]", "[number]"]
    texts = [text for text, _ in EXAMPLES]
    (tmp_path / "in").write_text("\0".join(texts), encoding="utf-8")
    subprocess.run(
        [
            "java",
            str(Path(__file__).with_name("JavaRegexReplace.java")),
            str(tmp_path / "in"),
            str(tmp_path / "out"),
            *(part for pair in pairs for part in pair),
        ],
        check=True,
    )
    masked = (tmp_path / "out").read_text(encoding="utf-8").split("\0")
    assert masked == [expected for _, expected in EXAMPLES]
