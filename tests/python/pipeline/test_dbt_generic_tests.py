"""The project's generic tests of several columns or expressions (tests/dbt/generic:
not_null_columns, accepted_range_columns, expressions_are_true) and of a primary key
fail on exactly the values they should.

On a copy of the small built center, `rpt_wait_experience_curve` gets bad values by
hand: csat_rate 1.5 on two rows and churn_rate -0.5 on one (range 0..1), nps 101
on one (range -100..100), is_resolved null on two, more churn events than churned
contacts on two. Its five tests of that kind run with their failing rows stored:
each test's failures are its bad values, its rows name the columns or the
expressions broken, and the run log's checks say which columns each test covers.
The table's two expressions: counts that add up (the first), each rate inside its
interval (the second); the rows above the interval break the second, row 6 the
first, row 7 both. `util_kpi_definitions` gets a null var_name and one twice: its
primary_key test fails on both.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from opsmart.nightly.dbt_results import dbt_test_report
from opsmart.nightly.dbt_runner import run_dbt
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
update utilities.util_kpi_definitions set var_name = null where rowid = 0;
update utilities.util_kpi_definitions set var_name = 'var_twice' where rowid in (1, 2);
"""

SELECT = [
    *(
        f"rpt_wait_experience_curve,test_name:{name}"
        for name in (
            "not_null_columns",
            "accepted_range_columns",
            "expressions_are_true",
        )
    ),
    "util_kpi_definitions,test_name:primary_key",
]


def test_each_bad_value_fails_its_test_and_names_its_column(
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
            metadata = nodes[result["unique_id"]]["test_metadata"]
            kwargs = metadata["kwargs"]
            key = (metadata["name"], kwargs.get("min_value"), kwargs.get("max_value"))
            if metadata["name"] == "expressions_are_true":
                counts, rates = kwargs["expressions"]
                broken = connection.execute(
                    "select wait_band_index, is_resolved, false_expressions "
                    f"from {result['relation_name']} order by all"
                ).fetchall()
                outcome[key] = (result["status"], result["failures"], broken)
                continue
            if metadata["name"] == "primary_key":
                stored = connection.execute(
                    f"select var_name, occurrences from {result['relation_name']} "
                    "order by all"
                ).fetchall()
                outcome[key] = (result["status"], result["failures"], stored)
                continue
            stored = connection.execute(
                f"select column_name, failing_rows from {result['relation_name']} "
                "order by column_name"
            ).fetchall()
            outcome[key] = (result["status"], result["failures"], stored)
    assert outcome == {
        ("primary_key", None, None): ("fail", 2, [("var_twice", 2), (None, 1)]),
        ("not_null_columns", None, None): ("fail", 2, [("is_resolved", 2)]),
        ("accepted_range_columns", 0, None): ("pass", 0, []),
        ("accepted_range_columns", 0, 1): (
            "fail",
            3,
            [("churn_rate", 1), ("csat_rate", 2)],
        ),
        ("accepted_range_columns", -100, 100): ("fail", 1, [("nps", 1)]),
        ("expressions_are_true", None, None): (
            "fail",
            6,
            [
                (0, False, rates),
                (0, True, rates),
                (1, False, rates),
                (1, True, rates),
                (3, False, f"{counts}; {rates}"),
                (3, True, counts),
            ],
        ),
    }
    failed = {
        (check.expectation, check.observed): check.column
        for check in dbt_test_report(target).results
        if not check.success
    }
    assert failed == {
        ("not_null_columns", "2 row(s)"): "wait_band_index, is_resolved",
        ("accepted_range_columns", "3 row(s)"): (
            "csat_rate, churn_rate, churn_rate_lower, churn_rate_upper"
        ),
        ("accepted_range_columns", "1 row(s)"): "nps, nps_lower, nps_upper",
        ("expressions_are_true", "6 row(s)"): None,
        ("primary_key", "2 row(s)"): "var_name",
    }
