"""Hypothesis strategies for comments with personal data in them, shared by the
masking rule's test and the public-outputs test (issue 15).

The formats are the ones that slipped through before: spaces or slashes around
separators, brackets, full-width and other Unicode digits, + country codes, Unicode
and single-label domains.
"""

# Full-width and other look-alike characters are what these strategies are about.
# ruff: noqa: RUF001

from __future__ import annotations

from typing import TypeVar

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

T = TypeVar("T")

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
def identified_comments(draw: st.DrawFn) -> tuple[str, str, tuple[str, ...]]:
    """(comment, the comment as it must read masked, the identifiers in it): words
    around identifiers."""
    words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)
    text: list[str] = draw(st.lists(st.sampled_from(WORDS), max_size=3))
    expected = list(text)
    identifiers: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        identifier, token = draw(IDENTIFIERS)
        trailer = draw(st.sampled_from(TRAILERS))
        text.append(identifier + trailer)
        expected.append(token + trailer)
        identifiers.append(identifier)
        between = draw(words)  # a word between identifiers keeps them apart
        text += between
        expected += between
    return " ".join(text), " ".join(expected), tuple(identifiers)


def comments() -> st.SearchStrategy[tuple[str, str]]:
    """(comment, the comment as it must read masked)."""
    return identified_comments().map(lambda c: (c[0], c[1]))


def examples_of(strategy: st.SearchStrategy[T], count: int) -> list[T]:
    """`count` examples of `strategy`, the same on every run (derandomized), for a
    fixture that is built once rather than once per example."""
    found: list[T] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: T) -> None:
        found.append(example)

    collect()
    return found
