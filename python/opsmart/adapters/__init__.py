"""Vendor adapters: real exports in, landing files that follow the data contract out.

Each adapter reads one vendor's export and writes ``contacts`` rows (CSV, contract
columns, UTF-8) into a landing directory that ``opsmart build`` reads
(docs/data_contract.md); every input record becomes exactly one row or one entry of
the :class:`AdapterReport` with its file, record number and reason, so
``records_read = rows_written + rows_rejected``. docs/adapters.md has the mappings.

- :func:`adapt_amazon_connect`: Amazon Connect contact records (Firehose JSON).
- :func:`adapt_genesys_cloud`: Genesys Cloud analytics conversation details.
- :func:`adapt_csv`: any per-call CSV through a YAML column mapping.
"""

from __future__ import annotations

from opsmart.adapters._landing import (
    AdapterReport,
    QueueMap,
    RecordError,
    Rejection,
    load_queue_map,
)
from opsmart.adapters.amazon_connect import (
    ConnectOptions,
    adapt_amazon_connect,
    contact_from_record,
    load_connect_mapping,
)
from opsmart.adapters.generic_csv import (
    ColumnRule,
    CsvMapping,
    adapt_csv,
    load_csv_mapping,
    row_from_record,
)
from opsmart.adapters.genesys_cloud import (
    GenesysOptions,
    WrapUp,
    adapt_genesys_cloud,
    contact_from_conversation,
    load_genesys_mapping,
)

__all__ = [
    "AdapterReport",
    "ColumnRule",
    "ConnectOptions",
    "CsvMapping",
    "GenesysOptions",
    "QueueMap",
    "RecordError",
    "Rejection",
    "WrapUp",
    "adapt_amazon_connect",
    "adapt_csv",
    "adapt_genesys_cloud",
    "contact_from_conversation",
    "contact_from_record",
    "load_connect_mapping",
    "load_csv_mapping",
    "load_genesys_mapping",
    "load_queue_map",
    "row_from_record",
]
