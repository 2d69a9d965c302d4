"""dbt's fork server: a process that imports dbt once and forks one child per command.

Importing dbt is 1.3-1.6 s of CPU, paid again by every `python -c "...cli()"` that
starts a dbt command; a test run starts some 60 of them. A child forked from this
process starts with dbt imported. `opsmart.nightly.dbt_runner` starts the server
(by this file's path, with `python -P`, so that nothing of opsmart is imported
into it and its folder is not on `sys.path`) and talks to it over one socket.

Protocol, over a Unix stream socket (its fd is argv[1]; argv[2] is the command
line's entry point, `module:attribute`), one JSON object per line:

- request: {"args": [...], "cwd": "...", "env": {...}}, sent at once with the
  requester's stdin, stdout and stderr attached (SCM_RIGHTS);
- the server forks; the child makes those its fds 0, 1 and 2, moves to `cwd`,
  replaces its whole environment with `env`, sets `sys.argv` to
  `["dbt", *args]` and calls the entry point: the same as a new process would;
- answers: {"pid": ...} once the child runs, then {"returncode": ...} when it
  has ended (negative: killed by that signal, as `subprocess` says it);
- the socket closed: the server exits. It also dies with the process that
  started it (PR_SET_PDEATHSIG), and its child dies with it: a killed run never
  leaves a dbt behind still writing.

Only the standard library is imported here before the entry point, and this
module imports nothing of opsmart.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import importlib
import json
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, NoReturn

__all__ = ["DBT_GC_THRESHOLD", "DBT_MAIN", "die_with_parent", "serve"]

#: Python's cyclic garbage collector in a dbt process runs less often than by
#: default. dbt allocates millions of small objects per build (a context and its
#: macro namespace for each node, an event message for each step), and the
#: collector's default (a pass every 700 new objects, the whole heap every hundred
#: passes) kept tracing the same long-lived manifest: about 5 % of a small build's
#: dbt CPU (issue 19, measured alternating old and new). Reference counting still
#: frees nearly everything at once, the Python models' frames among them.
#: (`gc.freeze()` saved no more, and left DuckDB's bindings to report leaks at
#: exit.)
DBT_GC_THRESHOLD = (100_000, 50, 1000)
#: dbt's command line as a process of its own (`python -c DBT_MAIN dbt-args...`),
#: for what must not be a child of the server (a process the bench measures, a
#: command that needs no warehouse): the server's settings, dbt imported anew.
DBT_MAIN = (
    f"import gc; gc.set_threshold(*{DBT_GC_THRESHOLD}); "
    "from dbt.cli.main import cli; cli()"
)

_PR_SET_PDEATHSIG = 1
#: How much of a request one read takes (a command line and an environment).
_READ = 1 << 16


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def serve(channel: socket.socket, entry: Callable[[], Any]) -> None:
    """Fork a child running `entry` for each request on `channel`, one at a time."""
    while True:
        try:
            message, fds = _request(channel)
        except ConnectionError:
            return
        if not message:
            return
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            channel.close()
            _run_child(entry, request, fds)
        for fd in fds:
            os.close(fd)
        _answer(channel, pid=pid)
        _, status = os.waitpid(pid, 0)
        _answer(channel, returncode=os.waitstatus_to_exitcode(status))


def _request(channel: socket.socket) -> tuple[bytes, list[int]]:
    """The next request's line and the fds that came with it (b"" at the end)."""
    message, fds, _flags, _address = socket.recv_fds(channel, _READ, 3)
    while message and not message.endswith(b"\n"):
        more = channel.recv(_READ)
        if not more:
            break
        message += more
    return message, fds


def _answer(channel: socket.socket, **answer: int) -> None:
    channel.sendall(json.dumps(answer).encode() + b"\n")


def _run_child(
    entry: Callable[[], Any], request: dict[str, Any], fds: list[int]
) -> NoReturn:
    code = 1
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        die_with_parent()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()  # TZ may differ from the server's
        sys.argv = ["dbt", *request["args"]]
        try:
            entry()
            code = 0
        except SystemExit as done:
            code = _exit_code(done.code)
    except BaseException:  # the child must reach os._exit, whatever happened
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # a closed stream: nothing to flush
                stream.flush()
        os._exit(code)


def _exit_code(code: object) -> int:
    """`sys.exit`'s argument as a process's exit code."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main(argv: list[str]) -> None:
    """`python -P _dbt_server.py FD MODULE:ATTRIBUTE`."""
    die_with_parent()
    # Ctrl-C reaches the whole process group: it is for the running dbt, whose
    # exit the server then reports, not for the server.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*DBT_GC_THRESHOLD)
    module, _, attribute = argv[2].partition(":")
    entry = getattr(importlib.import_module(module), attribute)
    serve(socket.socket(fileno=int(argv[1])), entry)


if __name__ == "__main__":
    main(sys.argv)
