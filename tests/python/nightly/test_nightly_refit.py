"""The whole-history statistics are refitted on a schedule, not every night.

Unit: the schedule (`plan_refit`) and its var. Pipeline: a center built on day 7,
then run on day 8 and day 10 with refits every 2 days: day 8 keeps the statistics of
day 7 (and says so), day 10 refits them; the daily marts move every night.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from nightly_helpers import START, TIMEZONE, Deliver, public_tables

from opsmart.cli import main
from opsmart.nightly.refit import plan_refit, refit_days

DAY = {n: START + timedelta(days=n - 1) for n in (7, 8, 10)}
STATISTICS = ("reports.rpt_wait_churn_effects", "reports.rpt_wait_experience_curve")


def test_a_full_build_or_an_unknown_last_refit_refits() -> None:
    day = date(2026, 3, 8)
    assert plan_refit(full_refresh=True, run_date=day, last=day, every_days=7).refitted
    assert plan_refit(
        full_refresh=False, run_date=day, last=None, every_days=7
    ).refitted


def test_a_refit_is_due_every_days_after_the_last() -> None:
    last = date(2026, 3, 8)

    def on(day: date, every_days: int = 7) -> Any:
        return plan_refit(
            full_refresh=False, run_date=day, last=last, every_days=every_days
        )

    kept = on(date(2026, 3, 14))
    assert (kept.refitted, kept.as_of, kept.next_due) == (
        False,
        last,
        date(2026, 3, 15),
    )
    assert "kept as of 2026-03-08" in kept.describe()
    assert "next on 2026-03-15" in kept.describe()
    due = on(date(2026, 3, 15))
    assert (due.refitted, due.as_of) == (True, date(2026, 3, 15))
    assert on(date(2026, 3, 8), every_days=0).refitted  # 0: every run
    assert not on(date(2026, 3, 1)).refitted  # a backfill before the last refit


@pytest.mark.parametrize("value", [-1, 1.5, "7", True])
def test_the_var_is_a_whole_number_of_days(value: object) -> None:
    with pytest.raises(ValueError, match="history_statistics_refit_days"):
        refit_days({"history_statistics_refit_days": value})
    assert refit_days({"history_statistics_refit_days": 3}) == 3


@pytest.mark.pipeline
def test_nights_between_refits_keep_the_statistics_and_say_as_of_when(
    tmp_path: Path, deliver: Deliver
) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "published" / "opsmart.duckdb"
    vars_ = json.dumps(
        {"reporting_timezone": TIMEZONE, "history_statistics_refit_days": 2}
    )
    states, logs = {}, {}
    for day in (7, 8, 10):
        deliver(landing, day)
        argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
        assert main([*argv, "--vars", vars_, "--date", DAY[day].isoformat()]) == 0
        states[day] = public_tables(warehouse)
        (logs[day],) = [
            json.loads(path.read_text(encoding="utf-8"))
            for path in (warehouse.parent / "runs").glob("*.json")
            if json.loads(path.read_text(encoding="utf-8"))["run_date"]
            == DAY[day].isoformat()
        ]

    def said(day: int) -> tuple[bool, str]:
        statistics = logs[day]["history_statistics"]
        return statistics["refitted"], statistics["as_of"]

    assert said(7) == (True, DAY[7].isoformat())  # the first run builds everything
    assert said(8) == (False, DAY[7].isoformat())  # one day after: kept
    assert said(10) == (True, DAY[10].isoformat())  # three days after: refitted
    for name in STATISTICS:
        assert states[8][name] == states[7][name], name
    assert (
        states[10]["reports.rpt_wait_experience_curve"]
        != states[7]["reports.rpt_wait_experience_curve"]
    )
    # the daily marts move every night, refit or not
    assert states[8]["marts.fct_contacts"] != states[7]["marts.fct_contacts"]
