"""Files that are whole or absent: written aside, flushed to disk, renamed into place.

A file written in place is truncated first: a full disk, a kill or a power cut then
leaves it empty or half written (a full disk left a 0-byte run log). Written to a
temporary name in the same folder, flushed with fsync and renamed over the final name
(atomic on one file system), it is either the old state or the whole new one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["fsync", "write_atomically"]


def fsync(path: Path) -> None:
    """Flush a file's or a folder's content to disk.

    A folder is flushed after a rename in it, so the rename is on disk too.
    """
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` whole, or leave `path` as it was.

    Raises
    ------
    OSError
        If the folder cannot be written (full, read-only, no permission); the
        temporary file is removed and `path` is untouched.
    """
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
    fsync(path.parent)
