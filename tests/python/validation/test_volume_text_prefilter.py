"""The volume suites find a day's raw rows by their text before parsing them.

`_text_dated` lets DuckDB skip the raw rows far from the run date without parsing
their timestamps; the rows it keeps must include every row whose local date (in
the center's zone) is in the range, for every text the load lets into raw: dates
around the run date at times up to 24:00, offsets up to +-14:00, none, leading
white space; and zones at both ends of the clock.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import duckdb
import pytest

from opsmart.contract import SOURCES
from opsmart.ingest.rules import type_rules
from opsmart.validation.suites._inputs import _local_date, _text_dated

RUN_DATE = date(2026, 3, 8)
TIMES = ("00:00:00", "09:59:59", "10:00:00", "13:59:59", "14:00:00", "24:00:00")
OFFSETS = ("", "Z", "+14:00", "-14:00", "+1400", "-12", "+05:30")
ZONES = ("UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York")


def _texts() -> list[str]:
    days = [(RUN_DATE + timedelta(days=n)).isoformat() for n in range(-6, 7)]
    texts = [
        f"{day}T{time}{offset}"
        for day, time, offset in itertools.product(days, TIMES, OFFSETS)
    ]
    return [*days, *texts, *(f"  {text}" for text in texts)]


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(("first", "last"), [(0, 0), (-3, -1), (2, 2)])
def test_the_text_prefilter_keeps_every_row_of_the_days(
    zone: str, first: int, last: int
) -> None:
    column = next(c for c in SOURCES["contacts"] if c.name == "arrived_at")
    broken = " or ".join(f"coalesce({r.when}, false)" for r in type_rules((column,)))
    days = f"between $run_date + {first} and $run_date + {last}"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(
            "create table loaded as select arrived_at from (select arrived_at, "
            "struct_pack(arrived_at := try_cast(arrived_at as timestamptz)) as v "
            f"from unnest(?) as t(arrived_at)) where not ({broken})",
            [_texts()],
        )
        parameters = {"run_date": RUN_DATE, "timezone": zone}
        exact = f"{_local_date('arrived_at')} {days}"
        prefilter = _text_dated(
            "arrived_at", f"$run_date + {first}", f"$run_date + {last}"
        )
        rows = connection.execute(
            "select count(*) filter (where " + exact + "), "
            f"count(*) filter (where {prefilter} and {exact}), "
            f"count(*) filter (where not {prefilter}), count(*) from loaded",
            parameters,
        ).fetchone()
    assert rows is not None
    in_days, kept, skipped, loaded = rows
    assert loaded > 1000
    assert in_days > 0
    assert kept == in_days  # no row of the days is lost
    assert skipped > 0  # and rows far from them are skipped unparsed
