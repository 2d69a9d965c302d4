"""`opsmart explore` before the server starts: one line and exit 2 for a warehouse
that is missing, not DuckDB or not an opsmart warehouse; the command it runs."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from opsmart.cli import EXIT_BAD_INPUT, main
from opsmart.explore import launch


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: None, "does not exist"),
        (lambda path: path.write_text("not a database"), "cannot open"),
        (lambda path: duckdb.connect(str(path)).close(), "not an opsmart warehouse"),
    ],
    ids=["missing", "not-duckdb", "not-opsmart"],
)
def test_a_bad_warehouse_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, message: str
) -> None:
    path = tmp_path / "w.duckdb"
    make(path)  # type: ignore[operator]
    assert main(["explore", "--warehouse", str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_a_bad_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["explore", "--port", "70000"])
    assert stop.value.code == 2
    assert "must be a port from 1 to 65535" in capsys.readouterr().err


def test_explore_becomes_streamlit_on_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "w.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create table marts.fct_queue_intervals (x int)")
    con.close()
    calls: list[tuple[str, list[str], dict[str, str]]] = []

    def execve(file: str, argv: list[str], env: dict[str, str]) -> None:
        calls.append((file, argv, env))
        raise SystemExit(0)

    monkeypatch.setattr(os, "execve", execve)
    with pytest.raises(SystemExit):
        main(["explore", "--warehouse", str(path), "--port", "8600"])
    ((_, argv, env),) = calls
    assert argv[1:5] == ["-m", "streamlit", "run", str(launch.APP)]
    assert argv[argv.index("--server.port") + 1] == "8600"
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--server.headless") + 1] == "true"
    assert env[launch.WAREHOUSE_VARIABLE] == str(path.resolve())
    assert "http://127.0.0.1:8600" in capsys.readouterr().out
