"""`opsmart explore`: the interactive explorer on a published warehouse, read-only."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

__all__ = ["cmd_explore"]


def cmd_explore(options: argparse.Namespace) -> int:
    """Check the warehouse, then become the Streamlit server (until Ctrl-C).

    The process is replaced by Streamlit's (`os.execve`), so a signal that stops
    `opsmart explore` stops the server, and its exit code is the server's.
    """
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
    os.execve(command[0], command, streamlit_environment(warehouse))
