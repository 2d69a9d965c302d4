"""Check a landing directory against the data contract and lay out dbt's inputs.

dbt reads the landing files where they lie (dbt-duckdb external sources, see
`dbt_project.yml`). Before it does, `prepare_inputs` checks what can be checked without
reading every row: which sources are present, that one landing directory uses one file
format, and that every file has the contract's required columns. It then writes an
*inputs* folder that dbt's sources point at:

    <inputs>/_contract/<source>.csv   header-only file with every contract column
    <inputs>/<source>                 link to <landing>/<source>, or, for a missing
                                      optional source, a folder with a header-only file

The sources read ``[_contract/<source>.*, <source>/*.*]`` with ``union_by_name``, so
an optional column that a file leaves out reads as null, and a missing optional source
reads as zero rows (its metrics are null, never 0).
"""

from __future__ import annotations

import csv
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from opsmart.contract import REQUIRED_SOURCES, SOURCES, Column

__all__ = ["MISSING_SOURCE_EFFECTS", "LandingError", "LandingReport", "prepare_inputs"]

log = logging.getLogger(__name__)

FORMATS = ("csv", "parquet")

#: What the report says when an optional source is missing (docs/data_contract.md).
MISSING_SOURCE_EFFECTS: dict[str, str] = {
    "agent_intervals": "occupancy, utilization and shrinkage are null; staffed agents "
    "are estimated from the agents who handled contacts",
    "survey_responses": "CSAT, NPS and the metrics built on them are null",
    "customers": "segment, revenue and churn metrics are null",
    "costs": "every staffing-cost measure is null",
}

_PARQUET_TYPES = {
    "string": "varchar",
    "timestamp": "timestamptz",
    "date": "date",
    "number": "double",
    "integer": "bigint",
    "boolean": "boolean",
}


class LandingError(ValueError):
    """The landing directory cannot be read as the data contract describes."""


@dataclass(frozen=True)
class LandingReport:
    """What `prepare_inputs` found: format, sources present and missing, file counts."""

    landing_dir: Path
    inputs_dir: Path
    file_format: str
    files: dict[str, int] = field(default_factory=dict)
    missing: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """Human-readable lines for the CLI and the run log."""
        lines = [f"landing {self.landing_dir} ({self.file_format})"]
        for source, count in self.files.items():
            lines.append(f"  {source}: {count} file(s)")
        for source in self.missing:
            lines.append(f"  {source}: missing -> {MISSING_SOURCE_EFFECTS[source]}")
        return lines


def prepare_inputs(landing_dir: Path | str, inputs_dir: Path | str) -> LandingReport:
    """Check `landing_dir` against the contract and write dbt's inputs folder.

    Parameters
    ----------
    landing_dir
        Folder with one sub-folder per source (``contacts/``, ``costs/``, ...).
    inputs_dir
        Folder to (re)create for dbt's sources; it holds only links and header files.

    Returns
    -------
    LandingReport

    Raises
    ------
    LandingError
        When the landing folder or `contacts` is missing, formats are mixed, or a file
        lacks a required column (the message names the file and the column).
    """
    landing = Path(landing_dir).resolve()
    inputs = Path(inputs_dir).resolve()
    if not landing.is_dir():
        raise LandingError(f"landing directory {landing} does not exist")

    found = {source: _data_files(landing / source) for source in SOURCES}
    file_format = _single_format(landing, found)
    for source in sorted(REQUIRED_SOURCES):
        if not found[source]:
            raise LandingError(
                f"{landing / source} has no .csv or .parquet files: "
                f"`{source}` is the one required source"
            )
    for source, files in found.items():
        for path in files:
            _check_required_columns(path, SOURCES[source])

    if inputs.exists():
        shutil.rmtree(inputs)
    (inputs / "_contract").mkdir(parents=True)
    missing: list[str] = []
    for source, columns in SOURCES.items():
        _write_empty(inputs / "_contract" / f"{source}.{file_format}", columns)
        if found[source]:
            (inputs / source).symlink_to(landing / source, target_is_directory=True)
        else:
            missing.append(source)
            (inputs / source).mkdir()
            _write_empty(inputs / source / f"_missing.{file_format}", columns)
            log.debug("source %s is missing", source)

    return LandingReport(
        landing_dir=landing,
        inputs_dir=inputs,
        file_format=file_format,
        files={source: len(files) for source, files in found.items() if files},
        missing=tuple(missing),
    )


def _data_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lstrip(".") in FORMATS)


def _single_format(landing: Path, found: dict[str, list[Path]]) -> str:
    suffixes = {p.suffix.lstrip(".") for files in found.values() for p in files}
    if len(suffixes) > 1:
        raise LandingError(
            f"{landing} mixes CSV and Parquet files; "
            "use one format per landing directory"
        )
    return suffixes.pop() if suffixes else "csv"


def _header(path: Path) -> list[str]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as error:  # pyarrow raises several types for bad files
            raise LandingError(
                f"{path}: not a readable Parquet file ({error})"
            ) from None
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [name.strip() for name in next(csv.reader(handle), [])]
    except UnicodeDecodeError as error:
        raise LandingError(f"{path}: not UTF-8 text ({error.reason})") from None


def _check_required_columns(path: Path, columns: tuple[Column, ...]) -> None:
    header = _header(path)
    if not header:
        raise LandingError(f"{path}: empty file, expected a header row")
    absent = [c.name for c in columns if c.required and c.name not in header]
    if absent:
        raise LandingError(
            f"{path}: missing required column(s) {', '.join(absent)} "
            f"(found: {', '.join(header)})"
        )


def _write_empty(path: Path, columns: tuple[Column, ...]) -> None:
    if path.suffix == ".csv":
        path.write_text(",".join(c.name for c in columns) + "\n", encoding="utf-8")
        return
    import duckdb

    select = ", ".join(
        f"cast(null as {_PARQUET_TYPES[c.type]}) as {c.name}" for c in columns
    )
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select {select} where false) to '{path}' (format parquet)"
        )
