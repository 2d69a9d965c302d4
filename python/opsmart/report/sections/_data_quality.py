"""Section 9, data quality: the run's loaded and unloaded files, quarantine,
validation results, estimated staffing, baselines not computed and the latest runs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from opsmart._text import one_line
from opsmart.ingest.report import NOT_LOADED_REASONS
from opsmart.queueing.baselines import NULL_REASONS
from opsmart.report._html import (
    NA,
    esc,
    fmt_count,
    fmt_number,
    note,
    table,
)
from opsmart.report.sections._common import (
    ReportContext,
    Row,
    _missing_note,
    _run_date_or_note,
    missing_tables,
    query,
)

__all__ = ["QUARANTINE_BY_REASON_SQL", "data_quality"]

#: Quarantined rows by source and reason, of one load (the parameter) and of all
#: loads; the report's table and the explorer's (opsmart.explore.frames) read it.
QUARANTINE_BY_REASON_SQL = """
    select source, reason_code,
        count(*) filter (where load_id = ?) as run_rows,
        count(*) as all_rows,
        min(reason) as example_reason
    from audit.quarantine
    group by source, reason_code
    order by run_rows desc, all_rows desc, source, reason_code
"""

#: Runs listed from audit.run_log.
_RUNS_SHOWN = 7


#: Landing files not loaded listed in the report (the run log lists them all).
_NOT_LOADED_SHOWN = 50


def data_quality(ctx: ReportContext) -> str:
    """The run's loads, quarantine and validation results, and the latest runs."""
    load_id = ctx.latest_run["run_id"] if ctx.latest_run else None
    if load_id is None and not missing_tables(ctx.connection, "raw.loaded_files"):
        load_id = query(ctx, "select max(load_id) as load_id from raw.loaded_files")[0][
            "load_id"
        ]
    return (
        "<h3>Files loaded</h3>"
        + _loaded_files(ctx, load_id)
        + "<h3>Files not loaded</h3>"
        + _files_not_loaded(ctx)
        + "<h3>Quarantined rows</h3>"
        + _quarantine(ctx, load_id)
        + "<h3>Validation</h3>"
        + _validation(ctx)
        + "<h3>Estimated staffing</h3>"
        + _estimated_staffing(ctx)
        + "<h3>Baselines not computed</h3>"
        + _baselines_not_computed(ctx)
        + "<h3>Latest runs</h3>"
        + _run_log(ctx)
    )


def _baselines_not_computed(ctx: ReportContext) -> str:
    """Queue intervals of the run date whose baselines are null, by reason: an odd
    interval is counted here instead of failing the night."""
    run_date = _run_date_or_note(ctx, "marts.fct_queue_intervals")
    if isinstance(run_date, str):
        return run_date
    rows = query(
        ctx,
        """
        select baseline_null_reason as reason, count(*) as intervals,
            string_agg(distinct queue_id, ', ' order by queue_id) as queues
        from marts.fct_queue_intervals
        where interval_date = ? and baseline_null_reason is not null
        group by 1
        """,
        [run_date],
    )
    if not rows:
        return note(
            f"Every queue interval of {run_date} has its queueing baselines.",
            kind="info",
        )
    order = list(NULL_REASONS)
    rows.sort(key=lambda r: order.index(r["reason"]) if r["reason"] in order else 99)
    return table(
        ["Reason (baseline_null_reason)", "Intervals", "Queues", "What is null"],
        [
            [
                esc(r["reason"]),
                fmt_count(r["intervals"]),
                esc(r["queues"]),
                esc(NULL_REASONS.get(r["reason"], NA)),
            ]
            for r in rows
        ],
        numeric=(1,),
        caption=f"Queue intervals of {run_date} without some baselines",
    )


