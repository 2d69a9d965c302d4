"""Run dbt against one warehouse file, in a child process that dies with its parent."""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

__all__ = ["DBT_MAIN", "dbt_arguments", "project_dir", "run_dbt", "vars_in_force"]

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
#: dbt's environment variable for its log file's level (`--log-level-file`).
_LOG_LEVEL_FILE = "DBT_LOG_LEVEL_FILE"

#: The child's program (`python -c DBT_MAIN dbt-arguments...`): dbt's command line,
#: with Python's cyclic garbage collector asked to run less often. dbt allocates
#: millions of small objects per build (a context and its macro namespace for each
#: node, an event message for each step), and the collector's default (a pass every
#: 700 new objects, the whole heap every hundred passes) kept tracing the same
#: long-lived manifest: about 5 % of a small build's dbt CPU (issue 19, measured
#: alternating old and new). Reference counting still frees nearly everything at
#: once, the Python models' frames among them. (`gc.freeze()` saved no more, and
#: left DuckDB's bindings to report leaks at exit.)
DBT_MAIN = (
    "import gc; gc.set_threshold(100_000, 50, 1000); "
    "from dbt.cli.main import cli; cli()"
)


def project_dir() -> Path:
    """The dbt project: $OPSMART_PROJECT_DIR, else the checkout this package is in."""
    configured = os.environ.get("OPSMART_PROJECT_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[3]


def vars_in_force(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """dbt_project.yml's vars with a run's overrides: the definitions in force."""
    project = yaml.safe_load((project_dir() / "dbt_project.yml").read_text())
    return {**project.get("vars", {}), **(overrides or {})}


def dbt_arguments(
    args: Sequence[str],
    *,
    state_dir: Path,
    dbt_vars: dict[str, object] | None = None,
) -> list[str]:
    """`args` plus this project, its profile, and `state_dir` for target/ and logs/.

    The paths are absolute: `run_dbt` starts dbt in the warehouse's folder.
    """
    project = project_dir().absolute()
    state_dir = state_dir.absolute()
    arguments = [
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--log-path",
        str(state_dir / "logs"),
        "--target-path",
        str(state_dir / "target"),
    ]
    if dbt_vars:
        arguments += ["--vars", json.dumps(dbt_vars)]
    return arguments


def run_dbt(
    args: Sequence[str],
    *,
    warehouse: Path,
    state_dir: Path,
    dbt_vars: dict[str, object] | None = None,
    env: dict[str, str] | None = None,
) -> bool:
    """Run one dbt command against `warehouse`; True on success.

    dbt runs in a child process: its DuckDB connection (and the memory of the Python
    models) ends with it, and on Linux it is killed when this process dies, so a
    killed run never leaves a dbt behind still writing. `state_dir` receives dbt's
    `target/` (manifest, run results, docs) and `logs/`; keep it, the vars and the
    warehouse path the same from run to run and dbt re-parses only what changed.
    `env` adds environment variables (e.g. OPSMART_RUN_WINDOW_START).

    dbt runs in the warehouse's folder and is given the file's name, not its path:
    dbt keys its saved parse on the profile's values, the DuckDB path among them,
    so an absolute path made a deployment copied or moved elsewhere (and every test
    build in a fresh folder given a saved parse) parse the whole project again,
    about 4 s of CPU per dbt command.

    dbt's log file (`logs/dbt.log`) is at info level, what dbt prints: each
    node's result and each error with its model and message. dbt's default,
    debug, adds every statement and event, about a hundred lines per node, and
    writing them was 8 % of a small build's dbt CPU (issue 19). Set
    DBT_LOG_LEVEL_FILE=debug in the environment to have them.
    """
    command = [
        sys.executable,
        "-c",
        DBT_MAIN,
        *dbt_arguments(args, state_dir=state_dir, dbt_vars=dbt_vars),
    ]
    warehouse = warehouse.absolute()
    env = {
        _LOG_LEVEL_FILE: "info",
        **os.environ,
        **(env or {}),
        "OPSMART_WAREHOUSE": warehouse.name,
    }
    log.info("dbt %s", " ".join(args))
    completed = subprocess.run(
        command,
        cwd=warehouse.parent,
        env=env,
        check=False,
        preexec_fn=_die_with_parent,
    )
    return completed.returncode == 0


def _die_with_parent() -> None:
    """In the child: ask Linux to SIGKILL it when the parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
