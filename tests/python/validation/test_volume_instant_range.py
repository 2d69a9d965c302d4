"""The volume suites find a day's raw rows by a range on the instant first.

`_near_local_days` lets DuckDB compare the stored instants (and skip row groups far
from the run date) before it computes any local date; the rows it keeps must
include every row whose local date in the center's zone is in the days asked for:
in zones at both ends of the clock, across a change of the clock at midnight
(America/Santiago) and one that turned the clock back across midnight
(America/St_Johns until 2010: 00:01 became 23:01 of the day before).
"""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from opsmart.validation.suites._inputs import _local_date, _near_local_days

CASES = [
    ("UTC", date(2026, 3, 8)),
    ("Pacific/Kiritimati", date(2026, 3, 8)),
    ("Etc/GMT+12", date(2026, 3, 8)),
    ("America/New_York", date(2026, 3, 8)),  # 02:00 -> 03:00
    ("America/Santiago", date(2026, 9, 6)),  # 00:00 -> 01:00
    ("America/St_Johns", date(2010, 11, 7)),  # 00:01 -> 23:01 of 6 November
]


@pytest.mark.parametrize(("zone", "run_date"), CASES)
@pytest.mark.parametrize(("first", "last"), [(0, 0), (-3, -1), (-1, -1), (2, 2)])
def test_the_instant_range_keeps_every_row_of_the_days(
    zone: str, run_date: date, first: int, last: int
) -> None:
    days = f"between $run_date + {first} and $run_date + {last}"
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        # an arrival every 5 minutes from 6 days before the run date to 7 after
        connection.execute(
            "create table raw_contacts as select unnest(range("
            "cast($run_date as timestamptz) - interval 6 day, "
            "cast($run_date as timestamptz) + interval 7 day, "
            "interval 5 minute)) as arrived_at",
            {"run_date": run_date},
        )
        exact = f"{_local_date('arrived_at')} {days}"
        prefilter = _near_local_days(
            "arrived_at", f"$run_date + {first}", f"$run_date + {last}"
        )
        rows = connection.execute(
            f"select count(*) filter (where {exact}), "
            f"count(*) filter (where {prefilter} and {exact}), "
            f"count(*) filter (where not {prefilter}) from raw_contacts",
            {"run_date": run_date, "timezone": zone},
        ).fetchone()
    assert rows is not None
    in_days, kept, skipped = rows
    assert in_days >= 12 * 23 * (last - first + 1)  # a day has 23 hours or more
    assert kept == in_days  # no row of the days is lost
    assert skipped > 0  # and rows far from them are skipped before being dated
