"""The row checks of the load step, as data: one table of rules per source.

The load step is the one place a row is judged (docs/quarantine.md, "One gate"): a row
that passes these rules passes every later check (Great Expectations, dbt tests, the
staging casts); a row that fails one goes to ``audit.quarantine`` with a reason.

A rule is ``(code, column, when, message)``. ``when`` is a DuckDB SQL predicate that is
true when a row breaks the rule. It is evaluated over a whole batch of rows at once,
where every contract column is available twice:

- as the file's text under its own name (``outcome``, ``arrived_at``), null when empty;
- typed by the contract as ``v.<column>`` (``v.arrived_at`` is a TIMESTAMPTZ,
  ``v.score`` a DOUBLE, ``v.interval_minutes`` a BIGINT), null when the text does not
  parse; as if ``v`` were a struct of the row's typed values, which the check reads
  from their own columns instead (``_sql._typed_fields``);

a text column's text in lower case as ``_lower_<column>`` (``_lower_outcome``:
computed once per row, where each rule's own ``lower()`` was computed once per rule);

and, for sources with a ``queue_id``, the queue catalog's ``_catalog_queue_id``,
``_catalog_channel`` and ``_catalog_timezone`` of the row's queue (null when the queue
is not in the catalog).

Where the load wrote a column's text itself, from a Parquet value of the column's
type, a type rule checks only what such text can break (``Rule.when_typed``: the same
verdict, without reading the text's format). A Parquet column of an exactly fitting
type is staged typed, without text; its text is then ``''`` where it has a value and
null where not, so a rule that reads a non-text column's text must read no more of
it than whether it is null.

A predicate that comes out null (a value it compares is missing or unparseable) does
not fire; the type rules report those values. A predicate must not raise on any text:
DuckDB raises on a division by zero or an integer overflow, so guard them (``nullif``,
``cast(... as double)``). A rejected row's ``reason_code`` and
``column_name`` are those of the first rule it breaks, in this order: the type rules of
each column in contract order (:func:`type_rules`), then the source's own rules
(:func:`rules_for`), then the duplicate check (:data:`EVENT_KEYS`, only for rows
that pass every other rule). After every file is loaded, rows with a timestamp far
outside the data's span are set aside too (``timestamp_out_of_span``, see
:mod:`opsmart.ingest.span`). ``docs/quarantine.md``
explains every code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from opsmart.contract import SOURCES, Column
from opsmart.ingest.settings import LoadSettings

__all__ = [
    "BOOLEAN_TEXTS",
    "CHANNELS",
    "CURRENCY_PATTERN",
    "DUPLICATE_CODES",
    "ENTITY_KEYS",
    "EVENT_KEYS",
    "LOWER_PREFIX",
    "MALFORMED_ROW",
    "MAX_DURATION_SECONDS",
    "OUTCOMES",
    "OUT_OF_SPAN",
    "QUEUES_TABLE",
    "SURVEY_TYPES",
    "TEXT_PATTERNS",
    "TIMESTAMP_TOLERANCE_SECONDS",
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
    needs_queues: bool = False
    #: What of `when` still has to be checked when the column's text is the load's
    #: own rendering of a value of the column's type (``FileHeader.typed_text``):
    #: the text format holds by construction, only the value's range is left;
    #: ``"false"``: nothing. None: `when` as it is. It reads of the text only
    #: whether it is null: a column staged typed has none (``FileHeader.native``),
    #: and the check gives it ``''`` where the value is there.
    when_typed: str | None = None

    def predicate(self, typed_text: Collection[str] = ()) -> str:
        """`when`, or `when_typed` where the column's text is typed (see there)."""
        if self.when_typed is not None and self.column in typed_text:
            return self.when_typed
        return self.when


#: Text of a contract boolean, compared case-insensitively. DuckDB's cast to BOOLEAN
#: accepts all of these (and also ``y``/``n``, which the contract does not list).
BOOLEAN_TEXTS = ("true", "false", "t", "f", "yes", "no", "1", "0")
CHANNELS = ("voice", "chat", "email", "message", "self_service")
OUTCOMES = ("handled", "abandoned", "contained", "flowout")
SURVEY_TYPES = ("csat", "nps", "ces")

