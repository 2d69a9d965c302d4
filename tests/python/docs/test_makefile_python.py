"""The Makefile picks the newest Python >= 3.11 on PATH; PYTHON overrides (issue 22).

Fake interpreters on a PATH of their own stand in for the versions a machine may
have: a "python3.13" that is too old (it fails the version check, as an old build
would), a "python3.12" that is this interpreter, and no other candidate. `make`
prints the PYTHON it chose through an --eval'd target, so the test reads the
Makefile's own rule rather than a copy of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opsmart.nightly.dbt_runner import project_dir

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _fake_python(folder: Path, name: str, *, new_enough: bool) -> None:
    script = folder / name
    body = f'exec "{sys.executable}" "$@"' if new_enough else "exit 1"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


def _chosen_python(path: Path, *overrides: str) -> str:
    env = {**os.environ, "PATH": f"{path}:/usr/bin:/bin"}
    env.pop("PYTHON", None)
    result = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(project_dir()),
            "--eval",
            "chosen: ; @echo $(PYTHON)",
            *overrides,
            "chosen",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout.strip()


def test_the_newest_python_that_passes_the_check_wins(tmp_path: Path) -> None:
    _fake_python(tmp_path, "python3.13", new_enough=False)
    _fake_python(tmp_path, "python3.12", new_enough=True)
    assert _chosen_python(tmp_path) == "python3.12"


def test_a_newer_python_is_preferred_to_3_11(tmp_path: Path) -> None:
    _fake_python(tmp_path, "python3.13", new_enough=True)
    _fake_python(tmp_path, "python3.11", new_enough=True)
    assert _chosen_python(tmp_path) == "python3.13"


def test_python_on_the_command_line_overrides_the_pick(tmp_path: Path) -> None:
    _fake_python(tmp_path, "python3.13", new_enough=True)
    chosen = _chosen_python(tmp_path, "PYTHON=/opt/py/bin/python3")
    assert chosen == "/opt/py/bin/python3"
