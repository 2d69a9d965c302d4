"""Shared fixtures: small generated landing directories, built once per session."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from synth_helpers import read_source

from opsmart.synth import GenerateSummary, generate

SMALL = {"days": 3, "agents": 10}
MEDIUM = {"days": 60, "agents": 30}


def _generated(name: str, *, seed: int, size: dict[str, int]) -> Any:
    """The session fixture *name*: a landing folder generate() writes once, from
    *seed* at *size*."""

    @pytest.fixture(scope="session", name=name)
    def fixture(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
        return generate(tmp_path_factory.mktemp(name), seed=seed, **size)

    return fixture


small = _generated("small", seed=7, size=SMALL)
#: The same seed again: the same files, byte for byte (test_determinism).
small_again = _generated("small_again", seed=7, size=SMALL)
small_other_seed = _generated("small_other_seed", seed=8, size=SMALL)
medium = _generated("medium", seed=11, size=MEDIUM)


@pytest.fixture(scope="session")
def medium_contacts(medium: GenerateSummary) -> pd.DataFrame:
    return read_source(medium.out_dir, "contacts")


@pytest.fixture(scope="session")
def medium_surveys(medium: GenerateSummary) -> pd.DataFrame:
    return read_source(medium.out_dir, "survey_responses")