#: The contract's text formats (RE2, matched against the whole value). DuckDB's casts
#: accept more (``1_000``, ``2026-1-5``, zone names, offsets of +99:00), so a value
#: must match its format *and* cast; then every engine reads it the same way.
TEXT_PATTERNS: dict[str, str] = {
    "number": r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*",
    "integer": r"\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*",
    "timestamp": (
        r"\s*\d{4}-\d{2}-\d{2}"
        r"([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?\s*"
    ),
    "date": r"\s*\d{4}-\d{2}-\d{2}\s*",
}

#: An ISO 4217 currency code, any case (staging upper-cases it).
CURRENCY_PATTERN = r"\s*[A-Za-z]{3}\s*"

#: The offset of a timestamp (its hours and minutes), when it has one.
_OFFSET_PATTERN = r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}):?(\d{2})?\s*$"
#: Real offsets lie within -12:00 .. +14:00; a wider one is a typo that moves the
#: instant by days (+99:00).
_MAX_OFFSET_MINUTES = 14 * 60

#: A duration above 30 days is not a contact's or an interval's: a unit error
#: (milliseconds), a sentinel value or garbage. Longer waits (a stuck e-mail) are
#: better fixed at the source than averaged in.
MAX_DURATION_SECONDS = 30 * 86400
#: Durations and timestamps are often rounded to whole seconds each; a duration may
#: exceed the time between its two timestamps by this much before it is an error.
TIMESTAMP_TOLERANCE_SECONDS = 2

#: Temporary table of the queue catalog (queue_id, channel, timezone), when given.
QUEUES_TABLE = "_ingest_queues"

#: A rule reads ``lower(<column>)`` as this prefix + the column's name; the check
#: computes each such column once per row (``check_sql``).
LOWER_PREFIX = "_lower_"

#: The typed value of a column's text by contract type (``{c}`` is the column).
TYPED_SQL: dict[str, str] = {
    "string": "{c}",
    "timestamp": "try_cast({c} as timestamptz)",
    "date": "try_cast({c} as date)",
    "number": "try_cast({c} as double)",
    "integer": "try_cast({c} as bigint)",
    "boolean": "try_cast(trim({c}) as boolean)",  # as invalid_boolean and staging
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
    "queues": ("queue_id",),
    "customers": ("customer_id",),
    "costs": ("team_id", "effective_from"),
}

MALFORMED_ROW = "malformed_row"
DUPLICATE_CODES = ("duplicate_identical", "duplicate_conflicting")
#: Set aside after the load: a timestamp outside the data's plausible span.
OUT_OF_SPAN = "timestamp_out_of_span"


def _sql_list(values: Iterable[str]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values)


def _not_in(sql: str, values: tuple[str, ...]) -> str:
    return f"{sql} not in ({_sql_list(values)})"


def _lower(column: str) -> str:
    """SQL: `column`'s text in lower case, as the check computes it once per row
    (``_lower_<column>``, :data:`LOWER_PREFIX`)."""
    return LOWER_PREFIX + column


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return _not_in(_lower(column), values)


def _not_format(column: str, kind: str) -> str:
    return f"not regexp_full_match({column}, '{TEXT_PATTERNS[kind]}')"


def _offset_minutes(column: str) -> str:
    """SQL: the absolute offset of a timestamp's text in minutes (null without one)."""
    hours = f"regexp_extract({column}, '{_OFFSET_PATTERN}', 1)"
    minutes = f"regexp_extract({column}, '{_OFFSET_PATTERN}', 2)"
    return (
        f"abs(try_cast(nullif({hours}, '') as integer)) * 60 "
        f"+ coalesce(try_cast(nullif({minutes}, '') as integer), 0)"
    )


#: The first instant of the year 1 and of the year 10000 (in UTC), by type.
_YEARS_1_TO_9999 = {
    "timestamp": (
        "TIMESTAMPTZ '0001-01-01 00:00:00+00'",
        "TIMESTAMPTZ '10000-01-01 00:00:00+00'",
    ),
    "date": ("DATE '0001-01-01'", "DATE '10000-01-01'"),
}


