"""Every Great Expectations rule of the nightly run, declared as data.

A `Suite` is the rows one query returns (``sql``) and the rules (`Rule`: GX expectation
type, its kwargs, severity) checked on them; :mod:`opsmart.validation.runner` runs the
query on DuckDB, hands the frame to GX and reports one result per rule. Several suites
may share a name (``raw.contacts`` has a text and a typed query; ``drift`` reads two
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
date columns hold them). Timestamps are compared in UTC, as the staging models read
them (macro ``to_utc``); a raw row's day is its local date in ``$timezone``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from opsmart.contract import SOURCES
from opsmart.ingest.rules import BOOLEAN_TEXTS, CURRENCY_PATTERN, TEXT_PATTERNS

__all__ = [
    "INPUT_SUITES",
    "MART_SUITES",
    "Rule",
    "Suite",
    "param",
]

Severity = Literal["error", "warn"]
ERROR: Severity = "error"
WARN: Severity = "warn"

# ------------------------------------------------------------------------------
# Thresholds. Bands are wide on purpose: a normal day never trips them; they catch unit
# mistakes (milliseconds for seconds, percent for fractions), broken joins, dead feeds.
# ------------------------------------------------------------------------------

#: One contact's talk, hold, after-contact work or IVR time above 4 h is implausible.
CONTACT_SECONDS_MAX = 4 * 3600.0
#: One contact's queue wait: e-mail waits for hours; a week means a stuck item.
CONTACT_WAIT_SECONDS_MAX = 7 * 86400.0
#: A voice or chat contact waiting over 2 h in the queue is implausible.
REALTIME_WAIT_SECONDS_MAX = 2 * 3600.0
#: AHT of an interval or a day: 10 s to 1 h (below is a unit or join error).
AHT_SECONDS_BAND = (10.0, 3600.0)
#: ASA of an interval or a day, voice and chat: over 1 h means a unit error.
REALTIME_ASA_SECONDS_MAX = 3600.0
#: ASA of an interval or a day, e-mail and messages: up to 3 days.
DEFERRED_ASA_SECONDS_MAX = 3 * 86400.0
#: Daily occupancy / utilization above 97 % is not sustainable: suspect staffing data.
OCCUPANCY_RATE_MAX = 0.97
UTILIZATION_RATE_MAX = 0.97
#: Daily shrinkage above 60 % of staffed time: suspect aux-state coding.
SHRINKAGE_RATE_MAX = 0.60
#: A team's loaded cost per agent-hour, any currency unit of the demo's order.
COST_PER_AGENT_HOUR_BAND = (1.0, 1000.0)
#: Agent states may miss the staffed time by rounding only (seconds).
STATE_SECONDS_TOLERANCE = 1.0
#: Rows of a load may start up to a day after the run date (time zones), never later.
DAYS_BEFORE_RUN_DATE_MIN = -1

#: Volume: rows of the run date vs the mean of the same weekday over the trailing weeks.
VOLUME_TRAILING_WEEKS = 4
VOLUME_RATIO_BAND = (0.5, 1.5)

#: Drift: the window's mean vs the trailing days before the window.
DRIFT_TRAILING_DAYS = 28
#: Window AHT within x0.8 .. x1.25 of the trailing AHT.
AHT_DRIFT_RATIO_BAND = (0.8, 1.25)
#: Window service level within +-15 points of the trailing one (daily SL varies ~10).
SERVICE_LEVEL_DRIFT_POINTS = 0.15
#: Window CSAT (top-2-box share) within +-15 points (a day has ~60 answers, SE ~0.06).
CSAT_DRIFT_POINTS = 0.15

#: Contract formats of the text columns in ``raw.*``: the load step's own patterns
#: (``opsmart.ingest.rules``), so the two never disagree on a value.
TYPE_PATTERNS: dict[str, str] = {
    **{kind: f"^(?:{pattern})$" for kind, pattern in TEXT_PATTERNS.items()},
    "boolean": "^(?i:" + "|".join(BOOLEAN_TEXTS) + ")$",
}

#: Load metadata columns the load step adds to every raw table.
RAW_METADATA_COLUMNS = ("_source_file", "_source_row", "_load_id")


@dataclass(frozen=True)
class Rule:
    """One expectation: GX type (snake_case), its kwargs and severity."""

    expectation: str
    kwargs: Mapping[str, Any]
    severity: Severity = ERROR


@dataclass(frozen=True)
class Suite:
    """The rows one query returns and the rules checked on them.

    ``tables`` are the tables the query reads: a missing one is reported instead of
    queried (an error, or a pass for an ``optional`` source). With ``skip_empty`` a
    query without rows gives one "no rows" result; volume suites turn it off, as no
    rows is exactly what they look for.
    """

    name: str
    tables: tuple[str, ...]
    sql: str
    rules: tuple[Rule, ...]
    baseline_sql: str | None = None
    optional: bool = False
    skip_empty: bool = True


def param(name: str) -> dict[str, str]:
    """A GX suite parameter: the value comes from the suite's ``baseline_sql``."""
    return {"$PARAMETER": name}


