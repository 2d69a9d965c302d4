"""The input data contract: sources, their columns and types, in one place.

`docs/data_contract.md` explains each column; the dbt sources in
`models/staging/*/_*__sources.yml` list the same columns (a test checks they agree);
the demo generator writes exactly these columns; `opsmart build` checks landing files
against them before dbt runs.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEFAULTED_SOURCES",
    "MISSING_SOURCE_EFFECTS",
    "REQUIRED_SOURCES",
    "SOURCES",
    "Column",
    "LandingError",
    "source_columns",
]


@dataclass(frozen=True)
class Column:
    """One contract column: name, logical type, whether every row must have it."""

    name: str
    type: str  # string | timestamp | date | number | integer | boolean
    required: bool = False


SOURCES: dict[str, tuple[Column, ...]] = {
    # The queue catalog comes first: the other sources are checked against it.
    "queues": (
        Column("queue_id", "string", True),
        Column("queue_name", "string"),
        Column("channel", "string", True),
        Column("team_id", "string"),
        Column("timezone", "string"),
        Column("sl_threshold_seconds", "integer"),
        Column("sl_target_rate", "number"),
        Column("asa_target_seconds", "integer"),
        Column("abandonment_target_rate", "number"),
    ),
    "contacts": (
        Column("contact_id", "string", True),
        Column("customer_id", "string"),
        Column("queue_id", "string", True),
        Column("channel", "string", True),
        Column("contact_reason", "string"),
        Column("arrived_at", "timestamp", True),
        Column("answered_at", "timestamp"),
        Column("ended_at", "timestamp", True),
        Column("outcome", "string", True),
        Column("agent_id", "string"),
        Column("ivr_seconds", "number"),
        Column("wait_seconds", "number"),
        Column("talk_seconds", "number"),
        Column("hold_seconds", "number"),
        Column("acw_seconds", "number"),
        Column("is_transferred", "boolean"),
        Column("is_resolved", "boolean"),
    ),
    "agent_intervals": (
        Column("agent_id", "string", True),
        Column("team_id", "string", True),
        Column("queue_id", "string", True),
        Column("interval_start", "timestamp", True),
        Column("interval_minutes", "integer", True),
        Column("staffed_seconds", "number", True),
        Column("available_seconds", "number", True),
        Column("handling_seconds", "number", True),
        Column("aux_seconds", "number", True),
    ),
    "survey_responses": (
        Column("response_id", "string", True),
        Column("survey_type", "string", True),
        Column("contact_id", "string"),
        Column("customer_id", "string"),
        Column("responded_at", "timestamp", True),
        Column("score", "number", True),
        Column("scale_min", "number", True),
        Column("scale_max", "number", True),
        Column("comment", "string"),
    ),
    "customers": (
        Column("customer_id", "string", True),
        Column("segment", "string", True),
        Column("region", "string"),
        Column("signed_up_at", "timestamp", True),
        Column("churned_at", "timestamp"),
        Column("monthly_revenue", "number", True),
    ),
    "costs": (
        Column("team_id", "string", True),
        Column("effective_from", "date", True),
        Column("loaded_cost_per_agent_hour", "number", True),
        Column("currency", "string", True),
    ),
}

REQUIRED_SOURCES: frozenset[str] = frozenset({"contacts"})

#: Optional sources with a default: without `queues` files, the project's queue
#: catalog (seeds/queues.csv) is used, so nothing is missing.
DEFAULTED_SOURCES: frozenset[str] = frozenset({"queues"})

#: What the run reports when an optional source is missing (docs/data_contract.md).
MISSING_SOURCE_EFFECTS: dict[str, str] = {
    "agent_intervals": "occupancy, utilization and shrinkage are null; staffed agents "
    "are estimated from the agents who handled contacts",
    "survey_responses": "CSAT, NPS and the metrics built on them are null",
    "customers": "segment, revenue and churn metrics are null",
    "costs": "every staffing-cost measure is null",
}


class LandingError(ValueError):
    """A landing file or folder cannot be read as the data contract describes."""


def source_columns(source: str) -> list[str]:
    """Return the contract's column names of `source`, in contract order."""
    try:
        return [column.name for column in SOURCES[source]]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise ValueError(f"`source` must be one of {known}, got {source!r}") from None
