"""Section 10, the definitions in force: the dbt vars (KPI definitions and report
settings) the build used."""

from __future__ import annotations

import json
from typing import Any

from opsmart.report._html import (
    esc,
    note,
    table,
)
from opsmart.report.sections._common import ReportContext

__all__ = ["definitions"]


def definitions(ctx: ReportContext) -> str:
    """The dbt vars (KPI definitions and report settings) the build used."""
    if not ctx.dbt_vars:
        return note(
            "No data: neither audit.run_log nor utilities.util_kpi_definitions is in "
            "this warehouse, so the definitions in force are unknown."
        )
    rows = [
        [f"<code>{esc(name)}</code>", esc(_var_text(value))]
        for name, value in ctx.dbt_vars.items()
    ]
    return table(
        ["dbt var", "Value in force"],
        rows,
        caption=f"From {ctx.dbt_vars_source}; meanings in models/_kpi__docs.md",
        css_class="definitions",
    )


def _var_text(value: Any) -> str:
    if value is None:
        return "null (not set)"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(_var_text(item) for item in value)
    return json.dumps(value)
