"""Which files under the landing folder are read, and why each of the others is not.

The landing folder holds one folder per source (``<landing>/<source>/<file>``, the
sources of :data:`opsmart.contract.SOURCES`). Every other entry anywhere under it is
listed as a :class:`~opsmart.ingest.report.NotLoadedFile` with a reason, so nothing is
passed over without a word: hidden files (an editor's or an upload's temporary file,
``.DS_Store``), sub-folders (often an archive of files already loaded), files outside
the source folders, names whose format is not read, pipes and devices.

Symbolic links are never followed, neither to files nor to folders: a link can point
outside the landing folder (a system file, another system's data) and can change
after it was checked. Copy the file in instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from opsmart.contract import SOURCES
from opsmart.ingest._readers import landing_format
from opsmart.ingest.report import NotLoadedFile

__all__ = ["COMPRESSED", "Survey", "survey"]

#: Name endings (any case) of compressed files, which are listed as `compressed`
#: rather than `unsupported_format` (``.csv.gz`` is read: it matches first).
COMPRESSED = (".gz", ".tgz", ".zip", ".bz2", ".xz", ".zst", ".lz4", ".7z", ".rar")


@dataclass(frozen=True)
class Survey:
    """The landing folder sorted out: files to read per source, and all the others."""

    #: Per source (every source of the contract), its readable files, sorted.
    found: dict[str, list[Path]]
    #: Every other file, sorted by path.
    not_loaded: list[NotLoadedFile]


def survey(landing: Path) -> Survey:
    """Sort every entry under `landing` into files to read and files not loaded.

    Raises
    ------
    OSError
        If a folder under `landing` cannot be listed (a missing permission).
    """
    found: dict[str, list[Path]] = {source: [] for source in SOURCES}
    not_loaded: list[NotLoadedFile] = []
    for path, kind in _entries(landing):
        parts = path.relative_to(landing).parts
        reason = _reason(parts, kind)
        if reason is None:
            found[parts[0]].append(path)
            continue
        source = parts[0] if parts[0] in SOURCES else None
        not_loaded.append(NotLoadedFile(source, path, reason, _detail(parts, reason)))
    return Survey(
        found={source: sorted(files) for source, files in found.items()},
        not_loaded=sorted(not_loaded, key=lambda item: item.path),
    )


def _entries(landing: Path) -> Iterator[tuple[Path, str]]:
    """(path, kind) of every entry under `landing` but its folders, which are walked.

    `kind` is ``file``, ``symlink`` (to anything: not followed) or ``other``.
    """
    folders = [landing]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                path = Path(entry.path)
                if entry.is_symlink():
                    yield path, "symlink"
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(path)
                elif entry.is_file(follow_symlinks=False):
                    yield path, "file"
                else:
                    yield path, "other"


def _reason(parts: tuple[str, ...], kind: str) -> str | None:
    """Why the entry at `parts` (inside the landing folder) is not read; None if it is.

    The first reason that applies is given, the most telling first.
    """
    name = parts[-1]
    if kind == "symlink":
        return "symlink"
    if any(part.startswith(".") for part in parts):
        return "hidden"
    if len(parts) == 1:
        return "not_in_source_folder"
    if parts[0] not in SOURCES:
        return "unknown_source_folder"
    if len(parts) > 2:
        return "in_sub_folder"
    if kind != "file":
        return "not_a_file"
    if not _is_utf8(name):
        return "name_not_utf8"  # it could not be recorded in the warehouse
    if landing_format(Path(name)) is None:
        compressed = name.lower().endswith(COMPRESSED)
        return "compressed" if compressed else "unsupported_format"
    return None


def _detail(parts: tuple[str, ...], reason: str) -> str:
    folder = parts[0]
    if reason == "unknown_source_folder" and folder.lower() in SOURCES:
        return f"folder names are lower case: move it to {folder.lower()}/"
    return ""


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode keeps other bytes as lone surrogates
        return False
    return True
