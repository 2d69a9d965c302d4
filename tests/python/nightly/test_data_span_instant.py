"""The data span's edge rows, found by instant, hold the first and last local date.

int_customers_expanded_to_months finds the months the contact data covers: the
first and last local date of every contact in its queue's zone. It dates only the
contacts within 26 hours of the first or last instant (macro near_instant_edges),
so the nightly run does not convert the whole history. The first and last local
dates must be the same as over every row, for every set of instants and queue
zones: here the worst cases (zones at +14:00 and -12:00, a microsecond from a
midnight, at a month's edge) and many random sets of instants and zones around the
edges. With 25 hours of margin the worst cases come out a month off, so the test
fails if the margin is cut. The SQL is the macros', compiled by dbt.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from shared_helpers import SeedParse, compile_queries

#: The extreme queue zones (+14:00, -12:00), and some between.
ZONES = (
    "Pacific/Kiritimati",
    "Etc/GMT+12",
    "UTC",
    "Asia/Kathmandu",
    "America/New_York",
)
QUERIES = """-- query: edges
{{ near_instant_edges('contacts', 'inst', ['inst', 'zone']) }}
-- query: edges_less_margin
{{ near_instant_edges('contacts', 'inst', ['inst', 'zone'], hours=25) }}
-- query: local_date
{{ local_date(to_utc('inst'), 'zone') }}
"""


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


#: The first date: the first instant is Feb 1, 00:00 at +14:00, and the one contact
#: in January (Jan 31, 23:59:59.999999 at -12:00) is 25 h 59 min 59.999999 s later.
FIRST_EDGE = (
    (_utc("2025-01-31T10:00:00Z"), "Pacific/Kiritimati"),
    (_utc("2025-02-01T11:59:59.999999Z"), "Etc/GMT+12"),
    (_utc("2025-02-20T12:00:00Z"), "UTC"),
)
#: The last date, mirrored: the last instant is Feb 28, 23:59:59.999999 at -12:00,
#: and the one contact in March (Mar 1, 00:00 at +14:00) is 25 h 59 min 59.999999 s
#: earlier.
LAST_EDGE = (
    (_utc("2025-02-10T12:00:00Z"), "UTC"),
    (_utc("2025-02-28T10:00:00Z"), "Pacific/Kiritimati"),
    (_utc("2025-03-01T11:59:59.999999Z"), "Etc/GMT+12"),
)
#: One contact only: it is both edges.
ONE = ((_utc("2025-02-01T11:00:00Z"), "Etc/GMT+12"),)


@pytest.fixture(scope="module")
def sql(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> dict[str, str]:
    """The edge rows (26 hours, and 25) and the model's local date, compiled."""
    return compile_queries(
        QUERIES, seed_parse(tmp_path_factory.mktemp("data_span_compile"))
    )


@pytest.fixture(scope="module")
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        yield connection


def _span(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[datetime, str], ...],
    select: str = "select * from contacts",
) -> tuple[date, date]:
    """First and last local date of the `rows` (instant, queue zone) that `select`
    reads from them (as table `contacts`)."""
    connection.execute(
        "create or replace table contacts (inst timestamptz, zone varchar)"
    )
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
        (LAST_EDGE, (date(2025, 2, 10), date(2025, 3, 1))),
        (ONE, (date(2025, 1, 31), date(2025, 1, 31))),
    ],
    ids=["first", "last", "one"],
)
def test_the_edges_keep_the_first_and_last_date(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[datetime, str], ...],
    expected: tuple[date, date],
) -> None:
    assert _span(connection, sql, rows) == expected
    assert _span(connection, sql, rows, sql["edges"]) == expected


@pytest.mark.parametrize("rows", [FIRST_EDGE, LAST_EDGE], ids=["first", "last"])
def test_25_hours_of_margin_miss_a_month(
    connection: duckdb.DuckDBPyConnection,
    sql: dict[str, str],
    rows: tuple[tuple[datetime, str], ...],
) -> None:
    exact = _span(connection, sql, rows)
    short = _span(connection, sql, rows, sql["edges_less_margin"])
    months = {(d.year, d.month) for d in exact}
    assert {(d.year, d.month) for d in short} != months


def test_random_sets_around_the_edges_keep_the_span(
    connection: duckdb.DuckDBPyConnection, sql: dict[str, str]
) -> None:
    first = datetime(2025, 1, 30, tzinfo=UTC)
    rng = random.Random(19)
    dropped = 0
    for _ in range(400):
        rows = tuple(
            (
                first + timedelta(microseconds=rng.randrange(12 * 86_400_000_000)),
                rng.choice(ZONES),
            )
            for _ in range(rng.randint(2, 8))
        )
        assert _span(connection, sql, rows, sql["edges"]) == _span(
            connection, sql, rows
        ), rows
        kept = connection.execute(f"select distinct * from ({sql['edges']})")
        dropped += len(set(rows)) - len(kept.fetchall())
    assert dropped > 0  # rows far from both ends are dropped: the edges are tested
