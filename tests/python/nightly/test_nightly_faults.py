"""Faults of the machine are messages: a read-only folder, a missing permission, a
full disk give exit 7 and one line, no traceback, the published warehouse untouched
and a complete run log (or, when even that cannot be written, a line saying so).

Tests may run as root, whom file modes do not stop: there the refusal is injected
as the OSError the kernel would raise (EROFS, EACCES, ENOSPC).
"""

from __future__ import annotations

import errno
import json
import logging
import os
import pathlib
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from opsmart.cli import main
from opsmart.nightly import EXIT_ENVIRONMENT, RunLog, fault_message
from opsmart.nightly import pipeline as pipeline_module
from opsmart.nightly import publish as publish_module
from opsmart.nightly._durable import write_atomically
from opsmart.nightly.publish import current_export
from shared_helpers import unchanged

CONTACTS = (
    "contact_id,queue_id,channel,arrived_at,ended_at,outcome\n"
    "c1,q_voice_sales,voice,2026-03-02T10:00:00Z,2026-03-02T10:01:00Z,abandoned\n"
)


@pytest.fixture
def deployment(tmp_path: Path) -> tuple[Path, Path]:
    """(landing, warehouse): one contacts file and a published warehouse file."""
    landing = tmp_path / "landing"
    (landing / "contacts").mkdir(parents=True)
    (landing / "contacts" / "a.csv").write_text(CONTACTS, encoding="utf-8")
    warehouse = tmp_path / "published" / "opsmart.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.fct_contacts as select 1 as n")
    return landing, warehouse


def _run(landing: Path, warehouse: Path) -> int:
    argv = ["run", "--landing", str(landing), "--warehouse", str(warehouse)]
    return main([*argv, "--date", "2026-03-02"])


def _run_log(warehouse: Path) -> dict[str, Any]:
    (path,) = (warehouse.parent / "runs").glob("*.json")
    log: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return log


def _refused(path: Path, mode: int) -> bool:
    """chmod `path`; True if that stops this user (it does not stop root)."""
    path.chmod(mode)
    if path.is_dir():
        probe = path / ".probe"
        try:
            probe.touch()
        except PermissionError:
            return True
        probe.unlink()
        return False
    try:
        path.open("rb").close()
    except PermissionError:
        return True
    return False


