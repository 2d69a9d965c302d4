"""The `opsmart` command: generate demo data, build the warehouse, run the nightly job,
and read a built warehouse (`sql`, `metrics`, `plan`).

Each sub-command is a small function returning an exit code; `main` parses the
arguments and maps errors to exit codes (the `opsmart.nightly.EXIT_*` constants:
0 ok, 1 dbt failure, 2 bad input, 3 quarantine over threshold, 4 validation failed,
5 another run holds the lock, 6 published but the report failed, 7 the machine
refused: disk full, permission, read-only file system). An error is one line on
stderr, never a traceback.

The parser is in `_parser`; the commands are grouped by what they work on:
`_landing` (generate, check, adapt), `_build` (build, run, demo), `_read_only`
(report, sql, metrics), `_plan` (the what-if) and `_spark`; `_common` holds what
they share.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence

from opsmart import nightly
from opsmart._text import one_line
from opsmart.analyst.sql import WarehouseError

# Re-exported (the `as` says so) for the callers and tests that import them from here.
from opsmart.cli._common import EXIT_BAD_INPUT as EXIT_BAD_INPUT
from opsmart.cli._common import EXIT_OK as EXIT_OK
from opsmart.cli._common import _dbt_vars as _dbt_vars
from opsmart.cli._parser import _parser as _parser
from opsmart.ingest import LandingError

__all__ = ["main"]

log = logging.getLogger("opsmart")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `opsmart` and `python -m opsmart`; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    options = _parser().parse_args(argv)
    try:
        status: int = options.handler(options)
    except (LandingError, WarehouseError, json.JSONDecodeError) as error:
        print(f"opsmart: error: {one_line(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except nightly.ENVIRONMENT_ERRORS as error:
        message = one_line(nightly.fault_message(error))
        print(f"opsmart: error: {message}", file=sys.stderr)
        return nightly.EXIT_ENVIRONMENT
    return status