# --- small rule builders (each returns Rules, so the tables below stay one line a rule)


def _unique(*columns: str, severity: Severity = ERROR) -> Rule:
    if len(columns) == 1:
        return Rule(
            "expect_column_values_to_be_unique", {"column": columns[0]}, severity
        )
    return Rule(
        "expect_compound_columns_to_be_unique", {"column_list": list(columns)}, severity
    )


def _between(
    column: str,
    min_value: float | None = None,
    max_value: float | None = None,
    severity: Severity = ERROR,
    **extra: Any,
) -> Rule:
    kwargs: dict[str, Any] = {"column": column}
    if min_value is not None:
        kwargs["min_value"] = min_value
    if max_value is not None:
        kwargs["max_value"] = max_value
    return Rule("expect_column_values_to_be_between", {**kwargs, **extra}, severity)


def _band(
    column: str, min_value: float | None = None, max_value: float | None = None
) -> Rule:
    """A plausibility band (warn): outside it is suspicious, not impossible."""
    return _between(column, min_value, max_value, severity=WARN)


def _rates(*columns: str) -> tuple[Rule, ...]:
    """Fractions in [0, 1]: a hard invariant (CONTRIBUTING.md: fractions are 0-1)."""
    return tuple(_between(column, 0, 1) for column in columns)


def _nps(*columns: str) -> tuple[Rule, ...]:
    return tuple(_between(column, -100, 100) for column in columns)


def _non_negative(*columns: str) -> tuple[Rule, ...]:
    return tuple(_between(column, 0) for column in columns)


def _not_before(later: str, earlier: str, *, strict: bool = False) -> Rule:
    """``later >= earlier`` on the rows where both are known."""
    return Rule(
        "expect_column_pair_values_a_to_be_greater_than_b",
        {
            "column_A": later,
            "column_B": earlier,
            "or_equal": not strict,
            "ignore_row_if": "either_value_is_missing",
        },
    )


def _equal(column_a: str, column_b: str) -> Rule:
    return Rule(
        "expect_column_pair_values_to_be_equal",
        {"column_A": column_a, "column_B": column_b},
    )


def _matches(column: str, regex: str, severity: Severity = ERROR) -> Rule:
    return Rule(
        "expect_column_values_to_match_regex",
        {"column": column, "regex": regex},
        severity,
    )


# ==============================================================================
# Inputs: raw.<source>, the rows of this load (``_load_id = $load_id``)
# ==============================================================================


def _contract_rules(source: str) -> tuple[Rule, ...]:
    """Schema, required columns and type formats, straight from `opsmart.contract`.

    - error: the table has every contract column and the load metadata columns;
    - error: required columns are never null;
    - error: every non-string column's text has its contract format (TYPE_PATTERNS).
    """
    columns = SOURCES[source]
    rules = [
        Rule(
            "expect_table_columns_to_match_set",
            {
                "column_set": [c.name for c in columns] + list(RAW_METADATA_COLUMNS),
                "exact_match": False,
            },
        )
    ]
    rules += [
        Rule("expect_column_values_to_not_be_null", {"column": c.name})
        for c in columns
        if c.required
    ]
    rules += [
        _matches(c.name, TYPE_PATTERNS[c.type]) for c in columns if c.type != "string"
    ]
    return tuple(rules)


def _utc(column: str) -> str:
    """The text timestamp as UTC, as the staging models read it (macro to_utc)."""
    return f"timezone('UTC', try_cast({column} as timestamptz))"


def _local_date(column: str) -> str:
    """The text timestamp's local date in the center's zone (macro local_date)."""
    return f"cast(timezone($timezone, try_cast({column} as timestamptz)) as date)"


def _days_before_run_date(column: str) -> str:
    return f"date_diff('day', {_local_date(column)}, $run_date)"