Refuse = Callable[[Path], None]


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Refuse]:
    """`read_only(folder)`: nothing can be created or written under `folder`."""
    folders: list[Path] = []
    mkdir, open_ = pathlib.Path.mkdir, pathlib.Path.open

    def refuse(path: Path) -> None:
        if _refused(path, stat.S_IRUSR | stat.S_IXUSR):
            folders.append(path)  # the kernel refuses: restore the mode afterwards
            return
        folders.append(path)

        def under(target: Path) -> bool:
            return any(target.absolute().is_relative_to(f) for f in folders)

        def fake_mkdir(self: Path, *args: Any, **kwargs: Any) -> None:
            if under(self) and not self.exists():
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
            mkdir(self, *args, **kwargs)

        def fake_open(self: Path, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if under(self) and set(mode) & set("wax+"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
            return open_(self, mode, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "mkdir", fake_mkdir)
        monkeypatch.setattr(pathlib.Path, "open", fake_open)

    yield refuse
    for folder in folders:
        folder.chmod(stat.S_IRWXU)


def test_a_read_only_warehouse_folder_is_exit_7(
    deployment: tuple[Path, Path],
    read_only: Refuse,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    landing, warehouse = deployment
    read_only(warehouse.parent)

    with caplog.at_level(logging.ERROR), unchanged(warehouse):
        assert _run(landing, warehouse) == EXIT_ENVIRONMENT

    err = capsys.readouterr().err
    assert "Traceback" not in err
    (error,) = [line for line in err.splitlines() if "error:" in line]
    assert f"{warehouse.parent}/.opsmart.lock: " in error
    assert "read-only" in error or "permission denied" in error
    # Not even the run log can be written there: the run says so.
    assert "the run log could not be written" in caplog.text
    assert not (warehouse.parent / "runs").exists()


def test_a_landing_file_without_read_permission_is_exit_7(
    deployment: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    landing, warehouse = deployment
    secret = landing / "contacts" / "a.csv"
    if not _refused(secret, 0):
        open_ = pathlib.Path.open

        def fake_open(self: Path, *args: Any, **kwargs: Any) -> Any:
            if self == secret:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return open_(self, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "open", fake_open)

    with unchanged(warehouse):
        assert _run(landing, warehouse) == EXIT_ENVIRONMENT

    log = _run_log(warehouse)
    assert log["exit_code"] == EXIT_ENVIRONMENT
    assert log["error"] == (
        f"ingest step: {secret.resolve()}: permission denied: the user running "
        "opsmart needs access"
    )
    assert "Traceback" not in capsys.readouterr().err
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_full_disk_while_copying_is_exit_7_with_a_complete_run_log(
    deployment: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    landing, warehouse = deployment

    def full(source: Path, target: Path) -> None:
        target.write_bytes(b"\0" * 100)  # the part that fitted
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(publish_module.shutil, "copyfile", full)

    with unchanged(warehouse):
        assert _run(landing, warehouse) == EXIT_ENVIRONMENT

    log = _run_log(warehouse)
    assert (log["status"], log["exit_code"], log["published"]) == ("failed", 7, False)
    assert (
        log["error"]
        == "work_copy step: no space left on the disk: free space and run again"
    )
    assert [(s["name"], s["status"]) for s in log["steps"]] == [("work_copy", "failed")]
    err = capsys.readouterr().err
    assert "Traceback" not in err and "no space left on the disk" in err


def test_a_full_disk_inside_duckdb_is_exit_7(
    deployment: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    landing, warehouse = deployment

    def full(*args: object, **kwargs: object) -> None:
        raise duckdb.IOException(
            'IO Error: Could not write file "x.duckdb": No space left on device\n'
            "more detail"
        )

    monkeypatch.setattr(pipeline_module, "_ingest", full)

    with unchanged(warehouse):
        assert _run(landing, warehouse) == EXIT_ENVIRONMENT

    assert _run_log(warehouse)["error"] == (
        'ingest step: IO Error: Could not write file "x.duckdb": No space left on '
        "device"
    )


def test_a_run_log_that_cannot_be_written_fails_a_published_run(
    deployment: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    landing, warehouse = deployment

    def published(request: object, paths: object, runlog: RunLog, say: object) -> None:
        runlog.published = True

    def full(self: RunLog, folder: Path) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "x"))

    monkeypatch.setattr(pipeline_module, "_run_steps", published)
    monkeypatch.setattr(pipeline_module, "_write_report", lambda *args: None)
    monkeypatch.setattr(RunLog, "write_json", full)

    with caplog.at_level(logging.ERROR):
        assert _run(landing, warehouse) == EXIT_ENVIRONMENT
    assert "the run log could not be written" in caplog.text
    assert "no space left on the disk" in caplog.text


def test_a_run_log_is_whole_or_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "run.json"
    write_atomically(path, '{"old": true}\n')

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(path, '{"new": true}\n')
    assert path.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["run.json"]  # no partial file


def test_an_error_message_is_one_printable_line() -> None:
    log = RunLog("r", "run", None, None, False, {})
    log.finish(2, "contacts/a\nb.csv: line 2\x1b[31m")
    assert log.error == "contacts/a\\nb.csv: line 2\\x1b[31m"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            OSError(errno.EROFS, "Read-only file system", "/w/x"),
            "/w/x: the file system is read-only: mount it read-write, or choose "
            "another folder",
        ),
        (
            PermissionError(errno.EACCES, "Permission denied", "/w/x", None, "/w/y"),
            "/w/x -> /w/y: permission denied: the user running opsmart needs access",
        ),
        (OSError(errno.EIO, "Input/output error"), "Input/output error"),
        (duckdb.IOException(""), "IOException"),
    ],
)
def test_fault_messages(error: Exception, message: str) -> None:
    assert fault_message(error) == message


@pytest.mark.pipeline
def test_quotes_and_spaces_in_the_paths_build_and_publish(
    per_call_warehouse: Path,
) -> None:
    """The session's per-call warehouse (tests/python/conftest.py) is built from a
    landing folder and into a folder whose paths have quotes and spaces."""
    warehouse = per_call_warehouse
    run_log = _run_log(warehouse)
    # where the build read and wrote: the odd names, not escaped or split
    landing = Path(run_log["ingest"]["landing_dir"])
    assert landing.parts[-2:] == ("o'brien's \"ops\" data", "landing files")
    assert [f["source"] for f in run_log["ingest"]["files"]] == ["contacts"]
    report = Path(run_log["report"])
    assert report.parts[-4:-1] == ("o'brien's \"ops\" data", "ware house", "report")

    assert run_log["published"] is True
    export = current_export(warehouse.parent / "parquet")
    assert export is not None
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute("select count(*) from marts.fct_contacts").fetchone()
    exported = sum(  # one file per month
        pq.read_metadata(path).num_rows
        for path in (export / "marts" / "fct_contacts").glob("*/*.parquet")
    )
    assert rows == (exported,) and exported > 0
