"""A small simulated center delivered day by day, as a nightly job would see it.

The generator writes one file per source per local day (`contacts_2026-03-02.csv`,
...) plus one `customers.csv` and one `costs.csv`; `deliver(days)` copies the files of
the first `days` days (and the two snapshots) into a landing folder, beside those
delivered before, which is exactly how exports arrive. `first_run` is the run of
day 7 that starts the nightly history and the refit schedule's nights.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from nightly_helpers import (
    AGENTS,
    DAYS,
    DEBUG_LOG,
    SEED,
    START,
    TIMEZONE,
    VARS,
    Deliver,
    file_day,
)

from opsmart.cli import main
from opsmart.synth import generate
from shared_helpers import built_once


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full generated landing (all days); tests deliver slices of it."""
    root = tmp_path_factory.mktemp("nightly_generated") / "landing"
    generate(
        root, days=DAYS, agents=AGENTS, seed=SEED, start_date=START, timezone=TIMEZONE
    )
    return root


@pytest.fixture(scope="session")
def deliver(generated: Path) -> Deliver:
    """`deliver(landing, days)`: make `landing` hold the first `days` days."""

    def copy(landing: Path, days: int) -> None:
        last = START + timedelta(days=days - 1)
        for folder in sorted(p for p in generated.iterdir() if p.is_dir()):
            for path in sorted(folder.iterdir()):
                day = file_day(path)
                if day is None or day <= last:
                    target = landing / folder.name / path.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if not target.exists():
                        shutil.copyfile(path, target)

    return copy


@pytest.fixture(scope="session")
def first_run(tmp_path_factory: pytest.TempPathFactory, deliver: Deliver) -> Path:
    """A folder with `landing/` (days 1-7) and `published/`: the first `opsmart run`,
    for day 7, on an empty warehouse (it builds everything), dbt's log at debug
    level. Copy it to go on: it is run once per test run (`built_once`), not once
    per module that starts from it.
    """

    def make(root: Path) -> None:
        landing, warehouse = root / "landing", root / "published" / "opsmart.duckdb"
        deliver(landing, 7)
        day7 = (START + timedelta(days=6)).isoformat()
        argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
        with pytest.MonkeyPatch.context() as env:
            env.setenv(*DEBUG_LOG)
            assert main([*argv, *VARS, "--date", day7]) == 0

    return built_once(tmp_path_factory, "nightly_first_run", make)