_THIS_LOAD = "where _load_id = $load_id"

_RAW_TEXT_RULES: dict[str, tuple[Rule, ...]] = {
    "contacts": (
        _unique("contact_id"),
        # staging lowercases channel and outcome, hence case-insensitive
        _matches("channel", r"^(?i:voice|chat|email|message|self_service)$"),
        _matches("outcome", r"^(?i:handled|abandoned|contained|flowout)$"),
    ),
    "agent_intervals": (),
    "survey_responses": (
        _unique("response_id"),
        _matches("survey_type", r"^(?i:csat|nps|ces)$"),
    ),
    # Entity sources keep every version of a key (staging takes the latest): a
    # repeated customer_id or (team_id, effective_from) in a load is no error.
    "queues": (_matches("channel", r"^(?i:voice|chat|email|message|self_service)$"),),
    "customers": (),
    "costs": (_matches("currency", f"^(?:{CURRENCY_PATTERN})$"),),
}

_RAW_TYPED: dict[str, tuple[str, tuple[Rule, ...]]] = {
    "queues": (
        f"""
        select
            try_cast(sl_target_rate as double) as "sl_target_rate::double",
            try_cast(abandonment_target_rate as double)
                as "abandonment_target_rate::double",
            try_cast(sl_threshold_seconds as double) as "sl_threshold_seconds::double",
            try_cast(asa_target_seconds as double) as "asa_target_seconds::double"
        from raw.queues {_THIS_LOAD}
        """,
        (
            *_rates("sl_target_rate::double", "abandonment_target_rate::double"),
            *_non_negative(
                "sl_threshold_seconds::double", "asa_target_seconds::double"
            ),
        ),
    ),
    "contacts": (
        f"""
        select
            try_cast(ivr_seconds as double) as "ivr_seconds::double",
            try_cast(wait_seconds as double) as "wait_seconds::double",
            try_cast(talk_seconds as double) as "talk_seconds::double",
            try_cast(hold_seconds as double) as "hold_seconds::double",
            try_cast(acw_seconds as double) as "acw_seconds::double",
            {_utc("arrived_at")} as "arrived_at::timestamp",
            {_utc("answered_at")} as "answered_at::timestamp",
            {_utc("ended_at")} as "ended_at::timestamp",
            {_days_before_run_date("arrived_at")} as days_before_run_date
        from raw.contacts {_THIS_LOAD}
        """,
        (
            *_non_negative(
                "ivr_seconds::double",
                "wait_seconds::double",
                "talk_seconds::double",
                "hold_seconds::double",
                "acw_seconds::double",
            ),
            _band("wait_seconds::double", max_value=CONTACT_WAIT_SECONDS_MAX),
            _band("talk_seconds::double", max_value=CONTACT_SECONDS_MAX),
            _band("hold_seconds::double", max_value=CONTACT_SECONDS_MAX),
            _band("acw_seconds::double", max_value=CONTACT_SECONDS_MAX),
            _band("ivr_seconds::double", max_value=CONTACT_SECONDS_MAX),
            _not_before("ended_at::timestamp", "arrived_at::timestamp"),
            _not_before("answered_at::timestamp", "arrived_at::timestamp"),
            _not_before("ended_at::timestamp", "answered_at::timestamp"),
            _band("days_before_run_date", DAYS_BEFORE_RUN_DATE_MIN),
        ),
    ),
    "agent_intervals": (
        f"""
        select
            agent_id,
            queue_id,
            {_utc("interval_start")} as "interval_start::timestamp",
            try_cast(interval_minutes as bigint) as "interval_minutes::bigint",
            try_cast(staffed_seconds as double) as "staffed_seconds::double",
            try_cast(available_seconds as double) as "available_seconds::double",
            try_cast(handling_seconds as double) as "handling_seconds::double",
            try_cast(aux_seconds as double) as "aux_seconds::double",
            "staffed_seconds::double" - "interval_minutes::bigint" * 60
                as staffed_minus_interval_seconds,
            "staffed_seconds::double" - (
                "available_seconds::double"
                + "handling_seconds::double"
                + "aux_seconds::double"
            ) as staffed_minus_states_seconds,
            {_days_before_run_date("interval_start")} as days_before_run_date
        from raw.agent_intervals {_THIS_LOAD}
        """,
        (
            _unique("agent_id", "queue_id", "interval_start::timestamp"),
            # interval_minutes divides the pipeline's interval: the load step checks
            # it against the var (interval_not_divisor); this is the contract's floor
            _between("interval_minutes::bigint", 1, 60),
            *_non_negative(
                "staffed_seconds::double",
                "available_seconds::double",
                "handling_seconds::double",
                "aux_seconds::double",
            ),
            # staffed time cannot exceed the interval (0.001 s: float noise)
            _between("staffed_minus_interval_seconds", max_value=0.001),
            # staffed = available + handling + aux (docs/data_contract.md); more in
            # states than staffed is refused at load (states_exceed_staffed), less is
            # an oddity (states the export does not list): a warning, counted
            _between("staffed_minus_states_seconds", min_value=-0.001),
            _band(
                "staffed_minus_states_seconds",
                -STATE_SECONDS_TOLERANCE,
                STATE_SECONDS_TOLERANCE,
            ),
            _band("days_before_run_date", DAYS_BEFORE_RUN_DATE_MIN),
        ),
    ),
    "survey_responses": (
        f"""
        select
            try_cast(score as double) as "score::double",
            try_cast(scale_min as double) as "scale_min::double",
            try_cast(scale_max as double) as "scale_max::double",
            {_days_before_run_date("responded_at")} as days_before_run_date
        from raw.survey_responses {_THIS_LOAD}
        """,
        (
            _not_before("score::double", "scale_min::double"),
            _not_before("scale_max::double", "score::double"),
            _not_before("scale_max::double", "scale_min::double", strict=True),
            _band("days_before_run_date", DAYS_BEFORE_RUN_DATE_MIN),
        ),
    ),
    "customers": (
        f"""
        select
            try_cast(monthly_revenue as double) as "monthly_revenue::double",
            {_utc("signed_up_at")} as "signed_up_at::timestamp",
            {_utc("churned_at")} as "churned_at::timestamp"
        from raw.customers {_THIS_LOAD}
        """,
        (
            _band("monthly_revenue::double", 0),
            _not_before("churned_at::timestamp", "signed_up_at::timestamp"),
        ),
    ),
    "costs": (
        f"""
        select
            team_id,
            try_cast(effective_from as date) as "effective_from::date",
            try_cast(loaded_cost_per_agent_hour as double)
                as "loaded_cost_per_agent_hour::double"
        from raw.costs {_THIS_LOAD}
        """,
        (
            _unique("team_id", "effective_from::date"),
            _between("loaded_cost_per_agent_hour::double", 0, strict_min=True),
            _band("loaded_cost_per_agent_hour::double", *COST_PER_AGENT_HOUR_BAND),
        ),
    ),
}


