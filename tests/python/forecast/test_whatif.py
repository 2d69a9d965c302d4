"""What-if on the staffing plan: the queue measures against an Erlang C formula and
an Erlang A birth-death chain written out here, the delta clipped at 0 agents,
contact weighting over two intervals, the CSAT and churn effects with their
ranges, and the effects read from the published reports."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from opsmart.cli import EXIT_BAD_INPUT, main
from opsmart.cli._plan import hours_range
from opsmart.forecast.whatif import WaitEffects, wait_effects, what_if

NO_EFFECTS = WaitEffects(math.nan, math.nan, math.nan)


def _row(**changes: Any) -> dict[str, Any]:
    """One plan row: 10 contacts in 30 min at 180 s AHT (A = 1 erlang), Erlang C."""
    row: dict[str, Any] = {
        "interval_seconds": 1800.0,
        "contacts_offered_forecast": 10.0,
        "aht_seconds_forecast": 180.0,
        "patience_seconds": None,
        "sl_threshold_seconds": 20,
        "required_agents": 2,
        "agent_cost_per_hour_amount": 30.0,
        "waiting_cost_per_second_amount": 0.01,
        "waiting_cost_per_second_lower_amount": 0.005,
        "waiting_cost_per_second_upper_amount": 0.02,
        "abandon_cost_amount": 4.0,
        "abandon_cost_lower_amount": 2.0,
        "abandon_cost_upper_amount": 6.0,
    }
    return row | changes


def _erlang_c(c: int, a: float) -> float:
    """P(wait) = (A^c/c! c/(c-A)) / (sum_{k<c} A^k/k! + A^c/c! c/(c-A))."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_one_more_agent_on_an_erlang_c_interval_is_the_textbook_formula() -> None:
    out = what_if(pd.DataFrame([_row()]), NO_EFFECTS, 1)
    for scenario, c in ((out.baseline, 2), (out.changed, 3)):
        p_w = _erlang_c(c, 1.0)  # c = 2: 1/3, c = 3: 1/11
        wq = p_w * 180.0 / (c - 1.0)
        assert scenario.service_level_rate == pytest.approx(
            1.0 - p_w * math.exp(-(c - 1.0) * 20.0 / 180.0), rel=1e-9
        )
        assert scenario.asa_seconds == pytest.approx(wq, rel=1e-9)
        assert scenario.abandon_rate == pytest.approx(0.0, abs=1e-12)
        # waiting priced at 0.01 per contact-second: 10 contacts x Wq
        assert scenario.waiting_abandon_cost_amount == pytest.approx(0.1 * wq)
        assert scenario.waiting_abandon_cost_lower_amount == pytest.approx(0.05 * wq)
        assert scenario.agent_hours == pytest.approx(c * 0.5)
    assert _erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert out.staff_cost_change_amount == pytest.approx(15.0)  # 1 x 0.5 h x 30
    # 10 x (30/11 - 60) x 0.01 = -0.327...
    assert out.waiting_abandon_cost_change_amount == pytest.approx(0.1 * (90 / 11 - 60))
    assert out.waiting_abandon_cost_change_lower_amount == pytest.approx(
        0.2 * (90 / 11 - 60)
    )
    assert out.net_cost_change_amount == pytest.approx(15.0 + 0.1 * (90 / 11 - 60))
    assert (out.intervals, out.intervals_skipped, out.intervals_clipped) == (1, 0, 0)


def _erlang_a_chain(lam: float, aht: float, n: int, tau: float) -> tuple[float, float]:
    """P(abandon) and mean wait of all arrivals from the birth-death chain:
    birth lam, death min(k, n)/aht + max(k - n, 0)/tau, truncated at 400."""
    weights = [1.0]
    for k in range(1, 400):
        death = min(k, n) / aht + max(k - n, 0) / tau
        weights.append(weights[-1] * lam / death)
    pi = np.array(weights) / sum(weights)
    queue = np.maximum(np.arange(400) - n, 0)
    lq = float(np.sum(pi * queue))
    return lq / tau / lam, lq / lam  # abandons/s over arrivals/s; Little


def test_erlang_a_interval_matches_the_birth_death_chain() -> None:
    row = _row(contacts_offered_forecast=60.0, interval_seconds=3600.0,
               aht_seconds_forecast=60.0, patience_seconds=60.0,
               required_agents=1)  # fmt: skip
    out = what_if(pd.DataFrame([row]), NO_EFFECTS, 1)
    for scenario, n in ((out.baseline, 1), (out.changed, 2)):
        p_ab, wait = _erlang_a_chain(1 / 60, 60.0, n, 60.0)
        assert scenario.abandon_rate == pytest.approx(p_ab, rel=1e-9)
        assert scenario.mean_wait_seconds == pytest.approx(wait, rel=1e-9)
        # priced: 0.01 x Lq x 3600 + 4 x 60 contacts x P(Ab)
        assert scenario.waiting_abandon_cost_amount == pytest.approx(
            0.01 * wait / 60 * 3600 + 4.0 * 60 * p_ab, rel=1e-9
        )
    assert out.changed.abandon_rate < out.baseline.abandon_rate
    assert out.changed.service_level_rate > out.baseline.service_level_rate


