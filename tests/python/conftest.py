"""Warehouses shared by the whole session: each is built once, read by many modules.

Building the dbt project is the slow part of the suite, so tests that only *read* a
warehouse share these instead of building their own. Under pytest-xdist every worker
runs the session fixtures; `built_once` makes the first worker build and the others
copy its folder, so each warehouse is built once per test run, not once per worker.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import coverage
import pytest

from opsmart.cli import main
from opsmart.nightly.dbt_runner import run_dbt
from opsmart.synth import generate
from shared_helpers import SAVED_PARSE, SeedParse, built_once, untraced

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

#: The small simulated center: 35 days (five full weeks) of a 20-agent center.
SMALL_DAYS, SMALL_AGENTS, SMALL_SEED = 35, 20, 5
#: The large simulated center: 90 days (three complete 30-day churn windows) of a
#: 50-agent center, enough answers and churn for the statistical tests.
LARGE_DAYS, LARGE_AGENTS, LARGE_SEED = 90, 50, 42


#: The modules whose dbt builds take longest, longest first (from `--durations`).
#: They are collected first, and pyproject's `--no-loadscope-reorder` keeps xdist
#: from sorting the modules by their number of tests, which handed these few-test
#: modules out last: the run then ended on one worker busy with the nightly history
#: while the other had nothing left. Started first, they overlap with everything
#: else. A module not listed keeps its place after them. Modules that share a
#: build are apart, so the second rarely waits for the first's: test_wait_staffing
#: and test_simulated_center (the large center), test_nightly_run and
#: test_nightly_refit (the nightly center's first run). The modules of 10-35 s
#: follow, so that what is left at the end is short: the two workers' test time
#: ended 18 s apart with them last in the alphabet (2026-12-05, a 25 s module
#: last), 4 s with them here.
SLOWEST_FIRST = (
    "nightly/test_nightly_run.py",
    "pipeline/test_per_call_export.py",
    "reports/test_wait_staffing.py",
    "nightly/test_nightly_refit.py",
    "pipeline/test_messy_center.py",
    "pipeline/test_local_time.py",
    "pipeline/test_simulated_center.py",
    "semantic/test_metricflow.py",
    "validation/test_marts.py",
    "privacy/test_public_outputs.py",
    "adapters/test_adapt_cli.py",
    "validation/test_inputs.py",
    "docs/test_readme_commands.py",
    "ingest/test_ingest_rows.py",
    "privacy/test_mask_pii.py",
    "pipeline/test_dbt_unit_tests.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the modules of SLOWEST_FIRST first, in its order (a stable sort)."""
    here = Path(__file__).parent
    rank = {here / name: index for index, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path, len(rank)))


@pytest.fixture(autouse=True, scope="session")
def _great_expectations_untraced() -> Iterator[None]:
    """Under coverage (`make test`), GX's `Batch.validate` runs `untraced`.

    GX's own calls, hundreds of thousands for one validation of a tiny warehouse,
    doubled the time of the validation tests and of every in-process build's
    validation steps (test_inputs and test_marts: 33 s traced, 25 s untraced).
    opsmart's code before and after the call is measured as before.
    """
    if coverage.Coverage.current() is None:
        yield
        return
    from great_expectations.datasource.fluent.interfaces import Batch

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Batch, "validate", untraced(Batch.validate))
        yield


@pytest.fixture(scope="session")
def seed_parse(tmp_path_factory: pytest.TempPathFactory) -> SeedParse:
    """`seed_parse(folder)` gives a dbt state folder this run's saved parse of the
    project, and returns the folder.

    A build's dbt state folder is the warehouse's (`opsmart build`, `run_dbt`):
    a fresh one made dbt parse the whole project, about 4 s of CPU of each build's
    25. dbt re-checks a saved parse against every file and uses it only when the
    project, the vars and the profile are the same, so it only saves time: a build
    with other vars (or a project changed since) parses in full, as before. The
    profile holds the warehouse's file name, not its path (run_dbt), so a parse saved
    beside one `opsmart.duckdb` serves any other.
    """

    def parse(root: Path) -> None:
        assert run_dbt(["parse"], warehouse=root / "opsmart.duckdb", state_dir=root)

    saved = built_once(tmp_path_factory, "dbt_parse", parse) / SAVED_PARSE

    def seed(folder: Path) -> Path:
        (folder / SAVED_PARSE).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved, folder / SAVED_PARSE)
        return folder

    return seed


def _build(
    landing: Path, warehouse: Path, seed_parse: SeedParse, *options: str
) -> None:
    seed_parse(warehouse.parent)
    argv = ["build", "--landing", str(landing), "--warehouse", str(warehouse)]
    assert main([*argv, *options]) == 0


#: Where the per-call export is built: quotes and spaces in every path on purpose
#: (tests/python/nightly/test_nightly_faults.py checks that such a build publishes).
PER_CALL_ROOT = "o'brien's \"ops\" data"
PER_CALL_LANDING = f"{PER_CALL_ROOT}/landing files"
PER_CALL_WAREHOUSE = f"{PER_CALL_ROOT}/ware house/opsmart.duckdb"


@pytest.fixture(scope="session")
def per_call_warehouse(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> Path:
    """The hand-made per-call export (only `contacts`, no duration columns) built,
    with the docs site, at a path with quotes and spaces."""

    def make(root: Path) -> None:
        shutil.copytree(FIXTURES / "per_call_export", root / PER_CALL_LANDING)
        warehouse = root / PER_CALL_WAREHOUSE
        _build(root / PER_CALL_LANDING, warehouse, seed_parse, "--docs")

    return built_once(tmp_path_factory, "per_call", make) / PER_CALL_WAREHOUSE


@pytest.fixture(scope="session")
def small_center_options() -> dict[str, int]:
    """The generator's options of the small center (`generate(out, **options)`)."""
    return {"days": SMALL_DAYS, "agents": SMALL_AGENTS, "seed": SMALL_SEED}


@pytest.fixture(scope="session")
def small_center(
    tmp_path_factory: pytest.TempPathFactory,
    small_center_options: dict[str, int],
    seed_parse: SeedParse,
) -> Path:
    """A folder with `landing/` and the `opsmart.duckdb` built from it (all tests)."""

    def make(root: Path) -> None:
        landing = root / "landing"
        generate(landing, **small_center_options)
        _build(landing, root / "opsmart.duckdb", seed_parse)

    return built_once(tmp_path_factory, "small_center", make)


@pytest.fixture(scope="session")
def large_center(
    tmp_path_factory: pytest.TempPathFactory, seed_parse: SeedParse
) -> Path:
    """A folder with `landing/` (and its truth.json) and the `opsmart.duckdb` built
    from it: the center on which the marts and reports must recover the generator's
    truth (pipeline/test_simulated_center.py, reports/test_wait_staffing.py). One
    build serves both: each was a build of its own."""

    def make(root: Path) -> None:
        landing = root / "landing"
        generate(landing, days=LARGE_DAYS, agents=LARGE_AGENTS, seed=LARGE_SEED)
        _build(landing, root / "opsmart.duckdb", seed_parse)

    return built_once(tmp_path_factory, "large_center", make)
