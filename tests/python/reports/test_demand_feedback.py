"""seeds/feedback_themes.csv covers the demo generator's comment phrase bank.

rpt_customer_feedback matches a keyword when the masked comment contains it as whole
words, case-insensitively, a space matching any white space (macro matches_keyword).
The same rule in Python must find a theme for every phrase the generator writes, so
the demo has no `unthemed` comments (masking leaves the phrases as they are:
tests/python/privacy/test_mask_pii.py); and a few tricky strings pin the word
boundaries.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from opsmart.synth.surveys import PHRASES

SEED = Path(__file__).resolve().parents[3] / "seeds" / "feedback_themes.csv"


def _themes() -> list[tuple[str, str, str]]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        return [
            (row["keyword"], row["theme"], row["owning_department"])
            for row in csv.DictReader(handle)
        ]


def _matched_themes(comment: str) -> set[str]:
    """Themes whose keywords the comment contains as whole words (macro's rule)."""
    return {
        theme
        for keyword, theme, _ in _themes()
        if re.search(r"(?i)\b" + keyword.replace(" ", r"\s+") + r"\b", comment)
    }


@pytest.mark.parametrize(
    "phrase", [phrase for bank in PHRASES.values() for phrase in bank]
)
def test_every_generator_phrase_has_a_theme(phrase: str) -> None:
    assert _matched_themes(phrase), phrase


def test_each_theme_has_one_department_and_keywords_are_plain() -> None:
    departments: dict[str, set[str]] = {}
    for keyword, theme, department in _themes():
        departments.setdefault(theme, set()).add(department)
        assert re.fullmatch(r"[a-z0-9][a-z0-9 '-]*[a-z0-9]", keyword), keyword
    assert all(len(owners) == 1 for owners in departments.values())
    assert "unthemed" not in departments


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("Happy customer", set()),  # "app" is not in "Happy"
        ("Unfriendly staff", {"rude_agent"}),  # "friendly" is not in "Unfriendly"
        ("On HOLD   time for ages", {"long_wait"}),  # case and white space
        ("The APP crashed twice", {"app_bug"}),
        ("Nothing to say", set()),
    ],
)
def test_word_boundaries(comment: str, expected: set[str]) -> None:
    assert _matched_themes(comment) == expected