def _estimated_staffing(ctx: ReportContext) -> str:
    """Queue intervals of the run date without agent-interval data, and why it
    matters: their staffing is an estimate, used by the baselines only."""
    run_date = _run_date_or_note(ctx, "marts.fct_queue_intervals")
    if isinstance(run_date, str):
        return run_date
    rows = query(
        ctx,
        """
        select
            queue_id,
            count(*) as intervals,
            count(*) filter (where is_staffing_estimated) as intervals_estimated,
            sum(contacts_answered) filter (where is_staffing_estimated)
                as contacts_answered_estimated
        from marts.fct_queue_intervals
        -- intervals with agent work: a self-service queue needs no agents
        where interval_date = ? and contacts_offered > 0
        group by queue_id
        having count(*) filter (where is_staffing_estimated) > 0
        order by queue_id
        """,
        [run_date],
    )
    if not rows:
        return note(
            f"Every queue interval of {run_date} with contacts offered had "
            "agent-interval data.",
            kind="info",
        )
    return table(
        [
            "Queue",
            "Intervals estimated",
            "Intervals with contacts offered",
            "Contacts handled in them",
        ],
        [
            [
                esc(r["queue_id"]),
                fmt_count(r["intervals_estimated"]),
                fmt_count(r["intervals"]),
                fmt_count(r["contacts_answered_estimated"]),
            ]
            for r in rows
        ],
        numeric=(1, 2, 3),
        caption=f"Queue intervals of {run_date} without agent-interval data",
    ) + note(
        "No agent interval covered these queue intervals (no workforce export for "
        "the queue, or contacts that arrived while nobody was logged in, such as "
        "e-mails at night). Their staffing is unknown: staffed agents and hours, "
        "staff cost, occupancy and money at stake are left empty there, never "
        "estimated. Only the queueing baselines assume the agents who handled "
        "their contacts (baseline_staffed_agents, is_staffing_estimated). Their "
        "contacts still carry their queue-day's cost.",
        kind="info",
    )


def _loaded_files(ctx: ReportContext, load_id: str | None) -> str:
    missing = _missing_note(ctx, "raw.loaded_files")
    if missing:
        return missing
    rows = query(
        ctx,
        """
        select source,
            count(*) filter (where load_id = ?) as run_files,
            sum(rows_read) filter (where load_id = ?) as run_rows_read,
            sum(rows_loaded) filter (where load_id = ?) as run_rows_loaded,
            sum(rows_quarantined) filter (where load_id = ?) as run_rows_quarantined,
            count(*) as files,
            sum(rows_read) as rows_read,
            sum(rows_loaded) as rows_loaded,
            sum(rows_quarantined) as rows_quarantined
        from raw.loaded_files
        group by source
        order by source
        """,
        [load_id] * 4,
    )
    if not rows:
        return note("No data: no landing file has been loaded.")
    return table(
        [
            "Source",
            "Files (this run)",
            "Read",
            "Loaded",
            "Quarantined",
            "Files (all)",
            "Read (all)",
            "Loaded (all)",
            "Quarantined (all)",
        ],
        [
            [
                esc(r["source"]),
                fmt_count(r["run_files"]),
                fmt_count(r["run_rows_read"] or 0) if r["run_files"] else "&ndash;",
                fmt_count(r["run_rows_loaded"] or 0) if r["run_files"] else "&ndash;",
                fmt_count(r["run_rows_quarantined"] or 0)
                if r["run_files"]
                else "&ndash;",
                fmt_count(r["files"]),
                fmt_count(r["rows_read"]),
                fmt_count(r["rows_loaded"]),
                fmt_count(r["rows_quarantined"]),
            ]
            for r in rows
        ],
        numeric=range(1, 9),
        caption=f"raw.loaded_files; this run = load {load_id or 'unknown'}",
    )


def _files_not_loaded(ctx: ReportContext) -> str:
    """The landing files the latest run did not load, with the reason for each."""
    missing = _missing_note(ctx, "audit.run_log")
    if missing:
        return missing
    if "not_loaded" not in ctx.latest_ingest:
        return note(
            "No data: the latest run's log does not list the landing files it did "
            "not load (written by an older version of opsmart?)."
        )
    files: list[Mapping[str, Any]] = ctx.latest_ingest["not_loaded"]
    if not files:
        return note(
            "Every file under the landing folder is loaded, by this run or an "
            "earlier one.",
            kind="info",
        )
    landing = str(ctx.latest_ingest.get("landing_dir", ""))
    counts = ", ".join(
        f"{code} {count:,}"
        for code, count in ctx.latest_ingest.get("not_loaded_counts", {}).items()
    )
    rows = [
        [
            f"<code>{esc(one_line(_inside(str(item['path']), landing)))}</code>",
            f"<code>{esc(item['reason'])}</code>",
            esc(
                one_line(
                    item.get("detail") or NOT_LOADED_REASONS.get(item["reason"], "")
                )
            ),
        ]
        for item in files[:_NOT_LOADED_SHOWN]
    ]
    more = len(files) - len(rows)
    return (
        f'<p class="summary">{len(files):,} file(s) under the landing folder are not '
        f"loaded ({esc(counts)}); docs/quarantine.md says what to do with each.</p>"
        + table(
            ["File (in the landing folder)", "Reason", "Why"],
            rows,
            caption=f"The run log of run {ctx.latest_run['run_id']}"
            if ctx.latest_run
            else None,
        )
        + (
            note(f"... and {more:,} more, listed in the run log.", kind="info")
            if more
            else ""
        )
    )


