"""Run dbt against one warehouse file, in a child process that dies with its parent."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from opsmart.nightly._dbt_server import DBT_MAIN, die_with_parent

__all__ = [
    "DBT_ENTRY",
    "DBT_MAIN",
    "DbtServer",
    "DbtServerError",
    "child_environment",
    "dbt_arguments",
    "dbt_command",
    "project_dir",
    "run_dbt",
    "start_dbt_server",
    "vars_in_force",
]

log = logging.getLogger(__name__)

#: dbt's command line, which the dbt server imports and each of its children runs.
DBT_ENTRY = "dbt.cli.main:cli"
_SERVER = str(Path(__file__).with_name("_dbt_server.py"))
#: dbt's environment variable for its log file's level (`--log-level-file`).
_LOG_LEVEL_FILE = "DBT_LOG_LEVEL_FILE"


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
    stdio: Sequence[int] | None = None,
) -> bool:
    """Run one dbt command against `warehouse`; True on success.

    dbt runs in a child process: its DuckDB connection (and the memory of the Python
    models) ends with it, and on Linux it is killed when this process dies, so a
    killed run never leaves a dbt behind still writing. The child is forked from
    this process's dbt server (`start_dbt_server`), which has imported dbt once.
    `state_dir` receives dbt's `target/` (manifest, run results, docs) and `logs/`;
    keep it, the vars and the warehouse path the same from run to run and dbt
    re-parses only what changed. `env` adds environment variables (e.g.
    OPSMART_RUN_WINDOW_START); `stdio` (three fds) replaces this process's stdin,
    stdout and stderr for dbt (`dbt_command`).

    dbt runs in the warehouse's folder and is given the file's name, not its path:
    dbt keys its saved parse on the profile's values, the DuckDB path among them,
    so an absolute path made a deployment copied or moved elsewhere (and every test
    build in a fresh folder given a saved parse) parse the whole project again,
    about 4 s of CPU per dbt command.
    """
    warehouse = warehouse.absolute()
    log.info("dbt %s", " ".join(args))
    arguments = dbt_arguments(args, state_dir=state_dir, dbt_vars=dbt_vars)
    environment = child_environment(warehouse, env)
    try:
        code = dbt_command(
            arguments, cwd=warehouse.parent, env=environment, stdio=stdio
        )
        return code == 0
    except DbtServerError as error:
        log.error("%s", error)
        return False


def dbt_command(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    stdio: Sequence[int] | None = None,
) -> int:
    """dbt's command line `args` in a child of this process's dbt server, in
    `cwd`, with exactly `env`: its exit code. `stdio` (three fds) replaces this
    process's stdin, stdout and stderr for the child, e.g. to capture them."""
    with _server_lock:
        return _server(env).run(args, cwd, env, stdio)


def child_environment(
    warehouse: Path, env: dict[str, str] | None = None
) -> dict[str, str]:
    """The whole environment of a dbt child: this process's, with `env` and the
    warehouse's file name (`OPSMART_WAREHOUSE`, which profiles.yml reads).

    dbt's log file (`logs/dbt.log`) is at info level, what dbt prints: each
    node's result and each error with its model and message. dbt's default,
    debug, adds every statement and event, about a hundred lines per node, and
    writing them was 8 % of a small build's dbt CPU (issue 19). Set
    DBT_LOG_LEVEL_FILE=debug in the environment to have them.
    """
    return {
        _LOG_LEVEL_FILE: "info",
        **os.environ,
        **(env or {}),
        "OPSMART_WAREHOUSE": warehouse.name,
    }


def start_dbt_server() -> None:
    """Start this process's dbt server now, so that its import of dbt overlaps
    work done meanwhile (the load); `run_dbt` otherwise starts it when first
    needed.

    Start it from the thread that runs dbt, or from the main thread: the server
    is killed when the thread that started it ends (PR_SET_PDEATHSIG), and
    `run_dbt` then starts another.
    """
    with _server_lock:
        _server(os.environ)


class DbtServer:
    """A `_dbt_server` process and the socket to it: `run` forks a child of it for
    one command and returns the child's exit code (as `subprocess` gives it)."""

    def __init__(self, entry: str = DBT_ENTRY, env: Mapping[str, str] | None = None):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.interpreter = _interpreter_environment(env or os.environ)
        self.process = subprocess.Popen(
            [sys.executable, "-P", _SERVER, str(theirs.fileno()), entry],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=die_with_parent,
        )
        theirs.close()
        self.channel = ours
        self.answers = ours.makefile("rb")
        self.owner = os.getpid()

    def run(
        self,
        args: Sequence[str],
        cwd: Path,
        env: Mapping[str, str],
        stdio: Sequence[int] | None = None,
    ) -> int:
        """Run `args` in a new child, in `cwd`, with exactly `env`; its exit code.

        The child's stdin, stdout and stderr are `stdio`, by default this
        process's as they are now. Interrupted here (Ctrl-C), the server and its
        child are killed.
        """
        request = json.dumps({"args": list(args), "cwd": str(cwd), "env": dict(env)})
        line = request.encode() + b"\n"
        try:
            with _standard_fds() as standard:
                fds = list(stdio) if stdio is not None else standard
                socket.send_fds(self.channel, [line], fds)
            self._answer()  # {"pid": ...}: the child runs
            return int(self._answer()["returncode"])
        except BaseException:
            self.close()
            raise

    def _answer(self) -> dict[str, Any]:
        message = self.answers.readline()
        if not message:
            raise DbtServerError(
                f"dbt's server (pid {self.process.pid}) ended before its dbt "
                f"did (exit code {self.process.wait()}); the dbt command failed"
            )
        answer: dict[str, Any] = json.loads(message)
        return answer

    def serves(self, env: Mapping[str, str]) -> bool:
        """Whether a child of this server is what a new process would be: the
        server alive, started by this process, with the same interpreter settings
        (PYTHON* variables, which shape `sys.path` at start-up)."""
        return (
            self.owner == os.getpid()
            and self.process.poll() is None
            and self.interpreter == _interpreter_environment(env)
        )

    def close(self) -> None:
        """End the server (and a child it still runs)."""
        self.answers.close()
        self.channel.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class DbtServerError(RuntimeError):
    """The dbt server died before answering (killed, or out of memory)."""


_server_lock = threading.Lock()
_current: DbtServer | None = None


def _server(env: Mapping[str, str]) -> DbtServer:
    """This process's dbt server, started (again) if it is not running or was
    started with other interpreter settings."""
    global _current
    if _current is None or not _current.serves(env):
        if _current is not None and _current.owner == os.getpid():
            _current.close()
        _current = DbtServer(DBT_ENTRY, env=env)
        atexit.register(_current.close)
    return _current


def _interpreter_environment(env: Mapping[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if name.startswith("PYTHON")}


@contextlib.contextmanager
def _standard_fds() -> Iterator[list[int]]:
    """This process's stdin, stdout and stderr, as a new process would inherit them
    (`/dev/null` for one that is closed)."""
    fds, opened = [], []
    try:
        for fd in (0, 1, 2):
            try:
                os.fstat(fd)
            except OSError:
                opened.append(os.open(os.devnull, os.O_RDWR))
                fd = opened[-1]
            fds.append(fd)
        yield fds
    finally:
        for fd in opened:
            os.close(fd)
