"""The wait -> churn fit recovers the generator's truth, and the wait-curve and
staffing reports build green on a simulated center and on the per-call fixture.

A 90-day, 50-agent center (three complete 30-day churn windows) is generated and
built once per session; rpt_wait_churn_effects must recover truth.json's churn
effects within 3 standard errors.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from opsmart.cli import main
from opsmart.synth import generate

pytestmark = pytest.mark.pipeline

DAYS, AGENTS, SEED = 90, 50, 42


def _rows(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="session")
def center(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """(truth.json, warehouse) of the simulated center, built with every test."""
    root = tmp_path_factory.mktemp("wait_staffing")
    generate(root / "landing", days=DAYS, agents=AGENTS, seed=SEED)
    warehouse = root / "opsmart.duckdb"
    argv = ["build", "--landing", str(root / "landing"), "--warehouse", str(warehouse)]
    assert main(argv) == 0
    truth = json.loads((root / "landing" / "truth.json").read_text())
    return truth, warehouse


def _effects(warehouse: Path) -> dict[str, tuple[float, float, bool]]:
    rows = _rows(
        warehouse,
        "select term, estimate, std_error, is_constrained "
        "from reports.rpt_wait_churn_effects",
    )
    return {term: (est, se, held) for term, est, se, held in rows}


def test_churn_effects_recover_truth(center: tuple[dict[str, Any], Path]) -> None:
    truth, warehouse = center
    churn = truth["churn"]
    effects = _effects(warehouse)
    expected = {
        "intercept": churn["gamma0"],
        "wait_minutes": churn["gamma_wait"],
        "unresolved_contacts": churn["gamma_unres"],
    }
    offsets = dict(churn["segment_offsets"])
    expected |= {
        f"segment_{s}": offsets[s] - offsets["consumer"]
        for s in offsets
        if s != "consumer"
    }
    assert set(effects) == set(expected)
    for term, value in expected.items():
        est, se, held = effects[term]
        assert not held
        assert abs(est - value) <= 3 * se, (term, est, se, value)


def test_churn_fit_sees_every_window_at_risk(
    center: tuple[dict[str, Any], Path],
) -> None:
    truth, warehouse = center
    windows = truth["churn"]["windows"]
    ((n, churned),) = _rows(
        warehouse,
        "select max(customer_windows), max(churned_customer_windows) "
        "from reports.rpt_wait_churn_effects",
    )
    assert n == sum(w["at_risk"] for w in windows)
    assert churned == sum(w["churned"] for w in windows)


def test_wait_curve_is_monotone_in_csat(center: tuple[dict[str, Any], Path]) -> None:
    _, warehouse = center
    rows = _rows(
        warehouse,
        "select is_resolved, csat_rate from reports.rpt_wait_experience_curve "
        "where csat_responses >= 100 order by is_resolved, wait_band_index",
    )
    for resolved in (True, False):
        rates = [r for flag, r in rows if flag is resolved]
        assert len(rates) >= 3
        assert rates == sorted(rates, reverse=True)


def test_staffing_prices_waiting_and_rolls_up(
    center: tuple[dict[str, Any], Path],
) -> None:
    _, warehouse = center
    ((priced, stake, daily, negative),) = _rows(
        warehouse,
        "select bool_and(is_value_priced), sum(money_at_stake_amount), "
        "(select sum(money_at_stake_amount) from reports.rpt_staffing_daily), "
        "count(*) filter (where money_at_stake_amount < 0) "
        "from reports.rpt_staffing",
    )
    assert priced and negative == 0
    assert stake > 0 and float(daily) == pytest.approx(float(stake), abs=0.01)


def test_per_call_fixture_gives_nulls_not_zeros(per_call_warehouse: Path) -> None:
    warehouse = per_call_warehouse
    assert _rows(warehouse, "select count(*) from reports.rpt_wait_churn_effects") == [
        (0,)
    ]
    ((churn, csat, nps, contacts),) = _rows(
        warehouse,
        "select count(churn_rate), count(csat_rate), count(nps), sum(contacts) "
        "from reports.rpt_wait_experience_curve",
    )
    assert (churn, csat, nps) == (0, 0, 0) and contacts > 0
    ((money, priced),) = _rows(
        warehouse,
        "select count(money_at_stake_amount), bool_or(is_value_priced) "
        "from reports.rpt_staffing",
    )
    assert money == 0 and priced is False
