"""The nightly run: build in a private copy, validate, publish atomically, log.

`execute(RunRequest(...))` is what `opsmart build` and `opsmart run` call; see
docs/nightly.md for the schedule, the incremental strategy and the exit codes.
"""

from opsmart.nightly.pipeline import (
    ENVIRONMENT_ERRORS,
    EXIT_BAD_INPUT,
    EXIT_DBT_FAILED,
    EXIT_ENVIRONMENT,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_QUARANTINE,
    EXIT_REPORT,
    EXIT_VALIDATION,
    RunPaths,
    RunRequest,
    execute,
    fault_message,
)
from opsmart.nightly.runlog import RunLog

__all__ = [
    "ENVIRONMENT_ERRORS",
    "EXIT_BAD_INPUT",
    "EXIT_DBT_FAILED",
    "EXIT_ENVIRONMENT",
    "EXIT_LOCKED",
    "EXIT_OK",
    "EXIT_QUARANTINE",
    "EXIT_REPORT",
    "EXIT_VALIDATION",
    "RunLog",
    "RunPaths",
    "RunRequest",
    "execute",
    "fault_message",
]
