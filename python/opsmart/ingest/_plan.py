"""Which landing files a load reads: new ones, headers checked, re-deliveries aside.

A file is planned once per load, before anything is loaded, so a bad header or a file
changed since an earlier load stops the load before it writes a row. Files are known
by their path inside the landing folder and by their bytes (SHA-256).

A file already loaded is hashed again only when its size or modification time is
not the one recorded when its bytes were last hashed, as git and rsync tell a
changed file: a night reads the new day's files, not the whole history's bytes
(a year's landing is 1,100 files; hashing them was 2.2 s of a 3.6 s load).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from opsmart.contract import REQUIRED_SOURCES, SOURCES, LandingError
from opsmart.ingest._readers import (
    FORMATS,
    FileHeader,
    file_sha256,
    landing_format,
    read_header,
)
from opsmart.ingest.report import SAME_CONTENT, NotLoadedFile, SkippedFile

__all__ = ["Planned", "plan_files", "single_format"]


@dataclass(frozen=True)
class Planned:
    """A new file to load, its header read and checked against the contract."""

    source: str
    key: str  # the path relative to the landing folder: moving the folder is safe
    header: FileHeader
    size_bytes: int
    sha256: str
    modified_ns: int


def single_format(landing: Path, found: dict[str, list[Path]]) -> str:
    """The one format of the landing's readable files (``csv`` when there are none).

    Raises
    ------
    LandingError
        If the landing folder mixes CSV and Parquet files.
    """
    by_format: dict[str, Path] = {}
    for files in found.values():
        for path in files:
            by_format.setdefault(landing_format(path) or "", path)
    if len(by_format) > 1:
        examples = ", ".join(str(by_format[kind]) for kind in sorted(by_format))
        raise LandingError(
            f"{landing} mixes CSV and Parquet files (e.g. {examples}); "
            "use one format per landing directory"
        )
    return next(iter(by_format), "csv")


def plan_files(
    connection: duckdb.DuckDBPyConnection,
    landing: Path,
    found: dict[str, list[Path]],
    not_loaded: list[NotLoadedFile],
) -> tuple[list[Planned], list[SkippedFile], list[NotLoadedFile]]:
    """The files to load (headers checked), those already loaded and re-deliveries.

    A re-delivery has the bytes (SHA-256) of a file of its source loaded before, or
    of one earlier in this load (by path): its rows are already in, so it is not
    read again, only listed. A file already loaded under the same path must still
    have its bytes, or the load stops; it is hashed to tell only if its size or
    modification time moved, and a new time with the same bytes is recorded.
    """
    loaded: dict[str, _Loaded] = {}
    first_with: dict[tuple[str, str], tuple[str, str | None]] = {}
    for source, key, sha, load_id, size, modified in connection.execute(
        "select source, source_file, sha256, load_id, size_bytes, modified_ns "
        "from raw.loaded_files order by source_file"
    ).fetchall():
        loaded[key] = _Loaded(sha, load_id, (size, modified))
        first_with.setdefault((source, sha), (key, load_id))
    loaded_sources = {source for source, _ in first_with}
    for source in sorted(REQUIRED_SOURCES):
        if not found[source] and source not in loaded_sources:
            raise LandingError(
                f"{landing / source} has no {', '.join(FORMATS)} files"
                f"{_not_loaded_there(landing, source, not_loaded)}: "
                f"`{source}` is the one required source"
            )
    planned: list[Planned] = []
    skipped: list[SkippedFile] = []
    repeats: list[NotLoadedFile] = []
    verified: list[tuple[int, str]] = []
    for source, files in found.items():
        for path in files:
            key = path.relative_to(landing).as_posix()
            stat = path.stat()
            before = loaded.get(key)
            if before is not None:
                if before.stat != (stat.st_size, stat.st_mtime_ns):
                    if file_sha256(path) != before.sha256:
                        raise LandingError(
                            f"{path}: changed since it was loaded by run "
                            f"{before.load_id}; landing files are append-only: put "
                            "corrections in a new file"
                        )
                    verified.append((stat.st_mtime_ns, key))
                skipped.append(SkippedFile(source, path, before.load_id))
                continue
            sha = file_sha256(path)
            same = first_with.setdefault((source, sha), (key, None))
            if same[0] != key:
                by = f"by run {same[1]}" if same[1] else "earlier in this run"
                detail = f"the same bytes as {same[0]}, loaded {by}"
                repeats.append(NotLoadedFile(source, path, SAME_CONTENT, detail))
                continue
            header = read_header(path, SOURCES[source])
            planned.append(
                Planned(source, key, header, stat.st_size, sha, stat.st_mtime_ns)
            )
    if verified:  # touched, or loaded before modified_ns: hashed once, not again
        connection.executemany(
            "update raw.loaded_files set modified_ns = ? where source_file = ?",
            verified,
        )
    planned.sort(key=lambda item: item.key)
    return planned, skipped, repeats


@dataclass(frozen=True)
class _Loaded:
    """A file in ``raw.loaded_files``: its bytes' hash, the load that read it, and
    its (size, modification time) when the hash was last taken."""

    sha256: str
    load_id: str
    stat: tuple[int, int | None]


def _not_loaded_there(
    landing: Path, source: str, not_loaded: list[NotLoadedFile]
) -> str:
    """The files of `source` that are not loaded, for the required-source message."""
    there = [item for item in not_loaded if item.source == source]
    if not there:
        return ""
    shown = ", ".join(
        f"{item.path.relative_to(landing).as_posix()} ({item.reason})"
        for item in there[:3]
    )
    more = f" and {len(there) - 3} more" if len(there) > 3 else ""
    return f" (not loaded there: {shown}{more})"
