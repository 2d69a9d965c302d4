"""The whole pipeline on a simulated center: it builds with every dbt test green, the
queueing baselines track what the center did, and the marts recover the generator's
true effect of waiting and of unresolved contacts on CSAT (truth.json)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from opsmart.synth import generate
from shared_helpers import SeedParse

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="session")
def simulated(large_center: Path) -> tuple[Path, Path]:
    """(landing, warehouse) of the session's large simulated center (conftest.py:
    90 days, 50 agents), built; reports/test_wait_staffing.py reads it too."""
    return large_center / "landing", large_center / "opsmart.duckdb"


def _logistic_fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression by Newton steps: (coef, std err)."""
    design = np.column_stack([np.ones(len(y)), x])
    coef = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ coef))
        hessian = design.T @ (design * (p * (1 - p))[:, None])
        step = np.linalg.solve(hessian, design.T @ (y - p))
        coef += step
        if np.max(np.abs(step)) < 1e-10:
            break
    return coef, np.sqrt(np.diag(np.linalg.inv(hessian)))


def test_every_contact_lands_in_the_marts(simulated: tuple[Path, Path], query) -> None:
    landing, warehouse = simulated
    truth = json.loads((landing / "truth.json").read_text())
    run = query(warehouse)
    assert run("select count(*) from marts.fct_contacts") == [
        (truth["row_counts"]["contacts"],)
    ]
    assert run("select count(*) from marts.fct_survey_responses") == [
        (truth["row_counts"]["survey_responses"],)
    ]


def test_baselines_exist_and_track_the_actual_service(
    simulated: tuple[Path, Path], query
) -> None:
    _, warehouse = simulated
    rows = query(warehouse)(
        "select queue_id, sum(contacts_answered_within_threshold) "
        "/ sum(contacts_answered + contacts_abandoned), "
        "sum(erlang_a_service_level_rate * contacts_offered) / sum(contacts_offered), "
        "count(*) filter (where erlang_a_service_level_rate is null) "
        "from marts.fct_queue_intervals "
        "where channel = 'voice' and contacts_offered > 0 and staffed_agents >= 1 "
        "group by 1"
    )
    assert len(rows) == 3
    for queue_id, actual, baseline, missing in rows:
        assert missing == 0, queue_id
        # Erlang A assumes exponential handle times and a stationary interval; the
        # simulation has neither, so it is a baseline, not a prediction: within 10 pts.
        assert abs(actual - baseline) < 0.10, (queue_id, actual, baseline)


def test_marts_recover_the_true_csat_effects(
    simulated: tuple[Path, Path], query
) -> None:
    landing, warehouse = simulated
    truth = json.loads((landing / "truth.json").read_text())["csat"]
    rows = np.array(
        query(warehouse)(
            "select contact_wait_seconds / 60.0, "
            "case when is_contact_resolved then 0.0 else 1.0 end, "
            "case when is_top2box then 1.0 else 0.0 end "
            "from marts.fct_survey_responses where survey_type = 'csat'"
        ),
        dtype=float,
    )
    coef, stderr = _logistic_fit(rows[:, :2], rows[:, 2])
    for index, name in ((1, "beta_wait"), (2, "beta_unres")):
        assert abs(coef[index] - truth[name]) < 3 * stderr[index], (
            name,
            coef[index],
            stderr[index],
            truth[name],
        )


def test_parquet_landing_builds_the_same_marts(
    small_center: Path,
    small_center_options: dict[str, int],
    tmp_path: Path,
    build: Callable[..., int],
    query,
    seed_parse: SeedParse,
) -> None:
    """The session's small center (CSV) generated again as Parquet builds the same
    marts as its CSV build."""
    root = seed_parse(tmp_path / "parquet")
    generate(root / "landing", file_format="parquet", **small_center_options)
    assert {p.suffix for p in (root / "landing" / "contacts").iterdir()} == {".parquet"}
    assert build(root / "landing", root / "opsmart.duckdb") == 0
    sql = "select * from marts.fct_queue_days order by queue_id, interval_date"
    marts = {
        "csv": query(small_center / "opsmart.duckdb")(sql),
        "parquet": query(root / "opsmart.duckdb")(sql),
    }
    assert marts["csv"] == marts["parquet"]
    assert len(marts["csv"]) > 0
