"""Great Expectations suites of the nightly run: the loaded inputs and the built marts.

- :func:`validate_inputs` checks the raw rows of one load (schema, types, keys, ranges)
  and the run date's volume against the same weekday of the trailing weeks.
- :func:`validate_marts` checks the public marts and reports of a window: key
  uniqueness, rates and KPI bands, reconciliations between marts, and drift of AHT,
  service level and CSAT against the trailing 28 days.
- :func:`store` appends a report to ``audit.validation_results``.

Every rule, with its severity and thresholds, is in :mod:`opsmart.validation.suites`.
Importing this package is cheap; Great Expectations is imported on the first
validation, or in the background from :func:`preload`.
"""

from __future__ import annotations

from opsmart.validation.results import CheckResult, ValidationReport, store
from opsmart.validation.runner import preload, validate_inputs, validate_marts

__all__ = [
    "CheckResult",
    "ValidationReport",
    "preload",
    "store",
    "validate_inputs",
    "validate_marts",
]
