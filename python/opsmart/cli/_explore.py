"""`opsmart explore`: the interactive explorer on a published warehouse, read-only."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

from opsmart.cli._common import EXIT_OK

__all__ = ["cmd_explore"]


def cmd_explore(options: argparse.Namespace) -> int:
    """Check the warehouse, then serve the app until Ctrl-C (Streamlit's exit code)."""
    from opsmart.explore.launch import (
        check_warehouse,
        streamlit_command,
        streamlit_environment,
    )

    warehouse = Path(options.warehouse)
    check_warehouse(warehouse)
    command = streamlit_command(host=options.host, port=options.port)
    print(
        f"opsmart explore: http://{options.host}:{options.port} on {warehouse} "
        "(read-only; Ctrl-C stops)",
        flush=True,
    )
    try:
        return subprocess.call(command, env=streamlit_environment(warehouse))
    except KeyboardInterrupt:
        return EXIT_OK