def _inside(path: str, landing: str) -> str:
    """`path` relative to the landing folder, when it is inside it."""
    pure, root = PurePosixPath(path), PurePosixPath(landing)
    return pure.relative_to(root).as_posix() if pure.is_relative_to(root) else path


def _quarantine(ctx: ReportContext, load_id: str | None) -> str:
    missing = _missing_note(ctx, "audit.quarantine")
    if missing:
        return missing
    rows = query(ctx, QUARANTINE_BY_REASON_SQL, [load_id])
    if not rows:
        return note("No row has ever been quarantined.", kind="info")
    return table(
        ["Source", "Reason code", "Rows (this run)", "Rows (all loads)", "Example"],
        [
            [
                esc(r["source"]),
                f"<code>{esc(r['reason_code'])}</code>",
                fmt_count(r["run_rows"]),
                fmt_count(r["all_rows"]),
                esc(r["example_reason"]),
            ]
            for r in rows
        ],
        numeric=(2, 3),
        caption="audit.quarantine by source and reason (docs/quarantine.md)",
    )


def _validation(ctx: ReportContext) -> str:
    missing = _missing_note(ctx, "audit.validation_results")
    if missing:
        return missing
    run_id = ctx.latest_run["run_id"] if ctx.latest_run else None
    rows = query(
        ctx,
        """
        select stage, suite, expectation, column_name, severity, success,
            observed, details
        from audit.validation_results
        where run_id = coalesce(?, (select max(run_id) from audit.validation_results))
        order by success, severity = 'error' desc, stage, suite, expectation
        """,
        [run_id],
    )
    if not rows:
        return note("No data: no validation results for this run.")
    failed = [r for r in rows if not r["success"]]
    errors = sum(r["severity"] == "error" for r in failed)
    summary = (
        f'<p class="summary">{len(rows) - len(failed)} of {len(rows)} checks passed; '
        f"{errors} error(s), {len(failed) - errors} warning(s).</p>"
    )

    def result_rows(results: list[Row]) -> list[list[str]]:
        return [
            [
                '<span class="bad">failed</span>'
                if not r["success"]
                else '<span class="good">passed</span>',
                esc(r["severity"]),
                esc(r["stage"]),
                esc(r["suite"]),
                esc(r["expectation"])
                + (f" [{esc(r['column_name'])}]" if r["column_name"] else ""),
                esc(r["observed"]),
            ]
            for r in results
        ]

    headers = ["Result", "Severity", "Stage", "Suite", "Expectation", "Observed"]
    failures = (
        table(headers, result_rows(failed), caption="Failed checks")
        if failed
        else note("Every check passed.", kind="info")
    )
    return (
        summary
        + failures
        + f"<details><summary>All {len(rows)} checks (failures first)</summary>"
        + table(headers, result_rows(rows))
        + "</details>"
    )


def _run_log(ctx: ReportContext) -> str:
    missing = _missing_note(ctx, "audit.run_log")
    if missing:
        return missing
    rows = query(
        ctx,
        f"""
        select run_id, command, status, run_date, window_start_date, seconds,
            rows_read, rows_loaded, rows_quarantined,
            validation_errors, validation_warnings
        from audit.run_log
        order by started_at desc
        limit {_RUNS_SHOWN}
        """,
    )
    if not rows:
        return note("No data: audit.run_log is empty.")
    return table(
        [
            "Run",
            "Command",
            "Status",
            "Run date",
            "Window from",
            "Seconds",
            "Read",
            "Loaded",
            "Quarantined",
            "Errors",
            "Warnings",
        ],
        [
            [
                f"<code>{esc(r['run_id'])}</code>",
                esc(r["command"]),
                esc(r["status"]),
                esc(r["run_date"]) if r["run_date"] else NA,
                esc(r["window_start_date"]) if r["window_start_date"] else "full",
                fmt_number(r["seconds"]),
                fmt_count(r["rows_read"]),
                fmt_count(r["rows_loaded"]),
                fmt_count(r["rows_quarantined"]),
                fmt_count(r["validation_errors"]),
                fmt_count(r["validation_warnings"]),
            ]
            for r in rows
        ],
        numeric=range(5, 11),
    )