def test_removing_more_agents_than_planned_stops_at_zero() -> None:
    row = _row(patience_seconds=60.0, required_agents=1)
    out = what_if(pd.DataFrame([row]), NO_EFFECTS, -3)
    assert out.intervals_clipped == 1
    assert out.changed.agent_hours == 0.0
    # the staff saved is the one agent there was, not three
    assert out.staff_cost_change_amount == pytest.approx(-15.0)
    # nobody answers: every contact abandons
    assert out.changed.abandon_rate == pytest.approx(1.0)
    assert out.changed.service_level_rate == pytest.approx(0.0)
    assert math.isnan(out.changed.asa_seconds)


def test_an_unstable_erlang_c_scenario_has_no_wait_figures() -> None:
    out = what_if(pd.DataFrame([_row()]), NO_EFFECTS, -1)  # A = 1 with 1 agent
    assert out.changed.unstable_intervals == 1
    assert math.isnan(out.changed.asa_seconds)
    assert math.isnan(out.changed.waiting_abandon_cost_amount)
    assert math.isnan(out.net_cost_change_amount)
    assert out.staff_cost_change_amount == pytest.approx(-15.0)
    assert out.as_dict()["net_cost_change_amount"] is None


def test_two_intervals_are_weighted_by_their_contacts() -> None:
    busy = _row(contacts_offered_forecast=30.0, required_agents=5,
                patience_seconds=120.0)  # fmt: skip
    quiet = _row(contacts_offered_forecast=10.0, required_agents=2,
                 patience_seconds=120.0)  # fmt: skip
    both = what_if(pd.DataFrame([busy, quiet]), NO_EFFECTS, 1)
    one = [what_if(pd.DataFrame([r]), NO_EFFECTS, 1) for r in (busy, quiet)]
    for name in ("baseline", "changed"):
        a, b = (getattr(x, name) for x in one)
        mixed = getattr(both, name)
        assert mixed.service_level_rate == pytest.approx(
            (30 * a.service_level_rate + 10 * b.service_level_rate) / 40
        )
        assert mixed.abandon_rate == pytest.approx(
            (30 * a.abandon_rate + 10 * b.abandon_rate) / 40
        )
        # ASA over answered contacts
        wa, wb = 30 * (1 - a.abandon_rate), 10 * (1 - b.abandon_rate)
        assert mixed.asa_seconds == pytest.approx(
            (wa * a.asa_seconds + wb * b.asa_seconds) / (wa + wb)
        )
    assert both.staff_cost_change_amount == pytest.approx(30.0)
    assert both.hours == pytest.approx(1.0)
    assert both.contacts_offered == pytest.approx(40.0)


def test_rows_without_required_agents_are_skipped() -> None:
    out = what_if(pd.DataFrame([_row(), _row(required_agents=None)]), NO_EFFECTS, 1)
    assert (out.intervals, out.intervals_skipped) == (1, 1)


def test_agents_delta_must_be_an_integer() -> None:
    with pytest.raises(TypeError, match="`agents_delta`"):
        what_if(pd.DataFrame([_row()]), NO_EFFECTS, True)
    with pytest.raises(TypeError, match="`agents_delta`"):
        what_if(pd.DataFrame([_row()]), NO_EFFECTS, 1.5)  # type: ignore[arg-type]


def test_csat_and_churn_follow_the_fitted_effects_with_their_ranges() -> None:
    effects = WaitEffects(
        0.001, 0.0005, 0.0015,
        band_lower_seconds=(0.0, 60.0),
        csat_rate=(0.9, 0.5), csat_rate_lower=(0.8, 0.4), csat_rate_upper=(0.95, 0.6),
    )  # fmt: skip
    out = what_if(pd.DataFrame([_row()]), effects, 1)
    # Erlang C: P(W < 60 | answered) = 1 - P_w exp(-(c - A) 60 / AHT)
    s0 = 1 - (1 / 3) * math.exp(-60 / 180)
    s1 = 1 - (1 / 11) * math.exp(-2 * 60 / 180)
    assert out.baseline.csat_rate == pytest.approx(0.9 * s0 + 0.5 * (1 - s0))
    assert out.changed.csat_rate == pytest.approx(0.9 * s1 + 0.5 * (1 - s1))
    d = s1 - s0
    assert out.csat_rate_change == pytest.approx(0.4 * d)
    assert out.csat_rate_change_lower == pytest.approx(d * (0.8 - 0.6))
    assert out.csat_rate_change_upper == pytest.approx(d * (0.95 - 0.4))
    # mean wait of all arrivals: 60 s -> 90/11 s
    d_wait = 90 / 11 - 60
    assert out.churn_rate_change == pytest.approx(0.001 * d_wait)
    assert out.churn_rate_change_lower == pytest.approx(0.0015 * d_wait)
    assert out.churn_rate_change_upper == pytest.approx(0.0005 * d_wait)


