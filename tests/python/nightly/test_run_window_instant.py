"""The run window's pre-filter on the raw instant keeps exactly the rows of the window.

In a nightly run the staging views' tests and the models reading them
(int_contacts_classified, int_agent_intervals_costed) filter on a UTC wall clock
that the view computes from raw's TIMESTAMPTZ (to_utc); `in_run_window(...,
instant_column=...)` also compares that TIMESTAMPTZ itself, as raw holds it, so that
DuckDB skips the older row groups without converting them. The pre-filter must keep
the same rows as the exact filter, alone and together with it: here instants around
the cutoff down to the microsecond, in a UTC session and in one whose zone changes
to summer time on the window's first day (a bound computed by subtracting days in
the session's calendar would be an hour off there). The SQL is the macro's,
compiled by dbt with a run window set.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import duckdb
import pytest

from shared_helpers import SeedParse, compile_queries

#: Sunday 2026-03-08: New York springs forward that day.
WINDOW_START = date(2026, 3, 8)
#: in_run_window's (margin_days, is_utc_instant): the staging tests' filter, the
#: interval models' (one day wider) and int_contacts_classified's with a margin.
CASES = ((0, False), (0, True), (2, True), (7, False))
SESSION_ZONES = ("UTC", "America/New_York", "Pacific/Kiritimati")

QUERIES = "\n".join(
    f"-- query: case{i}\n"
    f"{{{{ in_run_window('ts', {margin}, is_utc_instant={utc}, "
    f"instant_column='inst') }}}}"
    for i, (margin, utc) in enumerate(CASES)
)

#: Offsets from a UTC midnight: either side of it to the microsecond, and the
#: hours at which a local midnight falls in a zone at -12:00..+14:00.
NEAR = tuple(
    sign * step
    for step in (
        timedelta(0),
        timedelta(microseconds=1),
        timedelta(seconds=1),
        timedelta(hours=1),
        timedelta(hours=5),
        timedelta(hours=12),
        timedelta(hours=14),
        timedelta(days=1) - timedelta(microseconds=1),
    )
    for sign in (1, -1)
)


def _instants(cutoff: date) -> list[datetime]:
    """Instants from three days before `cutoff` to the day after it: every 37
    minutes, and near each UTC midnight."""
    start = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    every = [start + timedelta(minutes=37 * n) for n in range(-117, 40)]
    midnights = [start + timedelta(days=n) for n in range(-3, 2)]
    return every + [midnight + near for midnight in midnights for near in NEAR]


@pytest.fixture(scope="module")
def predicates(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
    seed_parse: SeedParse,
) -> list[str]:
    """The predicate in_run_window renders for each case, in a nightly run."""
    monkeypatch_module.setenv("OPSMART_RUN_WINDOW_START", WINDOW_START.isoformat())
    compiled = compile_queries(
        QUERIES, seed_parse(tmp_path_factory.mktemp("run_window_compile"))
    )
    assert len(compiled) == len(CASES)
    return list(compiled.values())


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.parametrize("zone", SESSION_ZONES)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_instant_prefilter_keeps_exactly_the_window(
    predicates: list[str], case: int, zone: str
) -> None:
    margin, utc = CASES[case]
    predicate = predicates[case]
    prefilter = predicate.split(" and ")[0]
    assert prefilter.startswith("inst >="), predicate  # the pre-filter is there
    cutoff = WINDOW_START - timedelta(days=margin + (1 if utc else 0))
    with duckdb.connect() as connection:
        connection.execute(f"set TimeZone = '{zone}'")
        connection.execute(
            "create table rows as select inst, timezone('UTC', inst) as ts "
            "from unnest(cast(? as timestamptz[])) as t(inst)",
            [_instants(cutoff)],
        )
        exact = f"ts >= timestamp '{cutoff}'"

        def kept(where: str) -> list[tuple[object, ...]]:
            return connection.execute(
                f"select inst from rows where {where} order by inst"
            ).fetchall()

        expected = kept(exact)
        assert kept(prefilter) == expected  # exact on its own
        assert kept(predicate) == expected
        dropped = len(kept("true")) - len(expected)
        at_cutoff = kept(f"{exact} and ts < timestamp '{cutoff}' + interval 1 second")
    assert dropped > 0 and expected  # rows on both sides of the cutoff
    assert at_cutoff  # the midnight itself is in the window
