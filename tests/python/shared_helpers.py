"""Helpers that tests of several folders share (a plain module, not the conftest:
the root conftest puts this folder on sys.path, so `from shared_helpers import ...`
works in every folder below it)."""

from __future__ import annotations

import concurrent.futures
import fcntl
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import coverage
import pytest
import yaml

from opsmart.nightly.dbt_runner import dbt_arguments, dbt_command

__all__ = [
    "SAVED_PARSE",
    "SeedParse",
    "built_once",
    "compile_inline",
    "compile_queries",
    "contract_columns",
    "dbt_captured",
    "file_digest",
    "run_captured",
    "unchanged",
    "untraced",
]

PROJECT = Path(__file__).resolve().parents[2]
#: The dbt contracts of the public tables: one YAML per marts folder (or per model
#: or small group where a folder's is too big) and one per report area
#: (reports/prep/ is uncontracted, so not globbed).
CONTRACT_FILES = {
    "marts": ("models/marts", "*/_*__models.yml"),
    "reports": ("models/reports", "_*__models.yml"),
}

#: Where dbt saves its parse of the project, in a dbt state folder.
SAVED_PARSE = Path("target", "partial_parse.msgpack")

#: The conftest's `seed_parse` fixture: gives a dbt state folder the run's saved
#: parse of the project and returns the folder.
SeedParse = Callable[[Path], Path]


def contract_columns() -> dict[str, list[tuple[str, str]]]:
    """`schema.model` -> [(column, data_type), ...] of every contracted mart and
    report, from the dbt contracts (CONTRACT_FILES): tests create their tables from
    it, so a query naming a column the contract does not have fails in the tests."""
    return {table: list(columns) for table, columns in _contract_columns().items()}


@functools.cache
def _contract_columns() -> dict[str, tuple[tuple[str, str], ...]]:
    # Parsed once per process, by libyaml where PyYAML has it: the contracts are
    # 200 kB of YAML, and the validation tests build tables from them in every
    # test; PyYAML's pure-Python parser took 0.3 s a time, 1 s under coverage.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tables: dict[str, tuple[tuple[str, str], ...]] = {}
    for schema, (folder, pattern) in CONTRACT_FILES.items():
        for path in sorted((PROJECT / folder).glob(pattern)):
            text = path.read_text(encoding="utf-8")
            for model in yaml.load(text, Loader=loader)["models"]:
                columns = tuple(
                    (column["name"], column["data_type"])
                    for column in model.get("columns", [])
                    if "data_type" in column
                )
                if columns:
                    tables[f"{schema}.{model['name']}"] = columns
    return tables


P = ParamSpec("P")
R = TypeVar("R")


def untraced(function: Callable[P, R]) -> Callable[P, R]:
    """*function*, run in a thread coverage does not trace while coverage runs.

    For the third-party work a test drives (GX's validation, Ciw's simulations,
    Hypothesis's engine): coverage measures only opsmart, yet its tracer sees every
    call such code makes, and that doubled its time. opsmart code called inside is
    not measured, so wrap only what calls none. The result (or error) is the
    function's own; the caller waits for it. (Hypothesis does not collect its
    `--hypothesis-show-statistics` in the thread; run without coverage for them.)
    """

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if coverage.Coverage.current() is None:
            return function(*args, **kwargs)

        def in_thread() -> R:
            sys.settrace(None)  # this thread's only: coverage traces threads apart
            return function(*args, **kwargs)

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as thread:
            return thread.submit(in_thread).result()

    return run


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """A folder filled by `make(folder)` once per test run; this worker's own copy.

    With xdist, the first worker to take the lock calls `make` in a folder of the
    run's shared temporary directory (the parent of every worker's); the others wait
    for it and copy it. Each worker gets a copy of its own, so what a test writes
    beside a warehouse (a dbt target, a report) is never seen by the other worker.
    Without xdist, `make` fills this session's folder directly.
    """
    own = tmp_path_factory.mktemp(name)
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        make(own)
        return own
    shared = tmp_path_factory.getbasetemp().parent / f"built_once_{name}"
    with (shared.parent / f"{shared.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared.parent / f"{shared.name}.done"
        if not done.exists():
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            make(shared)
            done.touch()
    shutil.copytree(shared, own, symlinks=True, dirs_exist_ok=True)
    return own


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes: equal digests, the same file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def unchanged(path: Path, message: str = "") -> Iterator[None]:
    """Fail unless the block leaves the file *path* byte for byte as it was.

    What only reads the published warehouse (a README command, `mf`, `opsmart sql`)
    and a run that fails must leave it untouched; *message* says which.
    """
    before = file_digest(path)
    yield
    assert file_digest(path) == before, message or f"{path} changed"


def run_captured(
    argv: Sequence[str], **options: Any
) -> subprocess.CompletedProcess[str]:
    """*argv* as a subprocess (*options* as subprocess.run takes them: cwd, env,
    input), its output captured as text, whatever its exit code: the test asserts
    on the code and shows the output when it is not the one expected."""
    return subprocess.run(
        list(argv), capture_output=True, text=True, check=False, **options
    )


def dbt_captured(
    args: Sequence[str], *, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """dbt's command line *args* run as run_dbt runs it (a child of this worker's
    dbt server, in *cwd*, with exactly *env*), its output captured as text."""
    with (
        open(os.devnull, "rb") as stdin,
        tempfile.TemporaryFile() as stdout,
        tempfile.TemporaryFile() as stderr,
    ):
        fds = [stdin.fileno(), stdout.fileno(), stderr.fileno()]
        code = dbt_command(args, cwd=cwd, env=env, stdio=fds)
        out, err = (_text(stream) for stream in (stdout, stderr))
    return subprocess.CompletedProcess(["dbt", *args], code, out, err)


def _text(stream: Any) -> str:
    stream.seek(0)
    return str(stream.read().decode())


def compile_inline(sql: str, state_dir: Path) -> str:
    """*sql* (Jinja: the project's macros and vars) compiled by dbt for its DuckDB
    target, in a process of its own; dbt's target/ and logs/ go to *state_dir*.
    dbt runs there as run_dbt runs it (the warehouse named, not its path), so a
    state folder given the run's saved parse (the `seed_parse` fixture) uses it.

    For tests of what a macro renders to: the SQL dbt writes, not a Python copy.
    """
    args = dbt_arguments(
        ["compile", "--inline", sql, "--output", "json", "--quiet"],
        state_dir=state_dir,
    )
    env = {
        **os.environ,
        "OPSMART_TARGET": "duckdb",
        "OPSMART_WAREHOUSE": "opsmart.duckdb",
    }
    state_dir.mkdir(parents=True, exist_ok=True)  # dbt's working folder
    completed = dbt_captured(args, cwd=state_dir, env=env)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    compiled: str = json.loads(completed.stdout)["compiled"]
    return compiled


#: A query's name line in :func:`compile_queries`' input and output.
_QUERY_NAME = re.compile(r"^-- query: (\w+)$", re.MULTILINE)


def compile_queries(sql: str, state_dir: Path) -> dict[str, str]:
    """Each query of *sql* compiled (:func:`compile_inline`), by name: *sql* is a
    run of queries, each after a line ``-- query: <name>``; in order."""
    parts = _QUERY_NAME.split(compile_inline(sql, state_dir))[1:]
    queries = {
        name: body.strip() for name, body in zip(parts[::2], parts[1::2], strict=True)
    }
    assert list(queries) == _QUERY_NAME.findall(sql)  # one per name, none lost
    return queries
