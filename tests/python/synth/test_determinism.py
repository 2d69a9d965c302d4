"""Same seed gives byte-identical files; another seed gives different ones."""

from __future__ import annotations

import hashlib
from pathlib import Path

from opsmart.synth import GenerateSummary, generate


def _hashes(summary: GenerateSummary) -> dict[str, str]:
    out = summary.out_dir
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(Path(out).rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_files(
    small: GenerateSummary, small_again: GenerateSummary
) -> None:
    first, second = _hashes(small), _hashes(small_again)
    assert first == second
    assert len(first) == len(small.files)


def test_different_seed_gives_different_files(
    small: GenerateSummary, small_other_seed: GenerateSummary
) -> None:
    first, other = _hashes(small), _hashes(small_other_seed)
    assert first.keys() == other.keys()
    assert (
        first["contacts/contacts_2026-01-05.csv"]
        != other["contacts/contacts_2026-01-05.csv"]
    )
    assert first["truth.json"] != other["truth.json"]


def test_layout(small: GenerateSummary) -> None:
    out = small.out_dir
    assert sorted(p.name for p in (out / "contacts").iterdir()) == [
        "contacts_2026-01-05.csv",
        "contacts_2026-01-06.csv",
        "contacts_2026-01-07.csv",
    ]
    assert len(list((out / "agent_intervals").iterdir())) == 3
    assert len(list((out / "survey_responses").iterdir())) == 3
    assert (out / "customers" / "customers.csv").is_file()
    assert (out / "costs" / "costs.csv").is_file()
    assert (out / "truth.json").is_file()


def test_progress_is_called_once_per_day(tmp_path: Path) -> None:
    messages: list[str] = []
    summary = generate(tmp_path, days=2, agents=8, seed=1, progress=messages.append)
    assert len(messages) == 2
    assert messages[0].startswith("2026-01-05")
    assert summary.rows["contacts"] > 0
