"""Shared fixtures: small generated landing directories, built once per session."""

from __future__ import annotations

import pandas as pd
import pytest
from synth_helpers import read_source

from opsmart.synth import GenerateSummary, generate

SMALL = {"days": 3, "agents": 10}
MEDIUM = {"days": 60, "agents": 30}


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
    return generate(tmp_path_factory.mktemp("small"), seed=7, **SMALL)


@pytest.fixture(scope="session")
def small_again(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
    return generate(tmp_path_factory.mktemp("small_again"), seed=7, **SMALL)


@pytest.fixture(scope="session")
def small_other_seed(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
    return generate(tmp_path_factory.mktemp("small_other"), seed=8, **SMALL)


@pytest.fixture(scope="session")
def medium(tmp_path_factory: pytest.TempPathFactory) -> GenerateSummary:
    return generate(tmp_path_factory.mktemp("medium"), seed=11, **MEDIUM)


@pytest.fixture(scope="session")
def medium_contacts(medium: GenerateSummary) -> pd.DataFrame:
    return read_source(medium.out_dir, "contacts")


@pytest.fixture(scope="session")
def medium_surveys(medium: GenerateSummary) -> pd.DataFrame:
    return read_source(medium.out_dir, "survey_responses")
