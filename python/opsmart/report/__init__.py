"""The nightly HTML report: one self-contained page from a built warehouse.

`render_report(warehouse, out, run_date=None)` reads the published DuckDB file
read-only and writes one HTML file with inline styles and inline SVG charts
(`charts`), no script and no network use. Its ten sections (`sections.SECTIONS`) are
the OKR scorecard, interval service level against Erlang A, cost against
satisfaction, the wait -> churn curve, value-optimal staffing, next week's forecast
and staffing plan, the demand matrix, customer-feedback themes, data quality and the
KPI definitions in force.
"""

from __future__ import annotations

from opsmart.report.render import render_report
from opsmart.report.sections import SECTIONS

__all__ = ["SECTIONS", "render_report"]
