"""What the commands share: the exit codes, the demo's zone, --vars, progress."""

from __future__ import annotations

import yaml  # type: ignore[import-untyped]

from opsmart import nightly
from opsmart._text import one_line
from opsmart.ingest import LandingError

__all__ = ["DEMO_TIMEZONE", "EXIT_BAD_INPUT", "EXIT_OK", "_dbt_vars", "_say"]

#: The demo center's zone (`opsmart generate --timezone`, `opsmart demo`).
DEMO_TIMEZONE = "Asia/Seoul"

#: Exit codes: those of `opsmart.nightly` (docs/nightly.md), the same for every command.
EXIT_OK, EXIT_BAD_INPUT = nightly.EXIT_OK, nightly.EXIT_BAD_INPUT


def _dbt_vars(text: str | None) -> dict[str, object]:
    """--vars as dbt reads it: a YAML mapping (JSON is YAML), so both
    '{"sl_method": "answered"}' and '{sl_method: answered}' work."""
    if not text:
        return {}
    try:
        parsed = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise LandingError(
            f"--vars is not a YAML or JSON mapping ({one_line(str(error))}): {text!r}"
        ) from None
    if not isinstance(parsed, dict):
        raise LandingError(
            f"--vars must be a mapping such as '{{sl_method: answered}}', got {text!r}"
        )
    return parsed


def _say(message: str) -> None:
    print(f"  {message}", flush=True)
