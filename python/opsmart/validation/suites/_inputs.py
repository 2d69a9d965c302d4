"""The input suites: ``raw.<source>``, the rows of this load, and the volume of
the run date against the trailing same weekdays."""

from __future__ import annotations

from opsmart.contract import SOURCES
from opsmart.ingest._sql import table_columns
from opsmart.ingest.rules import CURRENCY_PATTERN
from opsmart.validation.suites._rules import (
    WARN,
    Rule,
    Suite,
    _band,
    _between,
    _matches,
    _non_negative,
    _not_before,
    _rates,
    _unique,
    param,
)
from opsmart.validation.suites._thresholds import (
    CONTACT_SECONDS_MAX,
    CONTACT_WAIT_SECONDS_MAX,
    COST_PER_AGENT_HOUR_BAND,
    DAYS_BEFORE_RUN_DATE_MIN,
    STATE_SECONDS_TOLERANCE,
    VOLUME_RATIO_BAND,
    VOLUME_TRAILING_WEEKS,
)

__all__ = ["INPUT_SUITES", "RAW_METADATA_COLUMNS"]

#: Load metadata columns the load step adds to every raw table.
RAW_METADATA_COLUMNS = ("_source_file", "_source_row", "_load_id")


# ==============================================================================
# Inputs: raw.<source>, the rows of this load (``_load_id = $load_id``)
# ==============================================================================


def _contract_rules(source: str) -> tuple[Rule, ...]:
    """Schema and required columns, straight from `opsmart.contract`.

    - error: the table has every contract column and the load metadata columns;
    - error: required columns are never null.

    The columns' types are checked on the catalog (`_column_types_suite`): a value
    of a typed column has its type by construction.
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
    return tuple(rules)


def _declared_types(source: str) -> list[str]:
    """``"<column> <DuckDB type>"`` of each column the load step creates in
    ``raw.<source>`` (`opsmart.ingest._sql.table_columns`, the load's own DDL),
    spelt as information_schema spells them."""
    return [f"{name} {kind}" for name, kind in table_columns()[f"raw.{source}"]]


def _column_types_suite(source: str) -> Suite:
    """error: each contract and metadata column of ``raw.<source>`` has its type.

    Staging reads raw's values as they are, so a column of another type (a
    warehouse the load step did not make, a hand-made table) would fail or change
    the build far from its cause. The check reads the catalog, not the rows: it
    costs nothing per row and holds for an empty load too. A missing column is
    the schema rule's to report (`_contract_rules`), extra columns are allowed
    there, so only the load's own columns are listed here.
    """
    table = f"raw.{source}"
    names = ", ".join(f"'{name}'" for name, _ in table_columns()[table])
    return Suite(
        name=table,
        tables=(table,),
        sql=f"""
        select column_name || ' ' || data_type as column_type
        from information_schema.columns
        where table_catalog = current_database()
        and table_schema = 'raw' and table_name = '{source}'
        and column_name in ({names})
        order by ordinal_position
        """,
        rules=(
            Rule(
                "expect_column_values_to_be_in_set",
                {"column": "column_type", "value_set": _declared_types(source)},
            ),
        ),
        optional=source != "contacts",
    )


def _utc(column: str) -> str:
    """The instant as a UTC wall clock (TIMESTAMP), as the staging models read it
    (macro to_utc): comparisons in the frame do not depend on the session's zone."""
    return f"timezone('UTC', {column})"


def _local_date(column: str) -> str:
    """The instant's local date in the center's zone (macro local_date)."""
    return f"cast(timezone($timezone, {column}) as date)"


def _near_local_days(column: str, first: str, last: str) -> str:
    """SQL pre-filter on the instant `column`: true for every instant whose local
    date in the center's zone lies from `first` to `last` (SQL dates), and for
    some within a day of them.

    Computing every raw row's local date to find one day's rows costs the whole
    history (issue 19); a range on the stored instant is compared as it is and
    lets DuckDB skip row groups by their min and max. A local date's instants run
    from its local midnight to the next, except where a zone turned its clock back
    across midnight (tzdata: Newfoundland and Labrador until 2010, Moncton until
    2006, Casey in 2010): a day either side keeps those rows too. The exact local
    date still decides.
    """
    low = f"timezone($timezone, cast(cast({first} as date) - 1 as timestamp))"
    high = f"timezone($timezone, cast(cast({last} as date) + 2 as timestamp))"
    return f"({column} >= {low} and {column} < {high})"


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

# The typed checks read raw's typed columns as they are. Their columns keep the
# names of the casts they once were ("wait_seconds::double"): the results name
# them, and stored results (audit.validation_results) compare across nights.
_RAW_TYPED: dict[str, tuple[str, tuple[Rule, ...]]] = {
    "queues": (
        f"""
        select
            sl_target_rate as "sl_target_rate::double",
            abandonment_target_rate as "abandonment_target_rate::double",
            -- integers in the contract, compared as the other amounts
            cast(sl_threshold_seconds as double) as "sl_threshold_seconds::double",
            cast(asa_target_seconds as double) as "asa_target_seconds::double"
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
            ivr_seconds as "ivr_seconds::double",
            wait_seconds as "wait_seconds::double",
            talk_seconds as "talk_seconds::double",
            hold_seconds as "hold_seconds::double",
            acw_seconds as "acw_seconds::double",
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
            interval_minutes as "interval_minutes::bigint",
            staffed_seconds as "staffed_seconds::double",
            available_seconds as "available_seconds::double",
            handling_seconds as "handling_seconds::double",
            aux_seconds as "aux_seconds::double",
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
            score as "score::double",
            scale_min as "scale_min::double",
            scale_max as "scale_max::double",
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
            monthly_revenue as "monthly_revenue::double",
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
            effective_from as "effective_from::date",
            loaded_cost_per_agent_hour as "loaded_cost_per_agent_hour::double"
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
    """The rows of this load as loaded, the columns' types, the typed checks."""
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
        _column_types_suite(source),
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
    first_day = f"cast($run_date as date) - {7 * VOLUME_TRAILING_WEEKS}"
    last_day = "cast($run_date as date) - 7"
    return Suite(
        name=f"volume.{source}",
        tables=(table,),
        sql=(
            f"select distinct {key} from {table} "
            f"where {_near_local_days(timestamp, '$run_date', '$run_date')} "
            f"and {day} = $run_date"
        ),
        baseline_sql=f"""
        with daily as (
            select {day} as day, count(distinct ({key})) as keys
            from {table}
            where {_near_local_days(timestamp, first_day, last_day)}
            and {day} in (
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
