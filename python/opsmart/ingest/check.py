"""`opsmart check`: a dry run of the load step that says what will not fit, and how.

Before a first build, or before a new export goes into the nightly folder, a user asks
"will this load?". :func:`check_landing` runs the very load step of a build (the same
rules, the same queue catalog, the same settings) into a throw-away warehouse and
summarises what it would quarantine: per source and reason, how many rows, the first
examples (file, line, column, value) and what to change. The landing folder and the
warehouse are not touched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from opsmart.contract import LandingError
from opsmart.ingest.load import CatalogQueue, ingest
from opsmart.ingest.report import IngestReport
from opsmart.ingest.rules import DUPLICATE_CODES
from opsmart.ingest.settings import LoadSettings

__all__ = ["FIXES", "CheckReport", "Finding", "check_landing"]

_CLOCKS = "the two timestamps come from clocks or time zones that disagree"

#: What to do about each reason code, in a line (docs/quarantine.md says more).
FIXES: dict[str, str] = {
    "malformed_row": "fix the export's quoting (a comma or quote inside a value)",
    "required_missing": "the source system must fill the column",
    "invalid_id": "ids must be printable text: no tabs, newlines or NUL bytes",
    "invalid_timestamp": "export ISO-8601 (2026-03-02T09:15:00+09:00 or ...Z), or "
    "convert with `opsmart adapt csv --mapping` (timestamp_format, timezone)",
    "offset_out_of_range": "fix the UTC offset (between -12:00 and +14:00)",
    "invalid_date": "export dates as YYYY-MM-DD",
    "invalid_number": "digits and a dot, no units or separators (15, 15.5, 1.5e1)",
    "invalid_integer": "export whole numbers",
    "invalid_boolean": "use true/false, t/f, yes/no or 1/0",
    "negative_duration": "a negative duration is a clock or unit problem at the source",
    "duration_out_of_range": "durations are seconds: check the unit (milliseconds?)",
    "unknown_queue": "add the queue to the queue catalog (see below)",
    "channel_not_of_queue": "route the contact to a queue of its channel, or fix the "
    "queue's channel in the catalog",
    "unknown_channel": "map the channel to voice, chat, email, message or self_service",
    "unknown_outcome": "map the outcome to handled, abandoned, contained or flowout",
    "answered_before_arrived": _CLOCKS,
    "ended_before_arrived": _CLOCKS,
    "ended_before_answered": _CLOCKS,
    "handled_not_answered": "export answered_at for handled contacts",
    "answered_not_handled": "a contact an agent answered is handled: fix the outcome",
    "contained_with_wait": "a contained contact never queued: fix the outcome or wait",
    "ivr_exceeds_timestamps": "check the IVR time's unit against the timestamps",
    "wait_exceeds_timestamps": "check the wait's unit against the timestamps",
    "talk_exceeds_timestamps": "check talk and hold against answered_at and ended_at",
    "interval_not_divisor": "export intervals that divide the pipeline's (var "
    "interval_minutes)",
    "interval_not_aligned": "export clock-aligned interval starts (:00, :15, :30, :45)",
    "seconds_exceed_interval": "state seconds cannot exceed the interval (units?)",
    "states_exceed_staffed": "available + handling + aux cannot exceed staffed seconds",
    "unknown_survey_type": "map the survey type to csat, nps or ces",
    "scale_min_not_below_max": "fix the survey's scale columns",
    "score_out_of_scale": "check the scale (NPS 0-10, CSAT 1-5)",
    "churned_before_signup": "fix the CRM dates",
    "negative_amount": "amounts are not negative; send credits elsewhere",
    "amount_out_of_range": "an amount of 10^12 or more is a unit or parsing error",
    "invalid_currency": "use the 3-letter ISO 4217 code, e.g. USD",
    "unknown_timezone": "use an IANA zone name, e.g. Asia/Seoul",
    "rate_out_of_range": "rates are fractions: 0.8, not 80",
    "duplicate_identical": "nothing to do: the rows were already loaded",
    "duplicate_conflicting": "ids must be unique across files and days; build a "
    "unique id (e.g. date + line + id) in the export or the adapter mapping",
    "timestamp_out_of_span": "fix the date at the source (a typo or placeholder date)",
}


@dataclass(frozen=True)
class Finding:
    """Rows of one source that one reason code would quarantine."""

    source: str
    code: str
    rows: int
    #: The first rows as ``file:line reason``.
    examples: tuple[str, ...]

    @property
    def fix(self) -> str:
        """What to change (:data:`FIXES`)."""
        return FIXES.get(self.code, "see docs/quarantine.md")

    @property
    def is_harmless(self) -> bool:
        """Identical duplicates lose nothing (an export repeating an earlier one)."""
        return self.code == DUPLICATE_CODES[0]


@dataclass(frozen=True)
class CheckReport:
    """What the load step would make of a landing folder."""

    landing: Path
    #: The load's report, or None when a whole file cannot be read (`error`).
    ingest: IngestReport | None = None
    error: str | None = None
    findings: tuple[Finding, ...] = ()
    #: queue_id -> rows, for the queues the catalog lacks.
    unknown_queues: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 all fits, 2 a file cannot be read, 3 rows would be quarantined."""
        if self.error is not None:
            return 2
        return 3 if any(not f.is_harmless for f in self.findings) else 0

    def lines(self) -> list[str]:
        """The report for a person: per source, each reason with examples and a fix."""
        if self.ingest is None:
            return [f"check {self.landing}: cannot load: {self.error}"]
        report = self.ingest
        totals = report.totals
        read = sum(t["rows_read"] for t in totals.values())
        quarantined = sum(t["rows_quarantined"] for t in totals.values())
        lines = [
            f"check {self.landing}: {len(report.files)} file(s), {read:,} rows: "
            f"{read - quarantined:,} would load, {quarantined:,} would be quarantined"
        ]
        # the load's own lines, less where it would have put the quarantined rows
        lines += [
            line for line in report.describe()[1:] if "audit.quarantine" not in line
        ]
        for finding in self.findings:
            lines.append(
                f"{finding.source} {finding.code}: {finding.rows:,} row(s); "
                f"fix: {finding.fix}"
            )
            lines += [f"    {example}" for example in finding.examples]
        if self.unknown_queues:
            ids = ", ".join(f"{q} ({n})" for q, n in self.unknown_queues.items())
            lines.append(
                f"queues missing from the catalog: {ids}; add a row for each to "
                f"{self.landing / 'queues'}/*.csv (queue_id, queue_name, channel, "
                "team_id, timezone, sl_threshold_seconds, sl_target_rate, ...; "
                "docs/data_contract.md)"
            )
        lines.append(
            "everything fits"
            if self.exit_code == 0
            else "nothing was written; fix the rows above and check again, or build: "
            "quarantined rows never stop a night unless there are many "
            "(--max-quarantine-rate)"
        )
        return lines

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return {
            "landing": str(self.landing),
            "exit_code": self.exit_code,
            "error": self.error,
            "ingest": self.ingest.to_dict() if self.ingest else None,
            "findings": [
                {
                    "source": f.source,
                    "code": f.code,
                    "rows": f.rows,
                    "examples": list(f.examples),
                    "fix": f.fix,
                }
                for f in self.findings
            ],
            "unknown_queues": self.unknown_queues,
        }