def test_wait_effects_pool_the_curve_and_scale_the_churn_interval() -> None:
    churn = pd.DataFrame(
        {
            "term": ["intercept", "wait_minutes"],
            "estimate": [-2.0, 0.6],
            "ci_lower": [-2.5, 0.3],
            "ci_upper": [-1.5, 0.9],
            "customer_windows": [1000, 1000],
            "churned_customer_windows": [100, 100],
            "churn_per_wait_second_rate": [0.001, 0.001],
        }
    )
    curve = pd.DataFrame(
        {
            "wait_band_index": [0, 0, 1, 1],
            "wait_band_lower_seconds": [0.0, 0.0, 60.0, 60.0],
            "is_resolved": [True, False, True, False],
            "csat_responses": [30, 10, 0, 5],
            "csat_rate": [0.9, 0.5, None, 0.4],
            "csat_rate_lower": [0.8, 0.3, None, 0.1],
            "csat_rate_upper": [0.95, 0.7, None, 0.8],
        }
    )
    out = wait_effects(churn, curve)
    # mean p (1 - p) = 0.001 x 60 / 0.6 = 0.1
    assert out.churn_per_wait_second_rate == 0.001
    assert out.churn_per_wait_second_lower_rate == pytest.approx(0.3 / 60 * 0.1)
    assert out.churn_per_wait_second_upper_rate == pytest.approx(0.9 / 60 * 0.1)
    assert out.band_lower_seconds == (0.0, 60.0)
    assert out.csat_rate == pytest.approx((0.8, 0.4))  # (27 + 5) / 40
    assert out.csat_rate_lower == pytest.approx(((24 + 3) / 40, 0.1))
    # held at 0: pbar (1 - pbar) = 0.09 stands in
    held = churn.assign(
        estimate=[-2.0, 0.0],
        ci_lower=[-2.5, 0.0],
        ci_upper=[-1.5, 0.6],
        churn_per_wait_second_rate=0.0,
    )
    out = wait_effects(held, curve.iloc[0:0])
    assert (out.churn_per_wait_second_rate, out.churn_per_wait_second_lower_rate) == (
        0.0,
        0.0,
    )
    assert out.churn_per_wait_second_upper_rate == pytest.approx(0.6 / 60 * 0.09)
    assert math.isnan(out.csat_rate[0])
    empty = wait_effects(churn.iloc[0:0], curve.iloc[0:0])
    assert math.isnan(empty.churn_per_wait_second_rate)


# --- the CLI, on a tiny warehouse made here -------------------------------------


def _warehouse(path: Path, *, plan_rows: bool = True, effects: bool = True) -> Path:
    """Queue q1 on 2026-03-02 and 03 (Asia/Seoul, UTC+9), 09:00 and 09:30 local:
    10 contacts, AHT 180 s, no patience (Erlang C), 2 agents; q2 has one row."""
    con = duckdb.connect(str(path))
    con.execute("create schema reports")
    con.execute(
        "create table reports.rpt_staffing_plan (queue_id varchar,"
        " contacts_offered_forecast double, aht_seconds_forecast double,"
        " patience_seconds double, sl_threshold_seconds integer,"
        " required_agents integer, agent_cost_per_hour_amount decimal(18, 4),"
        " interval_date date, interval_start_local_at timestamp,"
        " interval_start_at timestamp)"
    )
    if plan_rows:
        for day in ("2026-03-02", "2026-03-03"):
            for local, utc in (("09:00", "00:00"), ("09:30", "00:30")):
                con.execute(
                    "insert into reports.rpt_staffing_plan values"
                    " ('q1', 10, 180, null, 20, 2, 30, ?, ?, ?)",
                    [day, f"{day} {local}", f"{day} {utc}"],
                )
        con.execute(
            "insert into reports.rpt_staffing_plan values ('q2', 5, 200, 90, 20, 1,"
            " 30, '2026-03-02', '2026-03-02 10:00', '2026-03-02 01:00')"
        )
    con.execute(
        "create table reports.rpt_staffing as select 'q1' as queue_id,"
        " 0.01 as waiting_cost_per_second_amount,"
        " 0.005 as waiting_cost_per_second_lower_amount,"
        " 0.02 as waiting_cost_per_second_upper_amount,"
        " 4.0 as abandon_cost_amount, 2.0 as abandon_cost_lower_amount,"
        " 6.0 as abandon_cost_upper_amount"
    )
    if effects:
        con.execute(
            "create table reports.rpt_wait_churn_effects as select"
            " 'wait_minutes' as term, 0.6 as estimate, 0.3 as ci_lower,"
            " 0.9 as ci_upper, 1000 as customer_windows,"
            " 100 as churned_customer_windows, 0.001 as churn_per_wait_second_rate"
        )
        con.execute(
            "create table reports.rpt_wait_experience_curve as select * from"
            " (values (0, 0.0, 40, 0.9, 0.8, 0.95), (1, 60.0, 20, 0.5, 0.4, 0.6))"
            " as t(wait_band_index, wait_band_lower_seconds, csat_responses,"
            " csat_rate, csat_rate_lower, csat_rate_upper)"
        )
    con.close()
    return path


