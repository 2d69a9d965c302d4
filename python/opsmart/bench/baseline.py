"""``python -m opsmart.bench baseline {floor,notebook} --landing L --json P``.

``--memory-limit 1792MB`` caps the floor's DuckDB (without it, DuckDB's default).

Runs one baseline implementation of the headline marts in this process (the scale
benchmark starts it as a child to measure its time and memory) and writes the row
counts of what it computed, so the run can be checked against the pipeline's marts.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from opsmart.bench import floor, notebook

__all__ = ["main"]

_KINDS = ("floor", "notebook")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m opsmart.bench baseline")
    parser.add_argument("kind", choices=_KINDS)
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--json", dest="json_path", type=Path, required=True)
    parser.add_argument(
        "--memory-limit",
        metavar="SIZE",
        help="the floor's DuckDB memory cap, e.g. 1792MB (default: DuckDB's own, "
        "80%% of the machine's memory)",
    )
    options = parser.parse_args(argv)
    if options.memory_limit is not None and options.kind != "floor":
        parser.error("--memory-limit is the floor's (DuckDB); the notebook has none")
    started = time.perf_counter()
    if options.kind == "floor":
        tables = floor.compute(options.landing, memory_limit=options.memory_limit)
    else:
        tables = notebook.compute(options.landing)
    seconds = time.perf_counter() - started
    options.json_path.write_text(
        json.dumps(
            {
                "compute_seconds": seconds,
                "tables": {name: len(frame) for name, frame in tables.items()},
            },
            indent=2,
        )
    )
    return 0
