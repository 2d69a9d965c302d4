"""The project's generic tests (tests/dbt/generic) fail on exactly the values they
should: row_checks (a model's not-null, range, accepted-values and expression
checks in one scan) and primary_key.

On a copy of the small built center, `rpt_wait_experience_curve` gets bad values by
hand: csat_rate 1.5 on two rows and churn_rate -0.5 on one (range 0..1), nps 101
on one (range -100..100), is_resolved null on two, more churn events than churned
contacts on two. Its row_checks test runs with its failing rows stored: a row per
check that fails, with its SQL condition and its count, and no row for the checks
that pass (contacts >= 0, the not-null wait_band_index). The table's two
expressions: counts that add up (the first), each rate inside its interval (the
second); the rows above the interval break the second, row 6 the first, row 7 both.
`dim_queues` gets a channel outside its accepted values. `util_kpi_definitions`
gets a null var_name and one twice: its primary_key test fails on both. The run
log's checks name the columns each test checks, and the checks that failed. A
range with a misspelt bound stops the project's parse, naming the file.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly.dbt_results import dbt_test_report
from opsmart.nightly.dbt_runner import project_dir, run_dbt
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline

BAD_VALUES = """
update reports.rpt_wait_experience_curve set csat_rate = 1.5 where rowid in (0, 1);
update reports.rpt_wait_experience_curve set churn_rate = -0.5 where rowid = 2;
update reports.rpt_wait_experience_curve set nps = 101 where rowid = 3;
update reports.rpt_wait_experience_curve set is_resolved = null where rowid in (4, 5);
update reports.rpt_wait_experience_curve set churn_events = churn_contacts + 1
    where rowid in (6, 7);
update reports.rpt_wait_experience_curve set csat_rate = csat_rate_upper + 0.01
    where rowid = 7;
update marts.dim_queues set channel = 'fax' where rowid = 0;
update utilities.util_kpi_definitions set var_name = null where rowid = 0;
update utilities.util_kpi_definitions set var_name = 'var_twice' where rowid in (1, 2);
"""

CHANNELS = "'voice', 'chat', 'email', 'message', 'self_service'"


def shortened(condition: str) -> str:
    """A condition as the run log shows it: 120 characters at most."""
    return condition if len(condition) <= 120 else condition[:119] + "…"


SELECT = [
    "rpt_wait_experience_curve,test_name:row_checks",
    "dim_queues,test_name:row_checks",
    "util_kpi_definitions,test_name:primary_key",
]


def test_each_bad_value_fails_its_check_and_names_it(
    small_center: Path, tmp_path: Path, seed_parse: SeedParse
) -> None:
    warehouse = seed_parse(tmp_path) / "opsmart.duckdb"
    shutil.copy(small_center / "opsmart.duckdb", warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(BAD_VALUES)

    passed = run_dbt(
        ["test", "--store-failures", "--select", *SELECT],
        warehouse=warehouse,
        state_dir=tmp_path,
    )

    assert not passed
    target = tmp_path / "target"
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    outcome = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for result in results:
            node = nodes[result["unique_id"]]
            stored = connection.execute(
                f"select * from {result['relation_name']} order by all"
            ).fetchall()
            key = (node["attached_node"].split(".")[-1], node["test_metadata"]["name"])
            outcome[key] = (result["status"], result["failures"], stored)
            if key == ("rpt_wait_experience_curve", "row_checks"):
                counts, rates = node["test_metadata"]["kwargs"]["expressions"]
    # In the order of the test's arguments: not_null, ranges, expressions.
    curve_checks = [
        ("is_resolved is null", 2),
        ("csat_rate < 0 or csat_rate > 1", 2),
        ("churn_rate < 0 or churn_rate > 1", 1),
        ("nps < -100 or nps > 100", 1),
        (f"not ({counts})", 2),
        (f"not ({rates})", 5),
    ]
    assert outcome == {
        ("util_kpi_definitions", "primary_key"): (
            "fail",
            2,
            [("var_twice", 2), (None, 1)],
        ),
        ("dim_queues", "row_checks"): (
            "fail",
            1,
            [(f"channel not in ({CHANNELS})", 1)],
        ),
        ("rpt_wait_experience_curve", "row_checks"): ("fail", 13, sorted(curve_checks)),
    }
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        report = dbt_test_report(target, connection)
    failed = {
        (check.suite, check.expectation): (check.column, check.observed)
        for check in report.results
        if not check.success
    }
    assert failed == {
        ("dbt.rpt_wait_experience_curve", "row_checks"): (
            "wait_band_index, is_resolved, contacts, csat_rate, churn_rate, "
            "churn_rate_lower, churn_rate_upper, nps, nps_lower, nps_upper",
            "13 row(s): "
            + "; ".join(f"{shortened(when)} ({rows})" for when, rows in curve_checks),
        ),
        ("dbt.dim_queues", "row_checks"): (
            "timezone, channel",
            f"1 row(s): channel not in ({CHANNELS}) (1)",
        ),
        ("dbt.util_kpi_definitions", "primary_key"): ("var_name", "2 row(s)"),
    }


def test_a_range_without_a_bound_stops_the_parse_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """A misspelt bound would check nothing: the project does not parse.

    The project is one model with the real macros and generic tests: parsing all
    of opsmart's models to find one YAML error cost a full parse (6 s of CPU).
    """
    project = tmp_path / "project"
    for part in ("macros", "tests/dbt/generic"):
        shutil.copytree(project_dir() / part, project / part)
    shutil.copy(project_dir() / "profiles.yml", project / "profiles.yml")
    (project / "dbt_project.yml").write_text(
        "name: guard\nprofile: opsmart\nconfig-version: 2\n"
        'macro-paths: ["macros"]\ntest-paths: ["tests/dbt"]\n'
    )
    (project / "models").mkdir()
    (project / "models/customers.sql").write_text("select 1 as monthly_revenue_amount")
    (project / "models/_models.yml").write_text(
        textwrap.dedent(
            """\
            models:
              - name: customers
                data_tests:
                  - row_checks:
                      arguments:
                        ranges:
                          - {columns: [monthly_revenue_amount], min_valu: 0}
            """
        )
    )
    monkeypatch.setenv("OPSMART_PROJECT_DIR", str(project))

    parsed = run_dbt(["parse"], warehouse=tmp_path / "x.duckdb", state_dir=tmp_path)

    assert not parsed
    out = " ".join(capfd.readouterr().out.split())
    assert "models/_models.yml" in out
    assert (
        "row_checks: a range needs columns and a min_value or a max_value, not "
        "{'columns': ['monthly_revenue_amount'], 'min_valu': 0}"
    ) in out
