"""The data span's edge rows, found by text, hold the first and last local date.

int_customers_expanded_to_months finds the months the contact data covers: the
first and last local date of every contact in its queue's zone. It parses only the
contacts whose delivered text is dated within 3 days of the first or last text date
(macro near_text_date_edges), so the nightly run does not parse the whole history.
The first and last local dates must be the same as over every row, for every set of
texts the load lets into raw (checked with its own rules) and every queue zone: here
the worst cases (text offsets of +-14:00 against zones at +14:00 and -12:00, 24:00,
at a month's edge), leading white space, and many random sets of texts and zones
around the edges. With 2 days of slack the worst cases come out a month off, so the
test fails if the slack is cut. The SQL is the macros', compiled by dbt.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta

import duckdb
import pytest
from nightly_helpers import loadable_timestamps

from shared_helpers import SeedParse, compile_inline

#: The extreme queue zones (+14:00, -12:00), and some between.
ZONES = (
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "UTC",
    "Asia/Kathmandu",
    "America/New_York",
)
QUERIES = """-- query: edges
{{ near_text_date_edges('contacts', 'txt', ['txt', 'zone']) }}
-- query: edges_less_slack
{{ near_text_date_edges('contacts', 'txt', ['txt', 'zone'], days=2) }}
-- query: local_date
{{ local_date(to_utc('txt'), 'zone') }}
"""

#: The first date: "01-30 23:59:59-14:00" is Feb 1 at +14:00, and the one contact
#: in January (Jan 31 at -12:00) is delivered as Feb 2 at +14:00, three days after
#: the first text date.
FIRST_EDGE = (
    ("2025-01-30T23:59:59-14:00", "Pacific/Kiritimati"),
    ("2025-02-02T00:00:00+14:00", "Etc/GMT+12"),
    ("2025-02-20T12:00:00Z", "UTC"),
)
#: The same with the first text at 24:00 of Jan 30 (Jan 31, 14:00 UTC).
FIRST_EDGE_2400 = (
    ("2025-01-30T24:00:00-14:00", "Pacific/Kiritimati"),
    ("2025-02-02T00:00:00+1400", "Etc/GMT+12"),
    ("2025-02-20T12:00:00Z", "UTC"),
)
#: The last date, mirrored: "03-02 00:00+14:00" is Feb 28 at -12:00, and the one
#: contact in March (Mar 1 at +14:00) is delivered as Feb 27 at -14:00.
LAST_EDGE = (
    ("2025-02-10T12:00:00Z", "UTC"),
    ("2025-02-27T23:59:59-14:00", "Pacific/Kiritimati"),
    ("2025-03-02T00:00:00+14:00", "Etc/GMT+12"),
)
#: A text led by white space is never compared by its date: kept, and here it is
#: the first date (and a tab-led one the last).
BLANKS = (
    ("  2024-12-31T12:00:00Z", "UTC"),
    ("2025-01-15T12:00:00Z", "UTC"),
    ("\t2025-02-01T00:30:00+01:00", "America/New_York"),
)
#: Only texts led by white space: no text date to compare with, every row is read.
ONLY_BLANKS = (
    ("  2025-01-15T12:00:00Z", "UTC"),
    ("\t2025-02-01T00:30:00+01:00", "UTC"),
)

TIMES = ("00:00:00", "09:59:59", "10:00:00", "13:59:59.999", "23:59:59", "24:00:00")
OFFSETS = ("", "Z", "+14:00", "-14:00", "-12:00", "+05:45", "-1400")


@pytest.fixture(scope="module")
def sql(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> dict[str, str]:
    """The edge rows (3 days, and 2) and the model's local date, compiled."""
    compiled = compile_inline(
        QUERIES, seed_parse(tmp_path_factory.mktemp("data_span_compile"))
    )
    parts = re.split(r"^-- query: (\w+)$", compiled, flags=re.MULTILINE)[1:]
    names, bodies = parts[::2], parts[1::2]
    return {name: body.strip() for name, body in zip(names, bodies, strict=True)}


@pytest.fixture(scope="module")
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        yield connection


def _span(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[str, str], ...],
    select: str = "select * from contacts",
) -> tuple[date, date]:
    """First and last local date of the `rows` (text, queue zone) that `select`
    reads from them (as table `contacts`)."""
    connection.execute("create or replace table contacts (txt varchar, zone varchar)")
    connection.executemany("insert into contacts values (?, ?)", list(rows))
    found = connection.execute(
        f"select min({sql['local_date']}), max({sql['local_date']}) from ({select})"
    ).fetchone()
    assert found is not None
    return found[0], found[1]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (FIRST_EDGE, (date(2025, 1, 31), date(2025, 2, 20))),
        (FIRST_EDGE_2400, (date(2025, 1, 31), date(2025, 2, 20))),
        (LAST_EDGE, (date(2025, 2, 10), date(2025, 3, 1))),
        (BLANKS, (date(2024, 12, 31), date(2025, 1, 31))),
        (ONLY_BLANKS, (date(2025, 1, 15), date(2025, 1, 31))),
    ],
    ids=["first", "first_at_24_00", "last", "white_space", "only_white_space"],
)
def test_the_edges_keep_the_first_and_last_date(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[str, str], ...],
    expected: tuple[date, date],
) -> None:
    texts = [text for text, _ in rows]
    assert loadable_timestamps(connection, texts) == texts  # all pass the load
    assert _span(connection, sql, rows) == expected
    assert _span(connection, sql, rows, sql["edges"]) == expected


@pytest.mark.parametrize("rows", [FIRST_EDGE, FIRST_EDGE_2400, LAST_EDGE])
def test_two_days_of_slack_miss_a_month(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[str, str], ...],
) -> None:
    exact = _span(connection, sql, rows)
    short = _span(connection, sql, rows, sql["edges_less_slack"])
    months = {(d.year, d.month) for d in exact}
    assert {(d.year, d.month) for d in short} != months


def test_random_sets_around_the_edges_keep_the_span(
    connection: duckdb.DuckDBPyConnection, sql: dict[str, str]
) -> None:
    first = date(2025, 1, 30)
    days = [(first + timedelta(days=n)).isoformat() for n in range(12)]
    candidates = [
        f"{day}T{time}{offset}"
        for day, time, offset in itertools.product(days, TIMES, OFFSETS)
    ]
    candidates += [f" {text}" for text in candidates[::7]]
    texts = loadable_timestamps(connection, candidates)
    assert len(texts) > 200
    rng = random.Random(19)
    dropped = 0
    for _ in range(400):
        rows = tuple(
            (text, rng.choice(ZONES)) for text in rng.sample(texts, rng.randint(2, 8))
        )
        assert _span(connection, sql, rows, sql["edges"]) == _span(
            connection, sql, rows
        ), rows
        kept = connection.execute(f"select distinct * from ({sql['edges']})")
        dropped += len(set(rows)) - len(kept.fetchall())
    assert dropped > 0  # rows far from both ends are dropped: the edges are tested
