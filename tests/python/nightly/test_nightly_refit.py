"""The whole-history statistics are refitted on a schedule, not every night.

Unit: the schedule (`plan_refit`) and its var. Pipeline: a center built on day 7
(the first run, which refits whatever the var: the `first_run` fixture), then run on
day 8 and day 10 with refits every 2 days: day 8 keeps the statistics of day 7 (and
says so), day 10 refits them; the daily marts move every night. The
value-optimal staffing is incremental: it recomputes the rows whose inputs changed.
After day 7 the test stores other prices in the churn fit, as a refit would (this
small center has too few churned customers for a fit: its prices are the fallback
vars), so day 8 must recompute every old interval, and day 10's refit must bring
them back; after every run the table is exactly the staffing of every priced
interval as it then stands, bit for bit, with no stale row.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from nightly_helpers import START, TIMEZONE, Deliver, public_tables

from opsmart.cli import main
from opsmart.effects import interval_staffing
from opsmart.nightly.refit import plan_refit, refit_days

DAY = {n: START + timedelta(days=n - 1) for n in (7, 8, 10)}
STATISTICS = ("reports.rpt_wait_churn_effects", "reports.rpt_wait_experience_curve")
PRICED = "reports_prep.int_queue_intervals_priced"
STAFFING = "reports_prep.int_queue_interval_staffing_optimized"
KEYS = ["queue_id", "interval_start_at"]
#: The price of an unresolved contact (an abandon) of the fit stored after day 7:
#: not the fallback var's.
STORED_ABANDON_PRICE = 123.0


def store_a_fit(warehouse: Path) -> None:
    """Write a churn fit with other prices into the published warehouse, as a
    refit would: a zero standard error, so the prices are not shrunk."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into reports_prep.int_churn_wait_effects_fitted ("
            "price_per_wait_second_amount, price_per_wait_second_std_error, "
            "price_per_wait_second_lower_amount, price_per_wait_second_upper_amount, "
            "price_per_unresolved_contact_amount, "
            "price_per_unresolved_contact_std_error, "
            "price_per_unresolved_contact_lower_amount, "
            "price_per_unresolved_contact_upper_amount) "
            "values (0.02, 0.0, 0.015, 0.025, ?, 0.0, ?, ?)",
            [STORED_ABANDON_PRICE, STORED_ABANDON_PRICE - 1, STORED_ABANDON_PRICE + 1],
        )


def staffing_and_recomputed(warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The stored staffing table, and the staffing of every row of its input view
    computed anew here (opsmart.effects.interval_staffing), both by key."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        stored = connection.sql(f"select * from {STAFFING} order by all").df()
        priced = connection.sql(f"select * from {PRICED} order by all").df()
    computed = interval_staffing(priced).drop(columns=KEYS)
    return stored, pd.concat([priced, computed], axis=1)


def assert_staffing_is_the_priced_rows_staffing(warehouse: Path) -> pd.DataFrame:
    """No stale row: the table holds every priced row as it now is (prices,
    fallbacks, workload), each with the staffing computed from it, bit for bit, and
    no other row."""
    stored, recomputed = staffing_and_recomputed(warehouse)
    assert list(stored.columns) == list(recomputed.columns)
    assert len(stored) == len(recomputed) > 0
    for name in stored.columns:
        left, right = stored[name], recomputed[name]
        if left.dtype.kind == "f" or right.dtype.kind == "f":
            left, right = left.astype("float64"), right.astype("float64")
        else:
            left, right = left.astype(object), right.astype(object)
        pd.testing.assert_series_equal(
            left.reset_index(drop=True),
            right.reset_index(drop=True),
            check_exact=True,
            check_names=False,
            obj=name,
        )
    return stored


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
    tmp_path: Path, deliver: Deliver, first_run: Path
) -> None:
    shutil.copytree(first_run, tmp_path, symlinks=True, dirs_exist_ok=True)
    landing, warehouse = tmp_path / "landing", tmp_path / "published" / "opsmart.duckdb"
    vars_ = json.dumps(
        {"reporting_timezone": TIMEZONE, "history_statistics_refit_days": 2}
    )
    states, logs, staffing = {}, {}, {}
    for day in (7, 8, 10):
        if day > 7:  # day 7: the first run, done
            deliver(landing, day)
            argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
            assert main([*argv, "--vars", vars_, "--date", DAY[day].isoformat()]) == 0
        states[day] = public_tables(warehouse)
        staffing[day] = assert_staffing_is_the_priced_rows_staffing(warehouse)
        if day == 7:
            store_a_fit(warehouse)
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

    # day 8 recomputed every interval of day 7 with the stored fit's prices; day
    # 10's refit (no fit again) every one back to the fallback prices
    price = "abandon_cost_amount"
    old = staffing[7][[*KEYS, price]].rename(columns={price: "day7"})
    assert (old["day7"] != STORED_ABANDON_PRICE).all()
    night = staffing[8].merge(old, on=KEYS)
    refit = staffing[10].merge(old, on=KEYS)
    assert len(night) == len(refit) == len(old)
    assert (night[price] == STORED_ABANDON_PRICE).all()
    assert (refit[price] == refit["day7"]).all()