def _type_rule(col: Column) -> Rule | None:
    c = col.name
    if col.type in ("timestamp", "date"):
        # Of a typed value only the year can break the format: the load renders
        # the year 10000 with five digits and a year BC with "(BC)", a timestamp
        # in UTC. The years 1-9999 (in UTC) are a range of the typed value, which
        # leaves out the infinities too: a comparison, where taking the UTC year
        # of every value cost a third of a year's rule check (issue 19).
        valid = f"isfinite(v.{c})"
        first, end = _YEARS_1_TO_9999[col.type]
        message = {
            "timestamp": "not an ISO-8601 timestamp "
            "(YYYY-MM-DDTHH:MM:SS with Z or an offset)",
            "date": "not a date (YYYY-MM-DD)",
        }[col.type]
        return Rule(
            f"invalid_{col.type}",
            c,
            f"{c} is not null and ({_not_format(c, col.type)} "
            f"or not coalesce({valid}, false))",
            message,
            when_typed=f"{c} is not null "
            f"and not coalesce(v.{c} >= {first} and v.{c} < {end}, false)",
        )
    if col.type == "number":
        finite = f"isfinite(try_cast({c} as double))"
        return Rule(
            "invalid_number",
            c,
            f"{c} is not null and ({_not_format(c, 'number')} "
            f"or not coalesce({finite}, false))",
            "not a finite number (digits, a dot for decimals)",
            when_typed=f"{c} is not null and not coalesce(isfinite(v.{c}), false)",
        )
    if col.type == "integer":
        whole = f"try_cast({c} as double) = v.{c}"
        return Rule(
            "invalid_integer",
            c,
            f"{c} is not null and ({_not_format(c, 'integer')} "
            f"or not coalesce({whole}, false))",
            "not a whole number",
            # Rendered from an integer type, the text is whole: only BIGINT's
            # range can break it (a uint64).
            when_typed=f"{c} is not null and v.{c} is null",
        )
    if col.type == "boolean":
        return Rule(
            "invalid_boolean",
            c,
            f"{c} is not null and {_not_in(f'lower(trim({c}))', BOOLEAN_TEXTS)}",
            "not a boolean (true/false, t/f, yes/no, 1/0)",
            when_typed="false",
        )
    return None


def type_rules(columns: tuple[Column, ...]) -> tuple[Rule, ...]:
    """Rules every value must pass by its contract type, column by column.

    Per column, in this order: ``required_missing`` (required columns: null or only
    white space); ``invalid_id`` (ids: only white space, or control characters); the
    type rule (``invalid_timestamp``, ``invalid_date``, ``invalid_number``,
    ``invalid_integer``, ``invalid_boolean``: the text has the contract's format and
    casts to a finite value); ``offset_out_of_range`` for timestamps;
    ``negative_duration`` and ``duration_out_of_range`` for ``*_seconds`` columns.
    """
    rules: list[Rule] = []
    for col in columns:
        c = col.name
        if col.required:
            rules.append(
                Rule(
                    "required_missing",
                    c,
                    # Text that sorts from '!' on starts with neither white space
                    # nor a control character, so it is not blank: the expression
                    # runs on the few other values (on every value, it was a tenth
                    # of the contacts' check).
                    f"case when {c} >= '!' then false "
                    f"else regexp_full_match(coalesce({c}, ''), '\\s*') end",
                    "required value missing",
                    # A rendered value is never blank; a missing one is null.
                    when_typed=None if col.type == "string" else f"{c} is null",
                )
            )
        if c.endswith("_id"):
            rules.append(
                Rule(
                    "invalid_id",
                    c,
                    # one pass of one expression: two cost 40 % more
                    f"regexp_matches({c}, '^\\s*$|[\\x00-\\x1f\\x7f]')",
                    "blank, or has control characters (tab, newline, NUL, ...)",
                )
            )
        rule = _type_rule(col)
        if rule is not None:
            rules.append(rule)
        if col.type == "timestamp":
            rules.append(
                Rule(
                    "offset_out_of_range",
                    c,
                    f"{_offset_minutes(c)} > {_MAX_OFFSET_MINUTES}",
                    "UTC offset beyond +-14:00",
                    when_typed="false",  # rendered in UTC, with Z
                )
            )
        if c.endswith("_seconds"):
            rules.append(
                Rule("negative_duration", c, f"v.{c} < 0", "negative duration")
            )
            rules.append(
                Rule(
                    "duration_out_of_range",
                    c,
                    f"v.{c} > {MAX_DURATION_SECONDS}",
                    "more than 30 days",
                )
            )
    return tuple(rules)


