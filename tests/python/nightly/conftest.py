"""A small simulated center delivered day by day, as a nightly job would see it.

The generator writes one file per source per local day (`contacts_2026-03-02.csv`,
...) plus one `customers.csv` and one `costs.csv`; `deliver(days)` copies the files of
the first `days` days (and the two snapshots) into a landing folder, beside those
delivered before, which is exactly how exports arrive.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from nightly_helpers import AGENTS, DAYS, SEED, START, TIMEZONE, Deliver, file_day

from opsmart.synth import generate


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
