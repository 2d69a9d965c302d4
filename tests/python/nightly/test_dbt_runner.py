"""How `run_dbt` starts dbt: the environment its child gets, and the dbt server that
forks the child (opsmart.nightly._dbt_server).

The server tests give the server a fake dbt (`fake_dbt:main`, written to the test's
folder and put on PYTHONPATH): a command line that says where, with what and how it
ran, and exits or dies as its environment asks.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from opsmart.nightly import dbt_runner
from opsmart.nightly.dbt_runner import DbtServer, DbtServerError

FAKE_DBT = '''
import json, os, signal, sys, time


def main():
    """Print what this process was given; then exit, or die, as FAKE_DO says."""
    print(json.dumps({
        "argv": sys.argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "tzname": list(time.tzname),
        "pid": os.getpid(),
    }), flush=True)
    do = os.environ.get("FAKE_DO", "exit 0")
    if do == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if do == "kill the server":
        os.kill(os.getppid(), signal.SIGKILL)
    if do == "sleep":
        time.sleep(60)
    sys.exit(int(do.split()[1]))
'''


@pytest.fixture
def fake_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fake dbt's entry point, importable by servers started from now on."""
    (tmp_path / "fake_dbt.py").write_text(FAKE_DBT)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return "fake_dbt:main"


@pytest.fixture
def server(fake_dbt: str) -> Iterator[DbtServer]:
    started = DbtServer(fake_dbt)
    yield started
    started.close()


def _said(capfd: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in capfd.readouterr().out.splitlines()]


def test_dbt_logs_to_its_file_at_info_level_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    child = dbt_runner.child_environment(tmp_path / "opsmart.duckdb")
    assert child["DBT_LOG_LEVEL_FILE"] == "info"
    assert child["OPSMART_WAREHOUSE"] == "opsmart.duckdb"


def test_the_environment_chooses_another_log_level(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    warehouse = tmp_path / "opsmart.duckdb"
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    assert dbt_runner.child_environment(warehouse)["DBT_LOG_LEVEL_FILE"] == "debug"
    run_env = {"DBT_LOG_LEVEL_FILE": "warn", "OPSMART_RUN_WINDOW_START": "2026-03-08"}
    child = dbt_runner.child_environment(warehouse, run_env)
    assert child["DBT_LOG_LEVEL_FILE"] == "warn"
    assert child["OPSMART_RUN_WINDOW_START"] == "2026-03-08"


def test_a_child_runs_in_its_folder_with_exactly_its_environment(
    server: DbtServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """As a new process would: the server's own environment (PYTHONPATH here) and
    folder are not the child's, and the time zone follows the child's TZ."""
    folder = tmp_path / "work"
    folder.mkdir()
    env = {"ONLY": "this", "TZ": "America/New_York"}
    assert server.run(["build", "--select", "x"], folder, env) == 0
    (seen,) = _said(capfd)
    assert seen["argv"] == ["dbt", "build", "--select", "x"]
    assert seen["cwd"] == str(folder)
    assert seen["env"] == env
    assert seen["tzname"] == ["EST", "EDT"]


def test_a_request_longer_than_one_read_arrives_whole(
    server: DbtServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    env = {"LONG": "x" * 300_000, "AFTER": "it"}  # the server reads 64 KiB at a time
    assert server.run(["build"], tmp_path, env) == 0
    assert server.run(["build"], tmp_path, {}) == 0  # and the next one after it
    first, second = _said(capfd)
    assert first["env"] == env
    assert second["env"] == {}


def test_each_run_is_a_new_child_and_its_exit_code_is_returned(
    server: DbtServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert server.run([], tmp_path, {"FAKE_DO": "exit 3"}) == 3
    assert server.run([], tmp_path, {"FAKE_DO": "die"}) == -signal.SIGKILL
    assert server.run([], tmp_path, {}) == 0
    pids = [seen["pid"] for seen in _said(capfd)]
    assert len(set(pids)) == 3
    assert server.process.pid not in pids


def test_a_child_writes_to_the_fds_it_is_given(
    server: DbtServer, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with (tmp_path / "out").open("w+b") as out, open(os.devnull, "rb") as stdin:
        fds = [stdin.fileno(), out.fileno(), out.fileno()]
        assert server.run(["parse"], tmp_path, {}, stdio=fds) == 0
        out.seek(0)
        assert json.loads(out.read())["argv"] == ["dbt", "parse"]
    assert capfd.readouterr().out == ""


def test_a_server_that_dies_under_its_child_fails_the_command_and_is_replaced(
    fake_dbt: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(dbt_runner, "DBT_ENTRY", fake_dbt)
    monkeypatch.setattr(dbt_runner, "_current", None)
    warehouse = tmp_path / "opsmart.duckdb"

    def run(**env: str) -> bool:
        return dbt_runner.run_dbt([], warehouse=warehouse, state_dir=tmp_path, env=env)

    try:
        assert run()
        first = dbt_runner._current
        assert first is not None
        with pytest.raises(DbtServerError, match="ended before its dbt did"):
            first.run([], tmp_path, {"FAKE_DO": "kill the server"})
        assert not run(FAKE_DO="exit 1")  # a failed command is False
        assert run()
        assert dbt_runner._current is not first
        assert first.process.returncode == -signal.SIGKILL
    finally:
        if dbt_runner._current is not None:
            dbt_runner._current.close()
    assert len(_said(capfd)) == 4


def test_killing_the_parent_kills_the_server_and_its_running_child(
    fake_dbt: str, tmp_path: Path
) -> None:
    """A killed run never leaves a dbt behind still writing."""
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                from pathlib import Path
                from opsmart.nightly.dbt_runner import DbtServer
                server = DbtServer({fake_dbt!r})
                print(server.process.pid, flush=True)
                server.run([], Path("."), {{"FAKE_DO": "sleep"}})
                """
            ),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    server_pid = int(parent.stdout.readline())
    child_pid = json.loads(parent.stdout.readline())["pid"]
    parent.kill()
    parent.wait()
    assert _ends(server_pid) and _ends(child_pid)


def _ends(pid: int) -> bool:
    """Whether process `pid` is gone (or a zombie) within 10 s."""
    for _ in range(100):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except FileNotFoundError:
            return True
        if state in "ZX":
            return True
        time.sleep(0.1)
    return False
