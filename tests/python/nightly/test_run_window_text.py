"""The run window's pre-filter on delivered text keeps exactly the rows of the window.

In a nightly run the staging views' tests and the models reading them
(int_contacts_classified, int_agent_intervals_costed) filter on a parsed UTC
timestamp; `in_run_window(..., text_column=...)` first compares the timestamp's text
as delivered, so that DuckDB skips the older rows without parsing them. The rows kept
must be the same as with the exact filter alone, for every text the load lets into
raw: here every combination of dates around the cutoff, times of day up to 24:00,
offsets up to +-14:00, no offset, a date alone and leading white space, kept only if
it passes the load's own timestamp rules. The SQL is the macro's, compiled by dbt
with a run window set.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, timedelta

import duckdb
import pytest
from nightly_helpers import loadable_timestamps

from shared_helpers import SeedParse, compile_inline

WINDOW_START = date(2026, 3, 8)
#: in_run_window's (margin_days, is_utc_instant): the staging tests' filter, the
#: interval models' (one day wider) and int_contacts_classified's with a margin.
CASES = ((0, False), (0, True), (2, True), (7, False))

QUERIES = "\n".join(
    f"-- query: case{i}\n"
    f"{{{{ in_run_window('ts', {margin}, is_utc_instant={utc}, text_column='txt') }}}}"
    for i, (margin, utc) in enumerate(CASES)
)

TIMES = (
    "00:00:00",
    "09:59:59",
    "10:00:00",
    "13:59:59.999999",
    "14:00:00",
    "23:59:59",
    "24:00:00",
)
OFFSETS = ("", "Z", "+00:00", "+14:00", "-14:00", "+1400", "-14", "-09:30", "+05")


def _texts(cutoff: date) -> list[str]:
    """Timestamp texts from three days before `cutoff` to the day after it."""
    days = [(cutoff + timedelta(days=n)).isoformat() for n in range(-3, 2)]
    texts = list(days)  # a date alone: midnight UTC
    for day, time, offset, sep in itertools.product(days, TIMES, OFFSETS, "T "):
        texts.append(f"{day}{sep}{time}{offset}")
    return texts + [f"  {text}" for text in texts] + [f"\t{days[2]}T10:00:00-14:00"]


@pytest.fixture(scope="module")
def predicates(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
    seed_parse: SeedParse,
) -> list[str]:
    """The predicate in_run_window renders for each case, in a nightly run."""
    monkeypatch_module.setenv("OPSMART_RUN_WINDOW_START", WINDOW_START.isoformat())
    compiled = compile_inline(
        QUERIES, seed_parse(tmp_path_factory.mktemp("run_window_compile"))
    )
    parts = re.split(r"^-- query: case\d+$", compiled, flags=re.MULTILINE)[1:]
    assert len(parts) == len(CASES)
    return [part.strip() for part in parts]


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_text_prefilter_keeps_exactly_the_window(
    predicates: list[str], case: int
) -> None:
    margin, utc = CASES[case]
    predicate = predicates[case]
    days = margin + (1 if utc else 0)
    cutoff = WINDOW_START - timedelta(days=days)
    assert "txt >=" in predicate, predicate  # the pre-filter is there
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        texts = loadable_timestamps(connection, _texts(cutoff))
        assert len(texts) > 1000
        connection.execute(
            "create table rows as select txt, "
            "timezone('UTC', cast(txt as timestamptz)) as ts from unnest(?) as t(txt)",
            [texts],
        )
        exact = f"ts >= timestamp '{cutoff}'"
        kept = connection.execute(
            f"select txt from rows where {predicate} order by txt"
        ).fetchall()
        expected = connection.execute(
            f"select txt from rows where {exact} order by txt"
        ).fetchall()
        # Rows the pre-filter must keep though their text's date is the day before
        # the cutoff: -14:00, and 24:00 of that day.
        edge = connection.execute(
            f"select count(*) from rows where {exact} and txt like ?",
            [f"%{cutoff - timedelta(days=1)}%"],
        ).fetchone()
        # Rows it drops unparsed: two days before the cutoff.
        early = connection.execute(
            f"select count(*) from rows where not ({predicate.split(' and ')[0]})"
        ).fetchone()
    assert kept == expected
    assert edge is not None and edge[0] > 0
    assert early is not None and early[0] > 0
