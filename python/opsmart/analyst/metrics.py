"""`opsmart metrics`: MetricFlow's `mf` on a published warehouse, from any folder.

`mf` needs three things that a plain `mf query` in the project root does not have
after `make demo` (docs/semantic_layer.md): the warehouse (`OPSMART_WAREHOUSE`), a
read-only connection (profile output `readonly`, so it neither locks out other
readers nor needs write access) and `target/semantic_manifest.json` in the dbt
project it runs in, whose table names carry the warehouse file's name. This module
gives it a private project folder that links the project's files, with the manifest
that the build left beside the warehouse (`<warehouse dir>/target/`) or, when there
is none that fits, one that `dbt parse` writes, and runs `mf` with the user's
arguments in the user's folder (so `--csv out.csv` lands there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from opsmart.analyst.sql import WarehouseError
from opsmart.nightly.dbt_runner import DBT_MAIN, project_dir

__all__ = ["PROJECT_ENTRIES", "run_metricflow"]

#: What `dbt parse` and `mf` read from the project; linked into the private folder.
PROJECT_ENTRIES = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
)
MANIFEST = "semantic_manifest.json"


def run_metricflow(warehouse: Path, mf_args: Sequence[str]) -> int:
    """Run `mf MF_ARGS` on `warehouse`, read-only; return mf's exit code.

    Raises
    ------
    WarehouseError
        When the warehouse does not exist, `mf` is not installed, or no semantic
        manifest could be written.
    """
    warehouse = warehouse.resolve()
    if not warehouse.is_file():
        raise WarehouseError(
            f"warehouse {warehouse} does not exist: build it with `make demo` (or "
            "`opsmart build`), or pass --warehouse"
        )
    mf = _executable("mf")
    with tempfile.TemporaryDirectory(prefix="opsmart-metrics-") as scratch:
        project = Path(scratch) / "project"
        (project / "target").mkdir(parents=True)
        for entry in PROJECT_ENTRIES:
            (project / entry).symlink_to(project_dir() / entry)
        env = {
            **os.environ,
            "OPSMART_WAREHOUSE": str(warehouse),
            "OPSMART_TARGET": "readonly",
            "DBT_PROJECT_DIR": str(project),
            "DBT_PROFILES_DIR": str(project),
            "DBT_LOG_PATH": str(Path(scratch) / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        built = warehouse.parent / "target" / MANIFEST
        if _fits(built, warehouse):
            shutil.copyfile(built, project / "target" / MANIFEST)
        else:
            _parse(project, env)
        return subprocess.run([mf, *mf_args], env=env, check=False).returncode


def _fits(manifest: Path, warehouse: Path) -> bool:
    """The manifest names its tables in the warehouse's catalog (the file's name)."""
    try:
        models = json.loads(manifest.read_text(encoding="utf-8"))["semantic_models"]
        catalogs = {model["node_relation"]["database"] for model in models}
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return catalogs == {warehouse.stem}


def _parse(project: Path, env: dict[str, str]) -> None:
    """`dbt parse` into `project/target` with the warehouse's name in the tables."""
    command = [
        sys.executable,
        "-c",
        DBT_MAIN,
        "parse",
        "--quiet",
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(project / "target"),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (project / "target" / MANIFEST).exists():
        last = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
        raise WarehouseError(
            f"dbt parse could not write the semantic manifest: {last[0]}"
        )


def _executable(name: str) -> str:
    """`name` from this interpreter's environment (the venv), else from PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise WarehouseError(
            f"`{name}` is not installed: run `make install` (requirements.lock.txt "
            "pins dbt-metricflow)"
        )
    return found