def _raw_suites(source: str) -> tuple[Suite, ...]:
    table = f"raw.{source}"
    optional = source != "contacts"
    typed_sql, typed_rules = _RAW_TYPED[source]
    return (
        Suite(
            name=table,
            tables=(table,),
            sql=f"select * from {table} {_THIS_LOAD}",
            rules=_contract_rules(source) + _RAW_TEXT_RULES[source],
            optional=optional,
        ),
        Suite(
            name=table,
            tables=(table,),
            sql=typed_sql,
            rules=typed_rules,
            optional=optional,
        ),
    )


def _volume_suite(source: str, key: str, timestamp: str) -> Suite:
    """Distinct keys of the run date (local, all loads) vs the trailing same weekdays.

    The baseline is the mean over those of the last VOLUME_TRAILING_WEEKS same weekdays
    that have rows (a day without rows is taken as no data yet, not as a zero day).
    """
    table = f"raw.{source}"
    day = _local_date(timestamp)
    low, high = VOLUME_RATIO_BAND
    return Suite(
        name=f"volume.{source}",
        tables=(table,),
        sql=f"select distinct {key} from {table} where {day} = $run_date",
        baseline_sql=f"""
        with daily as (
            select {day} as day, count(distinct ({key})) as keys
            from {table}
            where {day} in (
                select cast($run_date as date) - cast(7 * week as integer)
                from range(1, {VOLUME_TRAILING_WEEKS + 1}) as weeks(week)
            )
            group by 1
        )
        select
            cast(floor(avg(keys) * {low}) as bigint) as min_rows,
            cast(ceil(avg(keys) * {high}) as bigint) as max_rows,
            avg(keys) as trailing_mean_rows,
            count(*) as trailing_days
        from daily
        """,
        rules=(
            Rule(
                "expect_table_row_count_to_be_between",
                {
                    "min_value": param("min_rows"),
                    "max_value": param("max_rows"),
                },
                WARN,
            ),
        ),
        optional=source != "contacts",
        skip_empty=False,
    )


