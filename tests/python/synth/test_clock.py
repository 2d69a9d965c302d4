"""The generated center lives on its zone's clock, through daylight-saving changes."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from synth_helpers import read_source

from opsmart.synth import GenerateSummary, generate
from opsmart.synth.clock import LocalClock

NEW_YORK = "America/New_York"


def test_a_day_without_dst_is_86400_seconds() -> None:
    clock = LocalClock("Asia/Seoul", date(2026, 3, 2), 5)
    assert [clock.midnight(d) for d in range(6)] == [d * 86_400 for d in range(6)]
    assert clock.iso([0, 86_399]) == [
        "2026-03-02T00:00:00+09:00",
        "2026-03-02T23:59:59+09:00",
    ]
    assert clock.day_bins(0).tolist() == list(range(96))


def test_spring_forward_day_has_23_hours_and_no_two_oclock() -> None:
    clock = LocalClock(NEW_YORK, date(2026, 3, 7), 3)  # 03-08 is the change
    assert [clock.day_seconds(d) for d in range(3)] == [86_400, 82_800, 86_400]
    bins = clock.day_bins(1)
    assert bins.size == 92  # 15-minute bins of 23 hours
    assert not np.isin([8, 9, 10, 11], bins).any()  # 02:00-02:59 never happens
    # 02:00 EST is 07:00Z: the second before reads 01:59:59-05:00, then 03:00-04:00
    change = clock.midnight(1) + 2 * 3600
    assert clock.iso([change - 1, change]) == [
        "2026-03-08T01:59:59-05:00",
        "2026-03-08T03:00:00-04:00",
    ]
    # a shift planned at 02:15 (wall bin 9) starts when the clock jumps past it
    assert clock.bin_start(1, 9) == change
    assert clock.day_of([clock.midnight(1) - 1, clock.midnight(1)]).tolist() == [0, 1]


def test_fall_back_day_has_25_hours_and_one_oclock_twice() -> None:
    clock = LocalClock(NEW_YORK, date(2026, 10, 31), 3)  # 11-01 is the change
    assert clock.day_seconds(1) == 90_000
    bins = clock.day_bins(1).tolist()
    assert len(bins) == 100 and bins[4:12] == [4, 5, 6, 7, 4, 5, 6, 7]
    one = clock.midnight(1) + 3600
    assert clock.iso([one, one + 3600]) == [
        "2026-11-01T01:00:00-04:00",
        "2026-11-01T01:00:00-05:00",
    ]
    # wall-clock 08:00 comes 9 elapsed hours after midnight that day
    assert clock.bin_start(1, 32) == clock.midnight(1) + 9 * 3600


def test_half_hour_offsets_and_bad_zones() -> None:
    clock = LocalClock("Asia/Kolkata", date(2026, 3, 2), 1)
    assert clock.iso([0]) == ["2026-03-02T00:00:00+05:30"]
    assert int(clock.utc_epoch_seconds([0])[0]) == int(
        datetime.fromisoformat("2026-03-01T18:30:00+00:00").timestamp()
    )
    with pytest.raises(ValueError, match="`timezone` must be an IANA zone"):
        LocalClock("Mars/Olympus", date(2026, 3, 2), 1)


@pytest.fixture(scope="module")
def new_york(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
    return generate(
        tmp_path_factory.mktemp("new_york"),
        days=4,
        agents=10,
        seed=7,
        start_date=date(2026, 3, 6),
        timezone=NEW_YORK,
    )


def _local(text: pd.Series) -> pd.Series:
    """The wall-clock time written in ISO text with offset (offset dropped)."""
    return pd.to_datetime(text.str.slice(0, 19))


def test_opening_hours_follow_the_local_clock_across_dst(
    new_york: GenerateSummary,
) -> None:
    contacts = read_source(new_york.out_dir, "contacts")
    realtime = contacts[contacts["channel"].isin(["voice", "chat"])]
    local = _local(realtime["arrived_at"])
    # 08:00-20:00 local on both sides of the change (EST -05:00, then EDT -04:00)
    assert local.dt.hour.between(8, 19).all()
    offsets = realtime["arrived_at"].str.slice(19)
    by_day = offsets.groupby(local.dt.date).unique()
    assert list(by_day[date(2026, 3, 7)]) == ["-05:00"]
    assert list(by_day[date(2026, 3, 9)]) == ["-04:00"]
    shifts = read_source(new_york.out_dir, "agent_intervals")
    starts = _local(shifts["interval_start"])
    assert starts.dt.hour.min() == 8 and (starts.dt.minute % 15 == 0).all()
    for day in (date(2026, 3, 7), date(2026, 3, 9)):
        assert starts[starts.dt.date == day].min().hour == 8, day


def test_each_daily_file_holds_its_local_day(new_york: GenerateSummary) -> None:
    for path in sorted((new_york.out_dir / "contacts").glob("*.csv")):
        day = date.fromisoformat(path.stem.rsplit("_", 1)[-1])
        local = _local(pd.read_csv(path, dtype=str)["arrived_at"])
        assert (local.dt.date == day).all(), path.name
    # every timestamp is written with the offset in force at its instant: none in
    # the skipped hour, none with the other side's offset
    written = read_source(new_york.out_dir, "contacts")["arrived_at"]
    zone = ZoneInfo(NEW_YORK)
    assert [
        datetime.fromisoformat(text).astimezone(zone).isoformat() for text in written
    ] == list(written)


def test_truth_names_the_zone_and_its_dst_day(new_york: GenerateSummary) -> None:
    truth = json.loads((Path(new_york.out_dir) / "truth.json").read_text())
    zone = truth["timezone"]
    assert zone["name"] == NEW_YORK
    assert zone["utc_offsets"] == ["-04:00", "-05:00"]
    assert zone["days_not_24_hours"] == {"2026-03-08": 23.0}