def _plan_cli(path: Path, *args: str) -> int:
    return main(["plan", "--warehouse", str(path), *args])


def test_cli_json_is_what_if_of_the_chosen_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _warehouse(tmp_path / "w.duckdb")
    code = _plan_cli(
        path, "--queue", "q1", "--agents-delta", "1", "--date", "2026-03-03",
        "--hours", "9-10", "--json",
    )  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dates"] == ["2026-03-03"]
    assert out["interval_seconds"] == 1800.0  # from the starts' spacing
    assert out["intervals"] == 2 and out["hours"] == 1.0
    # each interval as the hand-checked one above: 1 agent x 0.5 h x 30, twice
    assert out["staff_cost_change_amount"] == pytest.approx(30.0)
    one = what_if(pd.DataFrame([_row()]), NO_EFFECTS, 1)
    assert out["changed"]["asa_seconds"] == pytest.approx(one.changed.asa_seconds)
    assert out["waiting_abandon_cost_change_amount"] == pytest.approx(
        2 * one.waiting_abandon_cost_change_amount
    )
    assert out["csat_rate_change"] > 0 and out["churn_rate_change"] < 0
    assert out["churn_rate_change_lower"] <= out["churn_rate_change"]


def test_cli_text_table_and_clipping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _warehouse(tmp_path / "w.duckdb", effects=False)
    assert _plan_cli(path, "--queue", "q2", "--agents-delta", "-2") == 0
    text = capsys.readouterr().out
    assert "service level" in text and "-2 agents" in text
    assert "held at 0 agents" in text
    assert "no prices of waiting" in text  # q2 has no rpt_staffing rows
    assert "no fitted wait effects" in text


@pytest.mark.parametrize(
    ("args", "plan_rows", "message"),
    [
        (["--queue", "nope"], True, "unknown queue 'nope'.*known queues: q1, q2"),
        (["--queue", "q1"], False, "no forecast yet.*3 complete weeks"),
        (["--queue", "q1", "--date", "2026-04-01"], True, "not in the plan's horizon"),
        (["--queue", "q1", "--hours", "20-22"], True, "no plan interval"),
    ],
)
def test_cli_errors_are_one_line_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    plan_rows: bool,
    message: str,
) -> None:
    path = _warehouse(tmp_path / "w.duckdb", plan_rows=plan_rows)
    assert _plan_cli(path, *args, "--agents-delta", "1") == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert re.search(message, err) and err.count("\n") == 1


@pytest.mark.parametrize("hours", ["25", "12-9", "nine", "9-9"])
def test_cli_refuses_bad_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    path = _warehouse(tmp_path / "w.duckdb")
    with pytest.raises(SystemExit) as exit_:
        _plan_cli(path, "--queue", "q1", "--agents-delta", "1", "--hours", hours)
    assert exit_.value.code == 2
    assert "--hours" in capsys.readouterr().err


def test_cli_without_a_plan_table_says_to_rebuild(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.duckdb"
    duckdb.connect(str(path)).close()
    assert _plan_cli(path, "--queue", "q1", "--agents-delta", "1") == EXIT_BAD_INPUT
    assert "rebuild" in capsys.readouterr().err


def test_hours_are_local_start_hours() -> None:
    assert hours_range("9") == (9, 10)
    assert hours_range("9-12") == (9, 12)
    assert hours_range("0-24") == (0, 24)


def test_cli_says_when_a_scenario_never_settles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _warehouse(tmp_path / "w.duckdb")
    assert _plan_cli(path, "--queue", "q1", "--agents-delta", "-1", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["changed"]["unstable_intervals"] == 4
    assert out["changed"]["asa_seconds"] is None
    assert out["staff_cost_change_amount"] == pytest.approx(-60.0)  # 4 x 0.5 h x 30
    assert any("never settle" in note for note in out["notes"])
