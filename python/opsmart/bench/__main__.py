"""Dispatch ``python -m opsmart.bench <name> [options]``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable

# Imported on use: the queueing benchmark runs in an environment without dbt.
_BENCHES = {
    "scale": "opsmart.bench.scale",
    "queueing": "opsmart.bench.queueing",
    "baseline": "opsmart.bench.baseline",
}


def _entry(name: str) -> Callable[[list[str]], int]:
    main: Callable[[list[str]], int] = importlib.import_module(_BENCHES[name]).main
    return main


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark named by the first argument."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in _BENCHES:
        sys.stderr.write(
            f"usage: python -m opsmart.bench {{{','.join(_BENCHES)}}} ...\n"
        )
        return 2
    return _entry(args[0])(args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