INPUT_SUITES: tuple[Suite, ...] = (
    *(suite for source in SOURCES for suite in _raw_suites(source)),
    _volume_suite("contacts", "contact_id", "arrived_at"),
    _volume_suite(
        "agent_intervals", "agent_id, queue_id, interval_start", "interval_start"
    ),
    _volume_suite("survey_responses", "response_id", "responded_at"),
)


# ==============================================================================
# Marts and reports. Facts: the rows of the window; dims and small reports: every row.
# ==============================================================================

_IN_WINDOW = "between $window_start and $window_end"
# Real-time channels (voice, chat by default) are dbt's var realtime_channels, bound
# as $realtime_channels by validate_marts: the wait bands below hold for exactly the
# channels the reports price waiting for.

_MART_TABLE_SUITES: tuple[tuple[str, str, tuple[Rule, ...]], ...] = (
    (
        "marts.fct_contacts",
        f"""
        select
            contact_id, handle_time_seconds, cost_amount,
            case when list_contains($realtime_channels, channel) then wait_seconds end
                as realtime_wait_seconds
        from marts.fct_contacts where arrived_date {_IN_WINDOW}
        """,
        (
            _unique("contact_id"),
            _between("handle_time_seconds", 0),
            _band("handle_time_seconds", max_value=CONTACT_SECONDS_MAX),
            _band("realtime_wait_seconds", max_value=REALTIME_WAIT_SECONDS_MAX),
            _between("cost_amount", 0),
        ),
    ),
    (
        "marts.fct_queue_intervals",
        f"""
        select
            *,
            case when list_contains($realtime_channels, channel) then asa_seconds end
                as realtime_asa_seconds,
            case when channel in ('email', 'message') then asa_seconds end
                as deferred_asa_seconds
        from marts.fct_queue_intervals where interval_date {_IN_WINDOW}
        """,
        (
            _unique("queue_id", "interval_start_at"),
            *_rates(
                "service_level_rate",
                "abandonment_rate",
                "occupancy_rate",
                "utilization_rate",
                "shrinkage_rate",
                "transfer_rate",
                "fcr_rate",
                "erlang_c_service_level_rate",
                "erlang_c_occupancy_rate",
                "erlang_a_service_level_rate",
                "erlang_a_abandonment_rate",
                "erlang_a_occupancy_rate",
            ),
            _band("aht_seconds", *AHT_SECONDS_BAND),
            _band("realtime_asa_seconds", 0, REALTIME_ASA_SECONDS_MAX),
            _band("deferred_asa_seconds", 0, DEFERRED_ASA_SECONDS_MAX),
        ),
    ),
    (
        "marts.fct_queue_days",
        f"""
        select
            *,
            case when list_contains($realtime_channels, channel) then asa_seconds end
                as realtime_asa_seconds
        from marts.fct_queue_days where interval_date {_IN_WINDOW}
        """,
        (
            _unique("queue_id", "interval_date"),
            *_rates(
                "service_level_rate",
                "abandonment_rate",
                "occupancy_rate",
                "utilization_rate",
                "shrinkage_rate",
                "transfer_rate",
                "fcr_rate",
                "erlang_a_service_level_rate",
            ),
            _band("aht_seconds", *AHT_SECONDS_BAND),
            _band("realtime_asa_seconds", 0, REALTIME_ASA_SECONDS_MAX),
            _band("occupancy_rate", max_value=OCCUPANCY_RATE_MAX),
            _band("utilization_rate", max_value=UTILIZATION_RATE_MAX),
            _band("shrinkage_rate", max_value=SHRINKAGE_RATE_MAX),
        ),
    ),
    (
        "marts.fct_agent_intervals",
        f"""
        select * from marts.fct_agent_intervals
        where interval_date {_IN_WINDOW}
        """,
        (
            _unique("agent_id", "queue_id", "interval_start_at"),
            *_rates("occupancy_rate", "utilization_rate", "shrinkage_rate"),
            *_non_negative("staffed_seconds", "staff_cost_amount"),
        ),
    ),
    (
        "marts.fct_survey_responses",
        f"select * from marts.fct_survey_responses where responded_date {_IN_WINDOW}",
        (_unique("response_id"), *_rates("score_rate")),
    ),
    (
        "marts.fct_customer_months",
        """
        select * from marts.fct_customer_months
        where month_start_date between date_trunc('month', cast($window_start as date))
            and $window_end
        """,
        (
            _unique("customer_id", "month_start_date"),
            *_rates("csat_rate"),
            *_non_negative("avg_wait_seconds", "cost_to_serve_amount"),
        ),
    ),
    (
        "marts.dim_queues",
        "select * from marts.dim_queues",
        (_unique("queue_id"), *_rates("sl_target_rate", "abandonment_target_rate")),
    ),
    ("marts.dim_agents", "select * from marts.dim_agents", (_unique("agent_id"),)),
    (
        "marts.dim_periods",
        "select * from marts.dim_periods",
        (_unique("period_grain", "period_start_date"),),
    ),
    (
        "marts.dim_customers",
        "select * from marts.dim_customers",
        (
            _unique("customer_id"),
            _band("monthly_revenue_amount", 0),
        ),
    ),
    (
        "reports.rpt_cost_vs_satisfaction",
        "select * from reports.rpt_cost_vs_satisfaction",
        (
            _unique(
                "dimension_type", "dimension_value", "period_grain", "period_start_date"
            ),
            *_rates(
                "csat_rate",
                "csat_top2box_rate",
                "csat_score_rate",
                "churn_rate",
                "retention_rate",
            ),
            *_nps("nps", "nps_ci_lower", "nps_ci_upper"),
        ),
    ),
    (
        "reports.rpt_quality_vs_productivity",
        "select * from reports.rpt_quality_vs_productivity",
        (
            _unique("unit_type", "unit_id", "week_start_date"),
            *_rates("fcr_rate", "csat_rate", "transfer_rate", "occupancy_rate"),
            _band("aht_seconds", *AHT_SECONDS_BAND),
        ),
    ),
    (
        "reports.rpt_okr_scorecard",
        """
        select
            key_result_id, period_start_date,
            case when kpi like '%\\_rate' escape '\\' then actual end as rate_actual,
            case when kpi = 'nps' then actual end as nps_actual
        from reports.rpt_okr_scorecard
        """,
        (
            _unique("key_result_id", "period_start_date"),
            *_rates("rate_actual"),
            *_nps("nps_actual"),
        ),
    ),
    (
        "reports.rpt_demand_matrix",
        "select * from reports.rpt_demand_matrix",
        (
            _unique("contact_reason"),
            *_rates(
                "containment_rate",
                "transfer_rate",
                "unresolved_rate",
                "resolution_complexity_index",
            ),
        ),
    ),
    (
        "reports.rpt_customer_feedback",
        "select response_id, theme from reports.rpt_customer_feedback",
        (_unique("response_id", "theme"),),
    ),
    (
        "reports.rpt_wait_experience_curve",
        "select * from reports.rpt_wait_experience_curve",
        (
            _unique("wait_band_index", "is_resolved"),
            *_rates(
                "csat_rate",
                "csat_rate_lower",
                "csat_rate_upper",
                "churn_rate",
                "churn_rate_lower",
                "churn_rate_upper",
            ),
            *_nps("nps", "nps_lower", "nps_upper"),
        ),
    ),
    (
        "reports.rpt_wait_churn_effects",
        "select term from reports.rpt_wait_churn_effects",
        (_unique("term"),),
    ),
    (
        "reports.rpt_staffing",
        f"select * from reports.rpt_staffing where interval_date {_IN_WINDOW}",
        (
            _unique("queue_id", "interval_start_at"),
            *_non_negative("money_at_stake_amount", "money_at_stake_lower_amount"),
        ),
    ),
    (
        "reports.rpt_staffing_daily",
        f"select * from reports.rpt_staffing_daily where interval_date {_IN_WINDOW}",
        (_unique("queue_id", "interval_date"),),
    ),
)

