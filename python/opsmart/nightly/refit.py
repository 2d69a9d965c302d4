"""The whole-history statistics: refitted on a schedule, not every night.

The wait -> CSAT/churn curve (`rpt_wait_experience_curve`) and the churn fit
(`int_churn_wait_effects_fitted`, `rpt_wait_churn_effects`, and the customer windows
they are fitted on) read every contact and customer of the history: they are what
makes a nightly run grow with the history. A night adds a day to a year: the fit
barely moves. So a nightly run refits them only when var
``history_statistics_refit_days`` (default 7) days have passed since the run date
of the last refit; the other nights leave those tables as the last refit wrote them
(``dbt build --exclude tag:history_statistics``, which also leaves out their tests)
and say so: the progress lines, the run log's ``history_statistics`` and the
report name the run date they are as of. A full build always refits; 0 refits every
run. Models downstream of the fit (the priced staffing) read the stored fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from opsmart.nightly.runlog import has_run_log

__all__ = ["REFIT_TAG", "Refit", "last_refit_date", "plan_refit", "refit_days"]

#: The dbt tag of the models refitted on the schedule (dbt_project.yml).
REFIT_TAG = "history_statistics"
_VAR = "history_statistics_refit_days"


@dataclass(frozen=True)
class Refit:
    """Whether this run refits the whole-history statistics, and as of when they are."""

    #: This run rebuilds them.
    refitted: bool
    #: The run date the statistics in the warehouse are as of after this run.
    as_of: date | None
    #: The schedule: days between refits (0: every run).
    every_days: int

    @property
    def next_due(self) -> date | None:
        """The first run date that refits again."""
        return None if self.as_of is None else self.as_of + timedelta(self.every_days)

    def describe(self) -> str:
        """One progress line."""
        what = "whole-history statistics (wait curve, churn fit)"
        if self.refitted:
            return f"{what}: refitted as of {self.as_of}"
        return (
            f"{what}: kept as of {self.as_of} "
            f"(refitted every {self.every_days} days; next on {self.next_due})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The run log's ``history_statistics``."""
        return {
            "refitted": self.refitted,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "every_days": self.every_days,
        }


def refit_days(dbt_vars: dict[str, Any]) -> int:
    """Var ``history_statistics_refit_days``: a whole number of days, 0 or more.

    Raises
    ------
    ValueError
        When it is not (the message names the var and the value).
    """
    value: object = dbt_vars.get(_VAR, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"var {_VAR} must be a whole number of days >= 0, got {value!r}"
        )
    return value


def last_refit_date(connection: duckdb.DuckDBPyConnection) -> date | None:
    """The run date of the last published run that refitted, from ``audit.run_log``.

    None when there is none, or the warehouse predates the schedule (its runs did not
    record it): then the statistics are refitted.
    """
    if not has_run_log(connection):
        return None
    row = connection.execute(
        "select max(run_date) from audit.run_log where status = 'success' "
        "and json_extract_string(log_json, '$.history_statistics.refitted') = 'true'"
    ).fetchone()
    return None if row is None else row[0]


def plan_refit(
    *, full_refresh: bool, run_date: date | None, last: date | None, every_days: int
) -> Refit:
    """Refit on a full build, when none is recorded, or `every_days` after the last."""
    due = (
        full_refresh
        or every_days == 0
        or last is None
        or run_date is None
        or run_date >= last + timedelta(days=every_days)
    )
    return Refit(refitted=due, as_of=run_date if due else last, every_days=every_days)
