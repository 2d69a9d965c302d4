"""Every analysis in `analyses/` compiles and answers its question on a built center.

dbt compiles the analyses (refs, vars, KPI macros) but never runs them, so nothing
else would notice one that no longer fits the marts. Here each compiled query runs
read-only on the small simulated center (five whole weeks: `analysis_period_grain`
week) and its figures are recomputed from other marts.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from opsmart.nightly.dbt_runner import project_dir, run_dbt

pytestmark = pytest.mark.pipeline

ANALYSES = sorted(p.stem for p in (project_dir() / "analyses").glob("*.sql"))


@pytest.fixture(scope="module")
def compiled(small_center: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The analyses compiled against a copy of the small center's warehouse (dbt
    opens its warehouse for writing; the shared one stays untouched)."""
    state_dir = tmp_path_factory.mktemp("analyses")
    warehouse = state_dir / "opsmart.duckdb"
    shutil.copyfile(small_center / "opsmart.duckdb", warehouse)
    ok = run_dbt(
        ["compile", "--select", "resource_type:analysis"],
        warehouse=warehouse,
        state_dir=state_dir,
        dbt_vars={"analysis_period_grain": "week"},
    )
    assert ok, "dbt compile of the analyses failed"
    return state_dir


def _query(compiled: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(compiled / "opsmart.duckdb"), read_only=True) as con:
        return con.sql(sql).df()


def _run(compiled: Path, name: str) -> pd.DataFrame:
    """The compiled analysis *name*, run on the warehouse copy."""
    sql = (compiled / "target/compiled/opsmart/analyses" / f"{name}.sql").read_text()
    return _query(compiled, sql)


def _in_week(week: pd.Timestamp) -> str:
    """SQL condition: interval_date is one of the seven local days from *week*."""
    first = f"{week:%Y-%m-%d}"
    return f"interval_date between date '{first}' and date '{first}' + 6"


def _latest_weeks(compiled: Path) -> list[pd.Timestamp]:
    weeks = _query(
        compiled,
        "select period_start_date from marts.dim_periods "
        "where period_grain = 'week' and is_period_complete "
        "order by period_start_date desc limit 2",
    )
    return [pd.Timestamp(d) for d in weeks["period_start_date"]]


def test_there_are_analyses_and_each_compiles(compiled: Path) -> None:
    assert len(ANALYSES) >= 3
    out = compiled / "target/compiled/opsmart/analyses"
    assert sorted(p.stem for p in out.glob("*.sql")) == ANALYSES


@pytest.mark.parametrize("name", ANALYSES)
def test_each_analysis_returns_rows(compiled: Path, name: str) -> None:
    assert len(_run(compiled, name)) > 0


def test_service_level_misses_recompute_from_the_queue_days(compiled: Path) -> None:
    """Per queue, the latest whole week's volume, staffed hours and service level
    (var sl_method offered: answered within T / (answered + abandoned)) equal
    fct_queue_days summed over the week's local days."""
    got = _run(compiled, "service_level_misses_by_queue").set_index("queue_id")
    week = _latest_weeks(compiled)[0]
    want = _query(
        compiled,
        f"""
        select queue_id, sum(contacts_offered) as contacts_offered,
            sum(staffed_agent_hours) as staffed_agent_hours,
            sum(contacts_answered_within_threshold)
                / nullif(sum(contacts_answered) + sum(contacts_abandoned), 0)
                as service_level_rate
        from marts.fct_queue_days
        where {_in_week(week)}
        group by 1
        """,
    ).set_index("queue_id")
    assert (got["period_start_date"] == week).all()
    for queue_id, row in got.iterrows():
        assert row["contacts_offered"] == want.loc[queue_id, "contacts_offered"]
        assert row["staffed_agent_hours"] == pytest.approx(
            want.loc[queue_id, "staffed_agent_hours"], rel=1e-9
        )
        assert row["service_level_rate"] == pytest.approx(
            want.loc[queue_id, "service_level_rate"], rel=1e-12
        )
    met = got["service_level_vs_target_rate"] >= 0
    assert ((got["likely_cause"] == "met") == met).all()
    order = got["service_level_vs_target_rate"].tolist()
    assert order == sorted(order), "worst miss first"


def test_staffing_by_hour_covers_every_measured_interval_of_the_week(
    compiled: Path,
) -> None:
    got = _run(compiled, "staffing_gap_by_local_hour")
    week = _latest_weeks(compiled)[0]
    intervals = _query(
        compiled,
        f"""
        select queue_id, isodow(interval_start_local_at) as local_weekday,
            hour(interval_start_local_at) as local_hour,
            staffed_agents, required_agents_erlang_a, staffing_gap_agents
        from marts.fct_queue_intervals
        where {_in_week(week)}
            and not is_staffing_estimated and required_agents_erlang_a is not null
        """,
    )
    assert got["intervals"].sum() == len(intervals)
    keys = ["queue_id", "local_weekday", "local_hour"]
    want = intervals.groupby(keys).mean()
    got = got.set_index(keys).sort_index()
    assert got.index.equals(want.index)
    for column, source in {
        "mean_staffed_agents": "staffed_agents",
        "mean_required_agents": "required_agents_erlang_a",
        "mean_gap_agents": "staffing_gap_agents",
    }.items():
        assert got[column].to_numpy() == pytest.approx(
            want[source].to_numpy(), nan_ok=True
        ), column


def test_movers_compare_the_last_two_whole_weeks_of_the_report(compiled: Path) -> None:
    got = _run(compiled, "cost_vs_satisfaction_movers")
    latest, previous = _latest_weeks(compiled)
    assert (got["period_start_date"] == latest).all()
    assert (got["previous_period_start_date"] == previous).all()
    report = _query(
        compiled,
        f"""
        select dimension_type, dimension_value, cost_per_contact_amount, csat_rate
        from reports.rpt_cost_vs_satisfaction
        where period_grain = 'week' and period_start_date = date '{latest:%Y-%m-%d}'
        """,
    ).set_index(["dimension_type", "dimension_value"])
    keys = zip(got["dimension_type"], got["dimension_value"], strict=True)
    units = report.loc[list(keys)]
    pd.testing.assert_series_equal(
        got["cost_per_contact_amount"].astype(float),
        units["cost_per_contact_amount"].astype(float).reset_index(drop=True),
        check_names=False,
    )
    moves = got["cost_per_contact_change_amount"].abs().dropna().tolist()
    assert moves == sorted(moves, reverse=True), "biggest cost move first"
