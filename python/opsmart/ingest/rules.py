"""The row checks of the load step, as data: one table of rules per source.

A rule is ``(code, column, when, message)``. ``when`` is a DuckDB SQL predicate that is
true when a row breaks the rule. It is evaluated over a whole batch of rows at once,
where every contract column is available twice:

- as the file's text under its own name (``outcome``, ``arrived_at``), null when empty;
- typed by the contract as a field of the struct ``v`` (``v.arrived_at`` is a
  TIMESTAMPTZ, ``v.score`` a DOUBLE, ``v.interval_minutes`` a BIGINT), null when the
  text does not parse.

A predicate that comes out null (a value it compares is missing or unparseable) does
not fire; the type rules report those values. A predicate must not raise on any text:
DuckDB raises on a division by zero or an integer overflow, so guard them (``nullif``,
``cast(... as double)``). A rejected row's ``reason_code`` and
``column_name`` are those of the first rule it breaks, in this order: the type rules of
each column in contract order (:func:`type_rules`), then the source's own rules
(:data:`SOURCE_RULES`), then the duplicate check (:data:`EVENT_KEYS`, only for rows
that pass every other rule). ``docs/quarantine.md`` explains every code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opsmart.contract import SOURCES, Column

__all__ = [
    "BOOLEAN_TEXTS",
    "CHANNELS",
    "DUPLICATE_CODES",
    "ENTITY_KEYS",
    "EVENT_KEYS",
    "MALFORMED_ROW",
    "OUTCOMES",
    "QUEUE_IDS_TABLE",
    "SOURCE_RULES",
    "SURVEY_TYPES",
    "TYPED_SQL",
    "Rule",
    "reason_codes",
    "rules_for",
    "type_rules",
]


@dataclass(frozen=True)
class Rule:
    """One row check: its code, the column it blames, when it fires, what it says."""

    code: str
    column: str
    when: str
    message: str
    needs_queue_ids: bool = False


#: Text of a contract boolean, compared case-insensitively. DuckDB's cast to BOOLEAN
#: accepts all of these (and also ``y``/``n``, which the contract does not list).
BOOLEAN_TEXTS = ("true", "false", "t", "f", "yes", "no", "1", "0")
CHANNELS = ("voice", "chat", "email", "message", "self_service")
OUTCOMES = ("handled", "abandoned", "contained", "flowout")
SURVEY_TYPES = ("csat", "nps", "ces")

#: Temporary table of the known queue ids (``seeds/queues.csv``), when given.
QUEUE_IDS_TABLE = "_ingest_queue_ids"

#: The typed value of a column's text by contract type (``{c}`` is the column).
TYPED_SQL: dict[str, str] = {
    "string": "{c}",
    "timestamp": "try_cast({c} as timestamptz)",
    "date": "try_cast({c} as date)",
    "number": "try_cast({c} as double)",
    "integer": "try_cast({c} as bigint)",
    "boolean": "try_cast({c} as boolean)",
}

#: Event sources: one row per key. A later row with a key already kept is a duplicate.
EVENT_KEYS: dict[str, tuple[str, ...]] = {
    "contacts": ("contact_id",),
    "agent_intervals": ("agent_id", "queue_id", "interval_start"),
    "survey_responses": ("response_id",),
}

#: Entity sources are snapshots: a repeated key is a newer version, not an error.
#: Staging keeps the latest row per key by (_load_id, _source_file, _source_row).
ENTITY_KEYS: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id",),
    "costs": ("team_id", "effective_from"),
}

MALFORMED_ROW = "malformed_row"
DUPLICATE_CODES = ("duplicate_identical", "duplicate_conflicting")


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"lower({column}) not in ({_sql_list(values)})"


def type_rules(columns: tuple[Column, ...]) -> tuple[Rule, ...]:
    """Rules every value must pass by its contract type, column by column.

    Per column, in this order: ``required_missing`` (required columns: null or only
    blanks); the type rule (``invalid_timestamp``, ``invalid_date``,
    ``invalid_number``, ``invalid_integer``, ``invalid_boolean``; non-finite values
    such as ``infinity`` or ``nan`` are invalid too); ``negative_duration`` for
    ``*_seconds`` columns.
    """
    rules: list[Rule] = []
    for col in columns:
        c = col.name
        if col.required:
            rules.append(
                Rule(
                    "required_missing",
                    c,
                    f"nullif(trim({c}), '') is null",
                    "required value missing",
                )
            )
        if col.type in ("timestamp", "date"):
            kind = "an ISO-8601 timestamp" if col.type == "timestamp" else "a date"
            rules.append(
                Rule(
                    f"invalid_{col.type}",
                    c,
                    f"{c} is not null and not coalesce(isfinite(v.{c}), false)",
                    f"not {kind}",
                )
            )
        elif col.type == "number":
            rules.append(
                Rule(
                    "invalid_number",
                    c,
                    f"{c} is not null and not coalesce(isfinite(v.{c}), false)",
                    "not a finite number",
                )
            )
        elif col.type == "integer":
            rules.append(
                Rule(
                    "invalid_integer",
                    c,
                    f"{c} is not null "
                    f"and not coalesce(try_cast({c} as double) = v.{c}, false)",
                    "not a whole number",
                )
            )
        elif col.type == "boolean":
            rules.append(
                Rule(
                    "invalid_boolean",
                    c,
                    f"{c} is not null and {_one_of(c, BOOLEAN_TEXTS)}",
                    "not a boolean (true/false, t/f, yes/no, 1/0)",
                )
            )
        if col.name.endswith("_seconds"):
            rules.append(
                Rule("negative_duration", c, f"v.{c} < 0", "negative duration")
            )
    return tuple(rules)


_UNKNOWN_QUEUE = Rule(
    "unknown_queue",
    "queue_id",
    f"queue_id not in (select queue_id from {QUEUE_IDS_TABLE})",
    "not a queue_id of seeds/queues.csv",
    needs_queue_ids=True,
)

#: Money is DECIMAL(18, 2) or (18, 4) in staging; larger amounts would fail its cast.
_MAX_AMOUNT = "1e12"

_INTERVAL_SECONDS = (
    "staffed_seconds",
    "available_seconds",
    "handling_seconds",
    "aux_seconds",
)

#: The checks of each source beyond the types, in the order they are reported.
SOURCE_RULES: dict[str, tuple[Rule, ...]] = {
    "contacts": (
        _UNKNOWN_QUEUE,
        Rule(
            "unknown_channel",
            "channel",
            _one_of("channel", CHANNELS),
            "not one of " + ", ".join(CHANNELS),
        ),
        Rule(
            "unknown_outcome",
            "outcome",
            _one_of("outcome", OUTCOMES),
            "not one of " + ", ".join(OUTCOMES),
        ),
        Rule(
            "answered_before_arrived",
            "answered_at",
            "v.answered_at < v.arrived_at",
            "before arrived_at",
        ),
        Rule(
            "ended_before_arrived",
            "ended_at",
            "v.ended_at < v.arrived_at",
            "before arrived_at",
        ),
        Rule(
            "ended_before_answered",
            "ended_at",
            "v.ended_at < v.answered_at",
            "before answered_at",
        ),
        Rule(
            "handled_not_answered",
            "answered_at",
            "lower(outcome) = 'handled' and answered_at is null",
            "missing although outcome is handled",
        ),
    ),
    "agent_intervals": (
        _UNKNOWN_QUEUE,
        Rule(
            "interval_not_divisor_of_hour",
            "interval_minutes",
            "v.interval_minutes <= 0 or 60 % nullif(v.interval_minutes, 0) <> 0",
            "not a positive divisor of 60 (15, 30, 60, ...)",
        ),
        *(
            Rule(
                "seconds_exceed_interval",
                seconds,
                f"v.{seconds} > cast(v.interval_minutes as double) * 60",
                "more seconds than the interval has (interval_minutes * 60)",
            )
            for seconds in _INTERVAL_SECONDS
        ),
    ),
    "survey_responses": (
        Rule(
            "unknown_survey_type",
            "survey_type",
            _one_of("survey_type", SURVEY_TYPES),
            "not one of " + ", ".join(SURVEY_TYPES),
        ),
        Rule(
            "scale_min_not_below_max",
            "scale_min",
            "v.scale_min >= v.scale_max",
            "not below scale_max",
        ),
        Rule(
            "score_out_of_scale",
            "score",
            "v.score < v.scale_min or v.score > v.scale_max",
            "outside [scale_min, scale_max]",
        ),
    ),
    "customers": (
        Rule(
            "churned_before_signup",
            "churned_at",
            "v.churned_at < v.signed_up_at",
            "before signed_up_at",
        ),
        Rule(
            "negative_amount",
            "monthly_revenue",
            "v.monthly_revenue < 0",
            "negative amount",
        ),
        Rule(
            "amount_out_of_range",
            "monthly_revenue",
            f"abs(v.monthly_revenue) >= {_MAX_AMOUNT}",
            "amount of 10^12 or more",
        ),
    ),
    "costs": (
        Rule(
            "negative_amount",
            "loaded_cost_per_agent_hour",
            "v.loaded_cost_per_agent_hour < 0",
            "negative amount",
        ),
        Rule(
            "amount_out_of_range",
            "loaded_cost_per_agent_hour",
            f"abs(v.loaded_cost_per_agent_hour) >= {_MAX_AMOUNT}",
            "amount of 10^12 or more",
        ),
        Rule(
            "invalid_currency",
            "currency",
            "not regexp_full_match(currency, '[A-Za-z]{3}')",
            "not a 3-letter ISO 4217 code",
        ),
    ),
}


def rules_for(source: str, *, with_queue_ids: bool) -> tuple[Rule, ...]:
    """Every row rule of `source` in reporting order (type rules, then its own)."""
    own = tuple(
        rule
        for rule in SOURCE_RULES[source]
        if with_queue_ids or not rule.needs_queue_ids
    )
    return type_rules(SOURCES[source]) + own


def reason_codes() -> tuple[str, ...]:
    """Every reason code the load step can write to ``audit.quarantine``."""
    codes: list[str] = [MALFORMED_ROW]
    for source in SOURCES:
        codes += [rule.code for rule in rules_for(source, with_queue_ids=True)]
    codes += DUPLICATE_CODES
    return tuple(dict.fromkeys(codes))