_UNKNOWN_QUEUE = Rule(
    "unknown_queue",
    "queue_id",
    "_catalog_queue_id is null",
    "not in the queue catalog (landing queues/, else seeds/queues.csv): add it there",
    needs_queues=True,
)

_UNKNOWN_CHANNEL = Rule(
    "unknown_channel",
    "channel",
    _one_of("channel", CHANNELS),
    "not one of " + ", ".join(CHANNELS),
)

#: Money is DECIMAL(18, 2) or (18, 4) in staging; larger amounts would fail its cast.
_MAX_AMOUNT = "1e12"

_INTERVAL_SECONDS = (
    "staffed_seconds",
    "available_seconds",
    "handling_seconds",
    "aux_seconds",
)

_TOLERANCE = TIMESTAMP_TOLERANCE_SECONDS


def _span(start: str, end: str) -> str:
    """SQL: seconds from one typed timestamp to another, plus the tolerance."""
    return f"(epoch(v.{end}) - epoch(v.{start}) + {_TOLERANCE})"


_CONTACT_RULES: tuple[Rule, ...] = (
    _UNKNOWN_QUEUE,
    _UNKNOWN_CHANNEL,
    Rule(
        "channel_not_of_queue",
        "channel",
        # A call that ended in the IVR sits in the self-service queue it never left:
        # only a contact that reached an agent queue must match its channel.
        f"{_lower('outcome')} <> 'contained' "
        f"and {_lower('channel')} <> _catalog_channel "
        f"and not ({_one_of('channel', CHANNELS)})",
        "not the channel of its queue in the queue catalog",
        needs_queues=True,
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
        f"{_lower('outcome')} = 'handled' and answered_at is null",
        "missing although outcome is handled",
    ),
    Rule(
        "answered_not_handled",
        "answered_at",
        f"{_lower('outcome')} <> 'handled' and answered_at is not null",
        "given although outcome is not handled (only handled contacts are answered)",
    ),
    Rule(
        "contained_with_wait",
        "wait_seconds",
        f"{_lower('outcome')} = 'contained' and v.wait_seconds > 0",
        "above 0 although outcome is contained (never queued)",
    ),
    Rule(
        "ivr_exceeds_timestamps",
        "ivr_seconds",
        f"v.ivr_seconds > case when {_lower('outcome')} = 'handled' "
        f"then {_span('arrived_at', 'answered_at')} "
        f"else {_span('arrived_at', 'ended_at')} end",
        "longer than arrived_at to answered_at (handled) or to ended_at",
    ),
    Rule(
        "wait_exceeds_timestamps",
        "wait_seconds",
        "coalesce(v.ivr_seconds, 0) + v.wait_seconds > "
        f"case when {_lower('outcome')} = 'handled' "
        f"then {_span('arrived_at', 'answered_at')} "
        f"else {_span('arrived_at', 'ended_at')} end",
        "ivr_seconds + wait_seconds longer than arrived_at to answered_at (handled) "
        "or to ended_at",
    ),
    Rule(
        "talk_exceeds_timestamps",
        "talk_seconds",
        "coalesce(v.talk_seconds, 0) + coalesce(v.hold_seconds, 0) > "
        f"{_span('answered_at', 'ended_at')}",
        "talk_seconds + hold_seconds longer than answered_at to ended_at",
    ),
)


