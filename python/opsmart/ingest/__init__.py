"""The load step (ELT): landing files into typed raw tables, bad rows aside.

:func:`ingest` reads every new landing file into ``raw.<source>`` in the DuckDB
warehouse, checks every row against the data contract (:mod:`opsmart.ingest.rules`) and
sends the rows that break it to ``audit.quarantine`` with file, row and reason. Every
file loaded is recorded in ``raw.loaded_files``; ``rows_read = rows_loaded +
rows_quarantined`` for each, so no row is lost. dbt's staging models read ``raw``.
"""

from __future__ import annotations

from opsmart.contract import LandingError
from opsmart.ingest.load import CatalogQueue, ingest, seed_queue_ids, seed_queues
from opsmart.ingest.report import (
    NOT_LOADED_REASONS,
    FileLoad,
    IngestReport,
    NotLoadedFile,
    SkippedFile,
)
from opsmart.ingest.rules import Rule, reason_codes
from opsmart.ingest.settings import LoadSettings

__all__ = [
    "NOT_LOADED_REASONS",
    "CatalogQueue",
    "FileLoad",
    "IngestReport",
    "LandingError",
    "LoadSettings",
    "NotLoadedFile",
    "Rule",
    "SkippedFile",
    "ingest",
    "reason_codes",
    "seed_queue_ids",
    "seed_queues",
]
