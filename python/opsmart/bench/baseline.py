"""``python -m opsmart.bench baseline {floor,notebook} --landing L --json P``.

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

_IMPLEMENTATIONS = {"floor": floor.compute, "notebook": notebook.compute}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m opsmart.bench baseline")
    parser.add_argument("kind", choices=sorted(_IMPLEMENTATIONS))
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--json", dest="json_path", type=Path, required=True)
    options = parser.parse_args(argv)
    started = time.perf_counter()
    tables = _IMPLEMENTATIONS[options.kind](options.landing)
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