def check_landing(
    landing: Path | str,
    *,
    queues: Collection[CatalogQueue] | None = None,
    settings: LoadSettings | None = None,
    examples: int = 3,
) -> CheckReport:
    """Load `landing` into a throw-away warehouse and report what would not fit.

    Parameters
    ----------
    landing
        The landing folder (one sub-folder per source).
    queues
        The project's queue catalog, as a build passes it (:func:`seed_queues`).
    settings
        The pipeline settings, as a build passes them.
    examples
        Example rows per source and reason.

    Returns
    -------
    CheckReport
    """
    landing = Path(landing)
    # On disk, not in memory: a landing folder may hold a year of exports.
    with (
        tempfile.TemporaryDirectory(prefix="opsmart-check-") as folder,
        duckdb.connect(str(Path(folder) / "check.duckdb")) as connection,
    ):
        try:
            report = ingest(
                connection,
                landing,
                load_id="check",
                queues=queues,
                settings=settings,
            )
        except LandingError as error:
            return CheckReport(landing, error=str(error))
        rows = connection.execute(
            f"""
            select source, reason_code, count(*),
                list(source_file || ':' || source_row || ' ' || reason
                    order by source_file, source_row)[1:{int(examples)}]
            from audit.quarantine
            group by 1, 2
            order by 1, 3 desc, 2
            """
        ).fetchall()
        unknown = connection.execute(
            """
            select json_extract_string(record, '$.queue_id'), count(*)
            from audit.quarantine
            where reason_code = 'unknown_queue'
            group by 1
            order by 2 desc, 1
            """
        ).fetchall()
    findings = tuple(
        Finding(str(source), str(code), int(count), tuple(str(e) for e in sample))
        for source, code, count, sample in rows
    )
    return CheckReport(
        landing,
        ingest=report,
        findings=findings,
        unknown_queues={str(queue): int(count) for queue, count in unknown},
    )
