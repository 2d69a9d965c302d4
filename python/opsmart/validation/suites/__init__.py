"""Every Great Expectations rule of the nightly run, declared as data.

A `Suite` is the rows one query returns (``sql``) and the rules (`Rule`: GX expectation
type, its kwargs, severity) checked on them; :mod:`opsmart.validation.runner` runs the
query on DuckDB, hands the frame to GX and reports one result per rule. Several suites
may share a name (``raw.contacts`` has three queries: the rows of the load, its
columns' types in the catalog, and the checks on the values; ``drift`` reads two
marts); results are grouped by name.

Severity ``error`` is kept for hard invariants, which block publishing: the contract's
schema, types and required columns, key uniqueness, rates in [0, 1] and NPS in
[-100, 100], non-negative durations and amounts, time order, and reconciliations
between marts. Plausibility bands, volume and drift are ``warn``.

Run-dependent bounds (volume against the trailing weeks, drift against the trailing
days) are GX suite parameters, ``{"$PARAMETER": name}``, filled from the suite's
one-row ``baseline_sql``; a null baseline (no history yet) skips the rule.

Query parameters: ``$load_id``, ``$run_date`` and ``$timezone`` (inputs: the run
date is a local day of the center's zone, var ``reporting_timezone``) and
``$window_start``, ``$window_end`` (marts; both inclusive, local dates as the marts'
date columns hold them). Raw's instants (TIMESTAMPTZ) are compared in UTC, as the
staging models read them (macro ``to_utc``); a raw row's day is its local date in
``$timezone``.

The package is split by what the suites validate: `_inputs` (``raw.*``), `_marts`
(marts and reports: table suites, reconciliations, drift); the `Rule` and `Suite`
types with their small builders are in `_rules`, every band in `_thresholds`.
"""

from __future__ import annotations

from opsmart.validation.suites._inputs import INPUT_SUITES
from opsmart.validation.suites._marts import MART_SUITES
from opsmart.validation.suites._rules import Rule, Suite, param

__all__ = [
    "INPUT_SUITES",
    "MART_SUITES",
    "Rule",
    "Suite",
    "param",
]