# --- reconciliations (error): the same quantity counted in two marts, per queue x day.
# Full outer joins, so a queue-day present in one mart only shows up as a mismatch.

_RECONCILIATIONS: tuple[Suite, ...] = (
    Suite(
        name="reconciliation",
        tables=("marts.fct_contacts", "marts.fct_queue_intervals"),
        sql=f"""
        with contacts as (
            select
                queue_id,
                interval_date,
                count(*) filter (where is_offered) as offered,
                count(*) filter (where is_answered) as answered,
                count(*) filter (where is_abandoned) as abandoned,
                count(*) filter (where outcome = 'contained') as contained
            from marts.fct_contacts
            where interval_date {_IN_WINDOW}
            group by all
        ),
        intervals as (
            select
                queue_id,
                interval_date,
                sum(contacts_offered) as offered,
                sum(contacts_answered) as answered,
                sum(contacts_abandoned) as abandoned,
                sum(contacts_contained) as contained
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        )
        select
            queue_id,
            interval_date,
            coalesce(contacts.offered, 0) as fct_contacts_offered,
            coalesce(intervals.offered, 0) as fct_queue_intervals_offered,
            coalesce(contacts.answered, 0) as fct_contacts_answered,
            coalesce(intervals.answered, 0) as fct_queue_intervals_answered,
            coalesce(contacts.abandoned, 0) as fct_contacts_abandoned,
            coalesce(intervals.abandoned, 0) as fct_queue_intervals_abandoned,
            coalesce(contacts.contained, 0) as fct_contacts_contained,
            coalesce(intervals.contained, 0) as fct_queue_intervals_contained
        from contacts full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal("fct_contacts_offered", "fct_queue_intervals_offered"),
            _equal("fct_contacts_answered", "fct_queue_intervals_answered"),
            _equal("fct_contacts_abandoned", "fct_queue_intervals_abandoned"),
            _equal("fct_contacts_contained", "fct_queue_intervals_contained"),
        ),
    ),
    Suite(
        name="reconciliation",
        tables=("marts.fct_queue_days", "marts.fct_queue_intervals"),
        sql=f"""
        with intervals as (
            select
                queue_id,
                interval_date,
                sum(contacts_offered) as offered,
                sum(contacts_answered) as answered,
                sum(staff_cost_amount) as staff_cost
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        ),
        days as (
            select queue_id, interval_date, contacts_offered as offered,
                contacts_answered as answered, staff_cost_amount as staff_cost
            from marts.fct_queue_days
            where interval_date {_IN_WINDOW}
        )
        select
            queue_id,
            interval_date,
            coalesce(days.offered, 0) as fct_queue_days_offered,
            coalesce(intervals.offered, 0) as fct_queue_intervals_offered,
            coalesce(days.answered, 0) as fct_queue_days_answered,
            coalesce(intervals.answered, 0) as fct_queue_intervals_answered,
            days.staff_cost as fct_queue_days_staff_cost_amount,
            intervals.staff_cost as fct_queue_intervals_staff_cost_amount
        from days full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal("fct_queue_days_offered", "fct_queue_intervals_offered"),
            _equal("fct_queue_days_answered", "fct_queue_intervals_answered"),
            _equal(
                "fct_queue_days_staff_cost_amount",
                "fct_queue_intervals_staff_cost_amount",
            ),
        ),
    ),
    Suite(
        name="reconciliation",
        tables=("marts.fct_agent_intervals", "marts.fct_queue_intervals"),
        sql=f"""
        with agents as (
            select
                queue_id,
                interval_date,
                sum(staff_cost_amount) as staff_cost
            from marts.fct_agent_intervals
            where interval_date {_IN_WINDOW}
            group by all
        ),
        intervals as (
            select queue_id, interval_date, sum(staff_cost_amount) as staff_cost
            from marts.fct_queue_intervals
            where interval_date {_IN_WINDOW}
            group by all
        )
        select
            queue_id,
            interval_date,
            agents.staff_cost as fct_agent_intervals_staff_cost_amount,
            intervals.staff_cost as fct_queue_intervals_staff_cost_amount
        from agents full join intervals using (queue_id, interval_date)
        """,
        rules=(
            _equal(
                "fct_agent_intervals_staff_cost_amount",
                "fct_queue_intervals_staff_cost_amount",
            ),
        ),
    ),
    Suite(
        # One cost: each queue-day's payroll is allocated to its handled contacts
        # (to the cent: their 4-decimal costs add up to it exactly) or, on a day
        # without any, is its unallocated line.
        name="reconciliation",
        tables=("marts.fct_contacts", "marts.fct_queue_days"),
        sql=f"""
        with contacts as (
            select
                queue_id,
                interval_date,
                sum(cost_amount) as cost
            from marts.fct_contacts
            where interval_date {_IN_WINDOW}
            group by all
        ),
        days as (
            select
                queue_id,
                interval_date,
                allocated_staff_cost_amount as allocated,
                staff_cost_amount - unallocated_staff_cost_amount as payroll_allocated
            from marts.fct_queue_days
            where interval_date {_IN_WINDOW}
        )
        select
            queue_id,
            interval_date,
            coalesce(contacts.cost, 0) as fct_contacts_cost_amount,
            coalesce(days.allocated, 0) as fct_queue_days_allocated_staff_cost_amount,
            coalesce(days.payroll_allocated, 0)
                as fct_queue_days_payroll_less_unallocated_amount
        from contacts full join days using (queue_id, interval_date)
        """,
        rules=(
            _equal(
                "fct_contacts_cost_amount",
                "fct_queue_days_allocated_staff_cost_amount",
            ),
            _equal(
                "fct_queue_days_allocated_staff_cost_amount",
                "fct_queue_days_payroll_less_unallocated_amount",
            ),
        ),
    ),
)

