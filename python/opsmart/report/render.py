"""Render the nightly report: one self-contained HTML file from a built warehouse.

The warehouse is opened read-only (a nightly run or an analyst may hold it too). The
page has its styles inline, its charts as inline SVG and no script at all; a Content
Security Policy forbids scripts and every network fetch, so it opens the same offline,
from a mail attachment or a file share.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from opsmart.report._html import esc, note, section
from opsmart.report.sections import SECTIONS, ReportContext, missing_tables

__all__ = ["build_context", "default_run_date", "render_html", "render_report"]

logger = logging.getLogger(__name__)

#: No scripts, no fetches: styles and images are inline (data: only).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d1d1f;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header.page { background: #17324d; color: #fff; padding: 18px 28px; }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; color: #cfd8e3; }
nav.toc { padding: 8px 28px; background: #e9edf2; font-size: 13px; }
nav.toc a { margin-right: 14px; color: #17324d; }
main { max-width: 1380px; margin: 0 auto; padding: 12px 20px 40px; }
section.report-section { background: #fff; border-radius: 6px; margin: 14px 0;
  padding: 14px 18px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
h2 { margin: 0 0 4px; font-size: 18px; color: #17324d; }
h3 { margin: 14px 0 6px; font-size: 15px; }
p.answers { margin: 0 0 10px; color: #555; }
p.summary, p.headline { margin: 6px 0 10px; }
p.note { margin: 6px 0; font-size: 12.5px; color: #555; }
p.note.no-data { color: #8a5a00; background: #fff6e0; border-left: 3px solid #e0a800;
  padding: 6px 10px; font-size: 13px; }
.grid-2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 14px;
  align-items: start; }
@media (max-width: 1100px) { .grid-2 { grid-template-columns: 1fr; } }
figure.chart-box { margin: 0; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.sparkline { vertical-align: middle; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; margin: 4px 0 8px; }
caption { text-align: left; color: #555; padding: 2px 0 4px; font-size: 12px; }
th, td { border-bottom: 1px solid #e4e6ea; padding: 4px 6px; text-align: left;
  vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td.num small, td small { white-space: normal; }
.na { color: #8a8a8a; font-style: italic; }
.muted { color: #8a8a8a; }
.good { color: #1a7f37; }
.bad { color: #c62828; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff;
  font-weight: 600; font-size: 12px; white-space: nowrap; }
.status-on_track { background: #1a7f37; }
.status-at_risk { background: #b7791f; }
.status-off_track { background: #c62828; }
.status-insufficient_data { background: #fff; color: #555; border: 1px solid #999; }
.status-no_data { background: #757575; }
.partial { color: #8a5a00; font-weight: 600; white-space: nowrap; }
span.bar { display: inline-block; height: 9px; background: #1f77b4; margin-left: 6px;
  vertical-align: middle; }
ul.examples { margin: 0; padding-left: 16px; color: #333; }
details summary { cursor: pointer; color: #17324d; margin: 6px 0; }
code { font-size: 12px; }
footer.page { color: #777; font-size: 12px; text-align: center; padding: 10px; }
"""


def default_run_date(connection: duckdb.DuckDBPyConnection) -> date | None:
    """The last local day with contacts (`marts.fct_contacts.arrived_date`), or None."""
    if missing_tables(connection, "marts.fct_contacts"):
        return None
    row = connection.execute(
        "select max(arrived_date) from marts.fct_contacts"
    ).fetchone()
    value = row[0] if row else None
    return value if isinstance(value, date) else None


