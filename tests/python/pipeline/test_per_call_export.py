"""A per-call export with only `contacts` builds, and its interval KPIs equal a hand
computation for every service-level, ASA and attribution choice.

The fixture (tests/fixtures/per_call_export/contacts/contacts.csv) has no wait or talk
columns: they are derived from the timestamps. Queue q_voice_sales has T = 20 s and
the short-abandon threshold is 5 s. In the 10:00-10:30 interval (by arrival):

    handled   c01 wait 0   c02 wait 20 (= T)  c03 wait 21  c04 wait 45  c10 wait 10
    abandoned c05 wait 5 (short)  c06 wait 6  c07 wait 60
    flowout   c09            contained c08 (not offered)

so A = 5, A_T = 3, B = 3, B_T = 2, B_s = 1, offered = 9; handle times 360, 210, 240,
160, 240 s (AHT 242). c10 arrived at 10:29:50 but was answered at 10:30:15.
The build uses the default methods; the others are dbt unit tests given this
interval's counts, which a test here checks the build counts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from opsmart.nightly.dbt_runner import project_dir, run_dbt


def _query(warehouse: Path) -> list:
    import duckdb

    def run(sql: str) -> list:
        with duckdb.connect(str(warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    return run


INTERVAL = "timestamp '2026-03-02 10:00:00'"


def _kpis(warehouse: Path) -> tuple[object, ...]:
    rows = _query(warehouse)(
        "select contacts_offered, contacts_answered, contacts_abandoned, "
        "contacts_answered_within_threshold, service_level_rate, abandonment_rate, "
        "asa_seconds, aht_seconds, staffed_agents, baseline_staffed_agents, "
        "is_staffing_estimated, occupancy_rate from marts.fct_queue_intervals "
        f"where queue_id = 'q_voice_sales' and interval_start_at = {INTERVAL}"
    )
    assert len(rows) == 1
    return rows[0]


def _rebuilt_copy(warehouse: Path, copy_dir: Path, dbt_vars: dict[str, object]) -> Path:
    """A copy of the built warehouse, its contact models rebuilt under `dbt_vars`.

    Only the models between the contacts and `fct_queue_intervals` (what `_kpis`
    reads): the reports downstream would not change what is asserted.
    """
    shutil.copytree(warehouse.parent, copy_dir, symlinks=True)
    warehouse = copy_dir / warehouse.name
    ok = run_dbt(
        ["run", "--select", "int_contacts_classified+,+fct_queue_intervals"],
        warehouse=warehouse,
        state_dir=copy_dir,
        dbt_vars=dbt_vars,
    )
    assert ok
    return warehouse


def test_defaults_match_hand_computation(per_call_warehouse: Path) -> None:
    kpis = _kpis(per_call_warehouse)
    offered, answered, abandoned, within, sl, abandon, asa, aht = kpis[:8]
    staffed, baseline_staffed, est, occ = kpis[8:]
    assert (offered, answered, abandoned, within) == (9, 5, 3, 3)
    assert sl == pytest.approx(3 / 8)  # offered: A_T / (A + B)
    assert abandon == pytest.approx(3 / 9)  # B / offered (flow-out included)
    assert asa == pytest.approx((0 + 20 + 21 + 45 + 10) / 5)
    assert aht == pytest.approx((360 + 210 + 240 + 160 + 240) / 5)
    # No agent_intervals: staffing is unknown (null, not 0, and no occupancy); only
    # the baselines assume the agents handling (a1, a2), flagged.
    assert (staffed, baseline_staffed, est, occ) == (None, 2.0, True, None)


def test_missing_sources_give_null_not_zero(per_call_warehouse: Path, query) -> None:
    run = query(per_call_warehouse)
    costs = run("select count(*), count(cost_amount) from marts.fct_contacts")
    assert costs == [(11, 0)]
    assert run("select count(*) from marts.fct_survey_responses") == [(0,)]
    assert run(
        "select count(staff_cost_amount), count(occupancy_rate) "
        "from marts.fct_queue_intervals"
    ) == [(0, 0)]


#: The columns of the 10:00 interval that the service-level, ASA and abandonment
#: methods take (macros/kpi): A, A_T, B, B_T, B_s, ...
METHOD_INPUTS = (
    "interval_seconds",
    "contacts_offered",
    "contacts_answered",
    "contacts_abandoned",
    "contacts_flowed_out",
    "contacts_answered_within_threshold",
    "contacts_abandoned_within_threshold",
    "contacts_short_abandoned",
    "contacts_answered_after_waiting",
    "answered_wait_seconds",
    "aht_seconds",
)


def _method_unit_tests_given() -> dict[str, object]:
    """The 10:00 row the unit tests of the methods are given, one per method
    (models/marts/operations/_queue_intervals__models.yml)."""
    models = project_dir() / "models/marts/operations/_queue_intervals__models.yml"
    spec = yaml.safe_load(models.read_text())
    tests = [
        test
        for test in spec["unit_tests"]
        if test["name"].startswith("test_service_level_methods_")
    ]
    methods = {
        value
        for test in tests
        for name, value in test["overrides"]["vars"].items()
        if name == "sl_method"
    }
    assert methods == {
        "offered",
        "answered",
        "offered_excl_short_abandons",
        "removed_within",
    }
    (given,) = {json.dumps(test["given"], sort_keys=True) for test in tests}
    (interval,) = json.loads(given)
    (row,) = [
        r for r in interval["rows"] if r["interval_start_at"].endswith("10:00:00")
    ]
    return row


def test_every_method_is_unit_tested_on_the_counts_this_export_builds(
    per_call_warehouse: Path,
) -> None:
    """Each method's formula is a dbt unit test of fct_queue_intervals
    (test_service_level_methods_*: offered 3/8, answered 3/5, excluding short
    abandons 3/7, removed within 5/8; ASA 96/5 or 96/4; abandonment 3/9 or 2/8),
    given this export's 10:00 interval. Here: the build of the export counts
    exactly what they are given. Together they are the hand computation above for
    every method, without a dbt build per method (each re-parsed the project)."""
    given = _method_unit_tests_given()
    columns = ", ".join(METHOD_INPUTS)
    (built,) = _query(per_call_warehouse)(
        f"select {columns} from intermediate.int_queue_interval_baselines_computed "
        f"where queue_id = 'q_voice_sales' and interval_start_at = {INTERVAL}"
    )
    assert dict(zip(METHOD_INPUTS, built, strict=True)) == {
        column: given[column] for column in METHOD_INPUTS
    }


def test_attribution_by_answer_moves_the_late_answer(
    per_call_warehouse: Path, tmp_path: Path
) -> None:
    warehouse = _rebuilt_copy(
        per_call_warehouse, tmp_path / "copy", {"interval_attribution": "answer"}
    )
    offered, answered, *_ = _kpis(warehouse)
    # c10 (answered 10:30:15) moves out of 10:00; c05-c07, c09 end before 10:30.
    assert (offered, answered) == (8, 4)


def test_unknown_method_is_a_clear_error(per_call_warehouse: Path) -> None:
    assert not run_dbt(
        ["compile", "--select", "fct_queue_intervals"],
        warehouse=per_call_warehouse,
        state_dir=per_call_warehouse.parent,
        dbt_vars={"sl_method": "bogus"},
    )


def test_project_dir_is_this_checkout() -> None:
    assert (project_dir() / "dbt_project.yml").is_file()


def test_static_docs_site_documents_the_kpis(per_call_warehouse: Path) -> None:
    site = per_call_warehouse.parent / "target" / "static_index.html"
    text = site.read_text(encoding="utf-8")
    assert "fct_queue_intervals" in text
    # The KPI doc block (models/_kpi__docs.md) is rendered into the site.
    assert "Amazon Connect style" in text