# --- drift (warn): the window's mean vs the DRIFT_TRAILING_DAYS before the window.
# Contact-level means are the KPIs themselves: the mean handle time of answered contacts
# is AHT, and the mean of answered-within-threshold over answered + abandoned contacts
# is the service level (sl_method offered, the project default); the mean top-2-box
# flag of CSAT answers is the CSAT rate (csat_method top2box).

_TRAILING = (
    f"between cast($window_start as date) - {DRIFT_TRAILING_DAYS} "
    "and cast($window_start as date) - 1"
)
_AHT_LOW, _AHT_HIGH = AHT_DRIFT_RATIO_BAND

_DRIFT: tuple[Suite, ...] = (
    Suite(
        name="drift",
        tables=("marts.fct_contacts",),
        sql=f"""
        select
            handle_time_seconds,
            cast(is_answered_within_threshold as double) as is_answered_within_threshold
        from marts.fct_contacts
        where arrived_date {_IN_WINDOW} and (is_answered or is_abandoned)
        """,
        baseline_sql=f"""
        select
            avg(handle_time_seconds) * {_AHT_LOW} as aht_min_seconds,
            avg(handle_time_seconds) * {_AHT_HIGH} as aht_max_seconds,
            avg(cast(is_answered_within_threshold as double))
                - {SERVICE_LEVEL_DRIFT_POINTS} as service_level_min_rate,
            avg(cast(is_answered_within_threshold as double))
                + {SERVICE_LEVEL_DRIFT_POINTS} as service_level_max_rate,
            avg(handle_time_seconds) as trailing_aht_seconds,
            avg(cast(is_answered_within_threshold as double))
                as trailing_service_level_rate
        from marts.fct_contacts
        where arrived_date {_TRAILING} and (is_answered or is_abandoned)
        """,
        rules=(
            Rule(
                "expect_column_mean_to_be_between",
                {
                    "column": "handle_time_seconds",
                    "min_value": param("aht_min_seconds"),
                    "max_value": param("aht_max_seconds"),
                },
                WARN,
            ),
            Rule(
                "expect_column_mean_to_be_between",
                {
                    "column": "is_answered_within_threshold",
                    "min_value": param("service_level_min_rate"),
                    "max_value": param("service_level_max_rate"),
                },
                WARN,
            ),
        ),
    ),
    Suite(
        name="drift",
        tables=("marts.fct_survey_responses",),
        sql=f"""
        select cast(is_top2box as double) as is_top2box
        from marts.fct_survey_responses
        where survey_type = 'csat' and responded_date {_IN_WINDOW}
        """,
        baseline_sql=f"""
        select
            avg(cast(is_top2box as double)) - {CSAT_DRIFT_POINTS} as csat_min_rate,
            avg(cast(is_top2box as double)) + {CSAT_DRIFT_POINTS} as csat_max_rate,
            avg(cast(is_top2box as double)) as trailing_csat_rate
        from marts.fct_survey_responses
        where survey_type = 'csat' and responded_date {_TRAILING}
        """,
        rules=(
            Rule(
                "expect_column_mean_to_be_between",
                {
                    "column": "is_top2box",
                    "min_value": param("csat_min_rate"),
                    "max_value": param("csat_max_rate"),
                },
                WARN,
            ),
        ),
    ),
)

MART_SUITES: tuple[Suite, ...] = (
    *(
        Suite(name=name, tables=(name,), sql=sql, rules=rules)
        for name, sql, rules in _MART_TABLE_SUITES
    ),
    *_RECONCILIATIONS,
    *_DRIFT,
)