def build_context(
    connection: duckdb.DuckDBPyConnection, *, run_date: date | None = None
) -> ReportContext:
    """The run date (given or the last day with contacts), vars and latest run."""
    latest_run: dict[str, Any] | None = None
    latest_ingest: Mapping[str, Any] = {}
    history_statistics: Mapping[str, Any] = {}
    dbt_vars: Mapping[str, Any] = {}
    source: str | None = None
    if not missing_tables(connection, "audit.run_log"):
        cursor = connection.execute(
            "select run_id, status, run_date, started_at, log_json "
            "from audit.run_log order by started_at desc limit 1"
        )
        found = cursor.fetchone()
        if found is not None:
            names = [column[0] for column in cursor.description or ()]
            latest_run = dict(zip(names, found, strict=True))
            log = json.loads(latest_run.pop("log_json") or "{}")
            dbt_vars = log.get("dbt_vars") or {}
            latest_ingest = log.get("ingest") or {}
            history_statistics = log.get("history_statistics") or {}
            source = f"audit.run_log, run {latest_run['run_id']}"
    if not dbt_vars and not missing_tables(
        connection, "utilities.util_kpi_definitions"
    ):
        dbt_vars = dict(
            connection.execute(
                "select var_name, var_value from utilities.util_kpi_definitions "
                "order by var_name"
            ).fetchall()
        )
        source = "utilities.util_kpi_definitions"
    return ReportContext(
        connection=connection,
        run_date=run_date or default_run_date(connection),
        dbt_vars=dbt_vars,
        dbt_vars_source=source,
        latest_run=latest_run,
        latest_ingest=latest_ingest,
        history_statistics=history_statistics,
    )


def render_html(ctx: ReportContext, *, source_name: str = "") -> str:
    """The whole page for `ctx`: header, contents, the ten sections, footer.

    A section whose query fails (a table of an unexpected shape) is replaced by a note
    saying so; the other sections still render.
    """
    parts = []
    for number, spec in enumerate(SECTIONS, start=1):
        try:
            body = spec.render(ctx)
        except duckdb.Error as error:
            logger.warning("report section %s failed: %s", spec.section_id, error)
            first_line = str(error).splitlines()[0] if str(error) else repr(error)
            body = note(
                f"This section could not be read from the warehouse: {first_line}"
            )
        parts.append(section(spec.section_id, number, spec.title, spec.answers, body))
    toc = "".join(
        f'<a href="#{esc(spec.section_id)}">{number}. {esc(spec.title)}</a>'
        for number, spec in enumerate(SECTIONS, start=1)
    )
    run = ctx.latest_run
    run_text = f"latest run {run['run_id']} ({run['status']})" if run else "no run log"
    day = str(ctx.run_date) if ctx.run_date else "no contacts"
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    title = f"opsmart nightly report, {day}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head>"
        '<body><header class="page">'
        f"<h1>{esc(title)}</h1>"
        f"<p>Run date {esc(day)} (a local day, {esc(ctx.timezone)}) · "
        f"warehouse {esc(source_name or 'in memory')} · "
        f"{esc(run_text)} · generated {esc(generated)}</p></header>"
        f'<nav class="toc">{toc}</nav><main>{"".join(parts)}</main>'
        '<footer class="page">Made by opsmart from the published warehouse '
        f"(read-only). Days, weeks and months are local ({esc(ctx.timezone)}, "
        "each queue on its own zone's clock); rates are shares of the stated base; "
        '"no data" means the value is unknown, not zero.</footer>'
        "</body></html>\n"
    )


def render_report(warehouse: Path, out: Path, *, run_date: date | None = None) -> Path:
    """Write the nightly HTML report of a built warehouse to `out`.

    Parameters
    ----------
    warehouse : Path
        A built, published ``opsmart.duckdb``; opened read-only.
    out : Path
        The HTML file to write (parent folders are created). It is written to a
        temporary name first and moved into place, so a reader never sees half a page.
    run_date : date, optional
        The day the interval and staffing sections show; default: the last day with
        contacts.

    Returns
    -------
    Path
        `out`.

    Raises
    ------
    FileNotFoundError
        If `warehouse` does not exist.
    TypeError
        If `run_date` is given and is not a date.
    """
    warehouse, out = Path(warehouse), Path(out)
    if run_date is not None and (
        not isinstance(run_date, date) or isinstance(run_date, datetime)
    ):
        raise TypeError(f"`run_date` must be a date, got {run_date!r}")
    if not warehouse.is_file():
        raise FileNotFoundError(f"`warehouse` {warehouse} does not exist")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        ctx = build_context(connection, run_date=run_date)
        html = render_html(ctx, source_name=warehouse.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(html, encoding="utf-8")
    os.replace(partial, out)
    logger.info("report for %s written to %s", ctx.run_date, out)
    return out
