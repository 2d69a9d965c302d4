"""Wall time and peak memory of a child process and everything it starts.

The pipeline is several processes (``opsmart`` starts ``dbt`` as a child), so the
peak resident memory that matters is that of the whole process tree at one moment:
a sampler thread adds up the RSS of the child and its descendants every
`SAMPLE_SECONDS`, from ``/proc`` (Linux).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Measured", "run_measured", "tree_rss_bytes"]

SAMPLE_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Measured:
    """One measured command: exit code, wall seconds, peak tree RSS in bytes."""

    returncode: int
    seconds: float
    peak_rss_bytes: int


def tree_rss_bytes(root: int) -> int:
    """Resident memory of `root` and all its descendants now (0 if it is gone)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            statm = Path(entry.path, "statm").read_text()
        except OSError:  # the process ended while we looked
            continue
        # the command name may contain spaces and parentheses: split after the last ")"
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        pid = int(entry.name)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(statm.split()[1]) * _PAGE
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def run_measured(
    command: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    log_path: Path | None = None,
    cwd: Path | None = None,
) -> Measured:
    """Run `command` (in `cwd`) to the end; its output goes to `log_path` (or is
    discarded)."""
    sink = log_path.open("wb") if log_path is not None else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_bytes(process.pid))
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    finally:
        if log_path is not None and not isinstance(sink, int):
            sink.close()
    return Measured(returncode, seconds, peak)