def _agent_interval_rules(settings: LoadSettings) -> tuple[Rule, ...]:
    minutes = settings.interval_minutes
    local_start = (
        f"timezone(coalesce(_catalog_timezone, "
        f"{_sql_list([settings.reporting_timezone])}), v.interval_start)"
    )
    return (
        _UNKNOWN_QUEUE,
        Rule(
            "interval_not_divisor",
            "interval_minutes",
            f"v.interval_minutes <= 0 or v.interval_minutes > {minutes} "
            f"or {minutes} % nullif(v.interval_minutes, 0) <> 0",
            f"does not divide the pipeline's interval of {minutes} minutes "
            "(var interval_minutes)",
        ),
        Rule(
            "interval_not_aligned",
            "interval_start",
            f"date_trunc('minute', {local_start}) <> {local_start} "
            f"or minute({local_start}) % nullif(v.interval_minutes, 0) <> 0",
            "not on the clock of its interval (:00, :15, :30, :45 for 15 minutes) "
            "in the queue's time zone",
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
        # No tolerance: utilization (handling / staffed) must stay within 0-1.
        Rule(
            "states_exceed_staffed",
            "staffed_seconds",
            "v.available_seconds + v.handling_seconds + v.aux_seconds "
            "> v.staffed_seconds + 0.001",
            "less than available + handling + aux seconds",
        ),
    )


_SURVEY_RULES: tuple[Rule, ...] = (
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
)


def _amount_rules(column: str) -> tuple[Rule, ...]:
    return (
        Rule("negative_amount", column, f"v.{column} < 0", "negative amount"),
        Rule(
            "amount_out_of_range",
            column,
            f"abs(v.{column}) >= {_MAX_AMOUNT}",
            "amount of 10^12 or more",
        ),
    )


_CUSTOMER_RULES: tuple[Rule, ...] = (
    Rule(
        "churned_before_signup",
        "churned_at",
        "v.churned_at < v.signed_up_at",
        "before signed_up_at",
    ),
    *_amount_rules("monthly_revenue"),
)

_COST_RULES: tuple[Rule, ...] = (
    *_amount_rules("loaded_cost_per_agent_hour"),
    Rule(
        "invalid_currency",
        "currency",
        f"not regexp_full_match(currency, '{CURRENCY_PATTERN}')",
        "not a 3-letter ISO 4217 code",
    ),
)

_QUEUE_RULES: tuple[Rule, ...] = (
    _UNKNOWN_CHANNEL,
    Rule(
        "unknown_timezone",
        "timezone",
        "trim(timezone) not in (select name from pg_timezone_names())",
        "not an IANA time zone name (for example Asia/Seoul, America/New_York, UTC)",
    ),
    *(
        Rule(
            "rate_out_of_range", rate, f"v.{rate} not between 0 and 1", "not in [0, 1]"
        )
        for rate in ("sl_target_rate", "abandonment_target_rate")
    ),
)


def _source_rules(source: str, settings: LoadSettings) -> tuple[Rule, ...]:
    """The checks of `source` beyond the types, in the order they are reported."""
    own: dict[str, tuple[Rule, ...]] = {
        "queues": _QUEUE_RULES,
        "contacts": _CONTACT_RULES,
        "agent_intervals": _agent_interval_rules(settings),
        "survey_responses": _SURVEY_RULES,
        "customers": _CUSTOMER_RULES,
        "costs": _COST_RULES,
    }
    return own[source]


def rules_for(
    source: str, settings: LoadSettings | None = None, *, with_queues: bool = True
) -> tuple[Rule, ...]:
    """Every row rule of `source` in reporting order (type rules, then its own).

    Without a queue catalog (`with_queues` false) the rules naming a queue
    (``unknown_queue``, ``channel_not_of_queue``) are left out.
    """
    settings = settings or LoadSettings()
    own = tuple(
        rule
        for rule in _source_rules(source, settings)
        if with_queues or not rule.needs_queues
    )
    return type_rules(SOURCES[source]) + own


def reason_codes() -> tuple[str, ...]:
    """Every reason code the load step can write to ``audit.quarantine``."""
    codes: list[str] = [MALFORMED_ROW]
    for source in SOURCES:
        codes += [rule.code for rule in rules_for(source)]
    codes += [*DUPLICATE_CODES, OUT_OF_SPAN]
    return tuple(dict.fromkeys(codes))
