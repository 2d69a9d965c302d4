"""Dispatch ``python -m opsmart.bench <name> [options]``."""

from __future__ import annotations

import sys

from opsmart.bench import queueing

_BENCHES = {"queueing": queueing.main}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark named by the first argument."""
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in _BENCHES:
        sys.stderr.write(
            f"usage: python -m opsmart.bench {{{','.join(_BENCHES)}}} ...\n"
        )
        return 2
    return _BENCHES[args[0]](args[1:])


if __name__ == "__main__":
    raise SystemExit(main())
