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
from hypothesis import strategies as st

from opsmart.synth.surveys import PHRASES

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


# ------------------------------------------------------- what comments are made of

#: Words of ordinary comments: no digit, no @, some not ASCII.
WORDS = (
    "the", "hold", "time", "was", "too", "long", "call", "me", "back", "on", "or",
    "mail", "my", "card", "number", "is", "refund", "please", "thanks", "app",
    "crashed", "again", "Grüße", "merci", "señor", "電話", "ありがとう", "спасибо",
    "bill,", "wrong!", "now.", "ok?", "(sorry)", "a-b", "e.g.",
)  # fmt: skip

#: What follows an identifier directly: nothing, or sentence punctuation.
TRAILERS = ("", ".", ",", "!", "?", ")", ";", ":")

#: One digit of any script: ASCII, full-width, Arabic-Indic, Devanagari, ...
DIGITS = st.characters(categories=("Nd",))

#: What people put between digit groups, with spaces around them or not.
SEPARATORS = (
    "", " ", "-", ".", "/", " - ", " / ", " . ", "- ", " -",
    "\u00a0", "\u2009", "\u3000", "\u2013", "\u2212", "\uff0d", "\uff0e", "\uff0f",
)  # fmt: skip


@st.composite
def digit_groups(draw: st.DrawFn, lengths: list[int]) -> list[str]:
    return ["".join(draw(st.lists(DIGITS, min_size=n, max_size=n))) for n in lengths]


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """National or international: +country code, (area code), 2 to 5 groups."""
    lengths = draw(st.lists(st.integers(2, 4), min_size=2, max_size=5))
    while sum(lengths) < 7:
        lengths.append(draw(st.integers(2, 4)))
    groups = draw(digit_groups(lengths))
    opening, closing = draw(st.sampled_from([("", ""), ("(", ")"), ("（", "）")]))
    number = opening + groups[0] + closing
    for group in groups[1:]:
        number += draw(st.sampled_from(SEPARATORS)) + group
    plus = draw(st.sampled_from(["", "+", "＋", "(+"]))
    if plus:
        country = "".join(draw(st.lists(DIGITS, min_size=1, max_size=3)))
        close = ")" if plus == "(+" else ""
        gap = draw(st.sampled_from(["", " ", "-", "\u00a0"]))
        number = plus + country + close + gap + number
    return number


@st.composite
def card_numbers(draw: st.DrawFn) -> str:
    """13 to 19 digits in groups of four, one separator repeated."""
    total = draw(st.integers(13, 19))
    groups = draw(digit_groups([4] * (total // 4) + ([total % 4] if total % 4 else [])))
    return draw(st.sampled_from(SEPARATORS)).join(groups)


_LOCAL_SYMBOLS = st.sampled_from(list("._%+-!#$&'*/=?^`{|}~"))
_LABEL = st.text(
    st.characters(categories=("L", "Nd")) | st.just("-"), min_size=1, max_size=12
)


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """Local part and labels in any script; one label (root@localhost) or more."""
    local = draw(
        st.text(
            st.characters(categories=("L", "Nd")) | _LOCAL_SYMBOLS,
            min_size=1,
            max_size=16,
        )
    )
    labels = draw(st.lists(_LABEL, min_size=1, max_size=3))
    dot = draw(st.sampled_from([".", "。", "．"]))
    return local + draw(st.sampled_from(["@", "＠"])) + dot.join(labels)


IDENTIFIERS = st.one_of(
    phone_numbers().map(lambda s: (s, "[number]")),
    card_numbers().map(lambda s: (s, "[number]")),
    email_addresses().map(lambda s: (s, "[email]")),
)


@st.composite
def comments(draw: st.DrawFn) -> tuple[str, str]:
    """(comment, the comment as it must read masked): words around identifiers."""
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)
    text: list[str] = draw(st.lists(st.sampled_from(WORDS), max_size=3))
    expected = list(text)
    for _ in range(draw(st.integers(1, 3))):
        identifier, token = draw(IDENTIFIERS)
        trailer = draw(st.sampled_from(TRAILERS))
        text.append(identifier + trailer)
        expected.append(token + trailer)
        between = draw(words)  # a word between identifiers keeps them apart
        text += between
        expected += between
    return " ".join(text), " ".join(expected)


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
