"""The SQL of the load step: table definitions and the per-batch check query."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from opsmart.contract import SOURCES, LandingError
from opsmart.ingest.rules import (
    EVENT_KEYS,
    MALFORMED_ROW,
    QUEUES_TABLE,
    TYPED_SQL,
    Rule,
)

__all__ = [
    "CHECKED",
    "SEEN",
    "STAGE",
    "DuplicateCheck",
    "check_sql",
    "counts_sql",
    "create_tables",
    "duplicates_sql",
    "has_catalog_columns",
    "literal",
    "malformed_insert_sql",
    "quarantine_insert_sql",
    "raw_insert_sql",
    "table_columns",
]

STAGE = "_ingest_stage"
CHECKED = "_ingest_checked"
#: The keys of a batch already in ``raw.<source>``.
SEEN = "_ingest_seen"
_VALUE_CHARS = 80
_QUOTE = "''''"  # SQL for a single quote character


def literal(text: str) -> str:
    """A SQL string literal of `text`."""
    return "'" + text.replace("'", "''") + "'"


def table_columns() -> dict[str, list[tuple[str, str]]]:
    """Every table the load step writes, with its columns and DuckDB types."""
    tables: dict[str, list[tuple[str, str]]] = {}
    for source, columns in SOURCES.items():
        tables[f"raw.{source}"] = [(c.name, "VARCHAR") for c in columns] + [
            ("_source_file", "VARCHAR"),
            ("_source_row", "BIGINT"),
            ("_load_id", "VARCHAR"),
        ]
    tables["raw.loaded_files"] = [
        ("source", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("size_bytes", "BIGINT"),
        ("sha256", "VARCHAR"),
        ("rows_read", "BIGINT"),
        ("rows_loaded", "BIGINT"),
        ("rows_quarantined", "BIGINT"),
        ("load_id", "VARCHAR"),
    ]
    tables["audit.quarantine"] = [
        ("source", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("source_row", "BIGINT"),
        ("reason_code", "VARCHAR"),
        ("column_name", "VARCHAR"),
        ("reason", "VARCHAR"),
        ("record", "VARCHAR"),
        ("load_id", "VARCHAR"),
    ]
    return tables


def create_tables(connection: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and audit tables if absent; refuse ones of another shape."""
    connection.execute("create schema if not exists raw")
    connection.execute("create schema if not exists audit")
    for table, columns in table_columns().items():
        ddl = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"create table if not exists {table} ({ddl})")
        schema, name = table.split(".")
        found = connection.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
        if [tuple(row) for row in found] != columns:
            have = ", ".join(f"{n} {t}" for n, t in found)
            want = ", ".join(f"{n} {t}" for n, t in columns)
            raise LandingError(
                f"warehouse table {table} has columns ({have}), expected ({want}); "
                "it was not made by this version of the load step"
            )


def _typed(source: str, prefix: str = "") -> str:
    fields = ", ".join(
        f"{c.name} := " + TYPED_SQL[c.type].format(c=prefix + c.name)
        for c in SOURCES[source]
    )
    return f"struct_pack({fields})"


def _part(rule: Rule) -> str:
    """SQL for ``column='value': message`` of a rule (value cut to 80 characters)."""
    value = f"coalesce('''' || left({rule.column}, {_VALUE_CHARS}) || '''', 'null')"
    return f"{literal(rule.column + '=')} || {value} || {literal(': ' + rule.message)}"


def _key_typed(source: str, column: str, prefix: str = "") -> str:
    kind = next(c.type for c in SOURCES[source] if c.name == column)
    return TYPED_SQL[kind].format(c=prefix + column)


def has_catalog_columns(source: str) -> bool:
    """Whether rows of `source` see their queue's catalog entry (``_catalog_*``)."""
    return source != "queues" and any(c.name == "queue_id" for c in SOURCES[source])


def check_sql(
    source: str, rules: tuple[Rule, ...], typed_text: Collection[str] = ()
) -> str:
    """SQL (re)creating ``_ingest_checked``: the staged rows that break a rule.

    The batch (``_ingest_stage``) has the contract columns as text, ``_source_file``
    and ``_source_row``; rows of a source with a ``queue_id`` also see their queue in
    the catalog (``_ingest_queues``, which must exist, empty without a catalog) as
    ``_catalog_queue_id``, ``_catalog_channel`` and ``_catalog_timezone``. The result
    has ``_source_file``, ``_source_row`` and, of the first rule broken, ``_code``
    and ``_column``; ``_reason`` joins the messages of every rule broken. One pass
    over the batch; only rejected rows are written.

    `typed_text` names the columns whose text every staged row has from the load's
    own rendering of a typed value (``FileHeader.typed_text``): their rules check
    only what such text can break (:attr:`Rule.when_typed`), and the rules that
    cannot fire are left out. On a year of Parquet, the regular expressions for
    the formats were most of the check (issue 19).
    """
    rules = tuple(r for r in rules if r.predicate(typed_text) != "false")
    flags = ",\n            ".join(
        f"coalesce({rule.predicate(typed_text)}, false) as _f{i}"
        for i, rule in enumerate(rules)
    )
    code = " ".join(f"when _f{i} then {literal(r.code)}" for i, r in enumerate(rules))
    column = " ".join(
        f"when _f{i} then {literal(r.column)}" for i, r in enumerate(rules)
    )
    parts = ",\n        ".join(
        f"case when _f{i} then {_part(r)} end" for i, r in enumerate(rules)
    )
    broken = " or ".join(f"_f{i}" for i in range(len(rules)))
    rows = f"select s.*, {_typed(source, 's.')} as v"
    if has_catalog_columns(source):
        rows += (
            ", q.queue_id as _catalog_queue_id, q.channel as _catalog_channel, "
            f"q.timezone as _catalog_timezone from {STAGE} as s "
            f"left join {QUEUES_TABLE} as q on q.queue_id = s.queue_id"
        )
    else:
        rows += f" from {STAGE} as s"
    return f"""create or replace temp table {CHECKED} as
select _source_file, _source_row,
    case {code} end as _code,
    case {column} end as _column,
    concat_ws('; ',
        {parts}
    ) as _reason
from (
    select *,
            {flags}
    from ({rows})
)
where {broken}"""


def _key_aliases(key: tuple[str, ...]) -> list[str]:
    """The aliases ``_k0, _k1, ...`` the duplicate check gives the key columns."""
    return [f"_k{i}" for i in range(len(key))]


def _typed_keys(
    source: str, key: tuple[str, ...], prefix: str
) -> list[tuple[str, str]]:
    """Each key column typed (read through `prefix`), with its alias."""
    return [
        (_key_typed(source, column, prefix), alias)
        for column, alias in zip(key, _key_aliases(key), strict=True)
    ]


def _valid_cte(source: str, key: tuple[str, ...]) -> str:
    """``valid``: the typed key of each staged row that broke no rule."""
    key_of = ", ".join(f"{typed} as {k}" for typed, k in _typed_keys(source, key, "s."))
    return f"""valid as (
    select {key_of}, s._source_file, s._source_row
    from {STAGE} as s
    anti join {CHECKED} as q
        on q._source_file = s._source_file and q._source_row = s._source_row
)"""


def _ranked_cte(key: tuple[str, ...]) -> str:
    """``ranked``: the valid rows that may be duplicates, numbered within their key
    by file and row.

    A row can repeat a kept key only if its key comes twice in the batch or is in
    raw (``_ingest_seen``); numbering only the rows of those keys (every row of such
    a key) keeps the window and the joins after it to a few rows instead of the
    whole batch (issue 19).
    """
    aliases = _key_aliases(key)
    keys = ", ".join(aliases)
    same = " and ".join(f"v.{k} is not distinct from m.{k}" for k in aliases)
    partition = ", ".join(f"v.{k}" for k in aliases)
    return f"""ranked as (
    select v.*, row_number() over (
        partition by {partition} order by v._source_file, v._source_row
    ) as _rank
    from valid as v
    semi join (
        select {keys} from valid group by all having count(*) > 1
        union all
        select {keys} from {SEEN}
    ) as m on {same}
)"""


def _prior_cte(
    source: str, key: tuple[str, ...], *, any_prior: bool, near: str = "true"
) -> str:
    """``prior``: each batch key already in ``raw.<source>``, at its first row there.

    Only the keys found in raw (:data:`SEEN`) are looked up there, among the rows
    `near` the batch (:meth:`DuplicateCheck.raw_near_batch`); when none is
    (`any_prior` false: the usual batch), raw is not read at all.
    """
    typed = _typed_keys(source, key, "r.")
    raw_key_of = ", ".join(f"{t} as {k}" for t, k in typed)
    if not any_prior:
        nulls = ", ".join(f"{t} as {k}" for t, k in _typed_keys(source, key, "s."))
        return f"""prior as (
    select {nulls}, s._source_file as _kept_file, s._source_row as _kept_row
    from {STAGE} as s
    where false
)"""
    in_seen = " and ".join(f"{t} = seen.{k}" for t, k in typed)
    partition = ", ".join(_key_aliases(key))
    return f"""prior as (
    select {raw_key_of}, r._source_file as _kept_file, r._source_row as _kept_row
    from raw.{source} as r
    semi join {SEEN} as seen on {in_seen}
    where {near}
    qualify row_number() over (
        partition by {partition} order by r._load_id, r._source_file, r._source_row
    ) = 1
)"""


def _dups_cte(key: tuple[str, ...]) -> str:
    """``dups``: the valid rows repeating a kept key, with where the kept row is."""
    same = " and ".join(f"{{a}}.{k} = {{b}}.{k}" for k in _key_aliases(key))
    return f"""dups as (
    select c._source_file, c._source_row,
        coalesce(p._kept_file, f._source_file) as _kept_file,
        coalesce(p._kept_row, f._source_row) as _kept_row,
        p._kept_row is not null as _in_raw
    from ranked as c
    left join prior as p on {same.format(a="p", b="c")}
    left join ranked as f on {same.format(a="f", b="c")} and f._rank = 1
    where p._kept_row is not null or c._rank > 1
)"""


def _compared_cte(source: str, key: tuple[str, ...]) -> str:
    """``compared``: each duplicate's typed values beside its kept row's."""
    key_text = " || '+' || ".join(f"coalesce(s.{column}, '')" for column in key)
    return f"""compared as (
    select d._source_file, d._source_row, d._kept_file, d._kept_row,
        {key_text} as _key_text,
        {_typed(source, "s.")} as v,
        case when d._in_raw then {_typed(source, "kr.")}
            else {_typed(source, "kb.")} end as _kept_v
    from dups as d
    join {STAGE} as s
        on s._source_file = d._source_file and s._source_row = d._source_row
    left join raw.{source} as kr
        on d._in_raw
        and kr._source_file = d._kept_file and kr._source_row = d._kept_row
    left join {STAGE} as kb
        on not d._in_raw
        and kb._source_file = d._kept_file and kb._source_row = d._kept_row
)"""


def _duplicate_rows_select(source: str, key: tuple[str, ...]) -> str:
    """The rejected duplicates: identical or conflicting, with the kept row named."""
    key_name = "+".join(key)
    differs = ", ".join(
        f"case when v.{n} is distinct from _kept_v.{n} then {literal(n)} end"
        for n in (c.name for c in SOURCES[source])
    )
    return f"""select _source_file, _source_row, _code, {literal(key_name)} as _column,
    {literal(key_name + "=")} || {_QUOTE} || _key_text || {_QUOTE}
    || ': duplicate of ' || _kept_file || ':' || _kept_row
    || case
        when _code = 'duplicate_identical' then ' (identical)'
        else ' (differs in ' || concat_ws(', ', {differs}) || ')'
    end as _reason
from (
    select *,
        case when v is not distinct from _kept_v
            then 'duplicate_identical' else 'duplicate_conflicting'
        end as _code
    from compared
)"""


def _loaded_keys_select(source: str, key: tuple[str, ...]) -> str:
    """The typed key of each staged row that broke no rule (null keys left out:
    they equal no key)."""
    typed = _typed_keys(source, key, "s.")
    key_of = ", ".join(f"{t} as {k}" for t, k in typed)
    not_null = " and ".join(f"{t} is not null" for t, _ in typed)
    return (
        f"select {key_of} from {STAGE} as s anti join {CHECKED} as q "
        "on q._source_file = s._source_file and q._source_row = s._source_row "
        f"where {not_null}"
    )


#: How many days apart the dates that two loaded texts of one instant start with may
#: lie: each text's UTC offset is at most 14 hours (``offset_out_of_range``) and its
#: time of day at most 24:00, so two days; and a day to spare.
_DATE_SLACK_DAYS = 3
#: The dates (text) the batch's key timestamps start with, lowest and highest.
_FIRST_DATE = r"regexp_extract({c}, '\d{{4}}-\d{{2}}-\d{{2}}')"


@dataclass(frozen=True)
class DuplicateCheck:
    """The statements of the duplicate check of one event source (issue 19).

    Each batch's keys are looked up in ``raw.<source>`` itself, no copy of its keys
    kept: a key of text columns is matched as it is, one with a timestamp
    (``agent_intervals``' ``interval_start``) only against the raw rows whose
    text starts with a date near the batch's own (:meth:`raw_near_batch`), so
    neither parses the history's timestamps. `find_seen` fills ``_ingest_seen``
    with the batch keys found in raw; raw is read again only for those, to name
    the kept row (`insert_with_prior`); a batch with none runs
    `insert_without_prior`.
    """

    source: str
    key: tuple[str, ...]

    @property
    def dated(self) -> tuple[str, ...]:
        """The key's timestamp columns."""
        kinds = {c.name: c.type for c in SOURCES[self.source]}
        return tuple(c for c in self.key if kinds[c] == "timestamp")

    def batch_dates(self) -> str | None:
        """SQL: the lowest and highest date each dated key column's text starts
        with, over the batch's rows that broke no rule (None: no dated column)."""
        if not self.dated:
            return None
        bounds = ", ".join(
            f"min({_FIRST_DATE.format(c='s.' + c)}), "
            f"max({_FIRST_DATE.format(c='s.' + c)})"
            for c in self.dated
        )
        return (
            f"select {bounds} from {STAGE} as s anti join {CHECKED} as q "
            "on q._source_file = s._source_file and q._source_row = s._source_row"
        )

    def raw_near_batch(self, dates: tuple[str | None, ...]) -> str:
        """SQL pre-filter on ``raw.<source> as r``: true for every raw row whose
        dated key columns may hold an instant of the batch, given `dates` (the row
        of :meth:`batch_dates`), compared as text.

        A loaded timestamp's text starts with an ISO date (after white space,
        which sorts before any digit: such a text is kept) within
        :data:`_DATE_SLACK_DAYS` of its instant, and ISO dates compare as text.
        """
        parts = []
        for i, column in enumerate(self.dated):
            low, high = dates[2 * i], dates[2 * i + 1]
            if low is None or high is None:
                return "false"  # no batch row has this column: no key to match
            first = _shifted(low, -_DATE_SLACK_DAYS)
            after = _shifted(high, _DATE_SLACK_DAYS + 1)
            near = []
            if first is not None:
                near.append(f"r.{column} >= {literal(first)}")
            if after is not None:
                near.append(f"r.{column} < {literal(after)}")
            parts.append(f"(({' and '.join(near) or 'true'}) or r.{column} < '0')")
        return " and ".join(parts) or "true"

    def find_seen(self, dates: tuple[str | None, ...] = ()) -> str:
        """SQL filling ``_ingest_seen``: the batch's keys already in raw."""
        aliases = _key_aliases(self.key)
        typed = _typed_keys(self.source, self.key, "r.")
        raw_keys = ", ".join(f"{t} as {k}" for t, k in typed)
        same = " and ".join(f"k.{k} = b.{k}" for k in aliases)
        return (
            f"create or replace temp table {SEEN} as select distinct b.* "
            f"from ({_loaded_keys_select(self.source, self.key)}) as b "
            f"semi join (select {raw_keys} from raw.{self.source} as r "
            f"where {self.raw_near_batch(dates)}) as k on {same}"
        )

    def insert(self, *, any_prior: bool, dates: tuple[str | None, ...] = ()) -> str:
        """SQL adding the batch's duplicates to ``_ingest_checked``."""
        source, key = self.source, self.key
        ctes = (
            _valid_cte(source, key),
            _ranked_cte(key),
            _prior_cte(
                source, key, any_prior=any_prior, near=self.raw_near_batch(dates)
            ),
            _dups_cte(key),
            _compared_cte(source, key),
        )
        with_ctes = ",\n".join(ctes)
        select = _duplicate_rows_select(source, key)
        return f"insert into {CHECKED}\nwith {with_ctes}\n{select}"


def _shifted(day: str, days: int) -> str | None:
    """The ISO date `days` after `day`, or None past the calendar's ends (year 1 to
    9999: no bound on that side)."""
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return None


def duplicates_sql(source: str) -> DuplicateCheck | None:
    """The duplicate check of `source`, adding to ``_ingest_checked`` the staged
    rows that repeat a kept key.

    Only rows that break no rule take part. The kept row of a key is the one
    already in ``raw.<source>`` (earlier loads, batches and chunks), else the batch's
    first row of that key by file and row. None for entity sources (no duplicates).
    """
    key = EVENT_KEYS.get(source)
    return None if key is None else DuplicateCheck(source, key)


def counts_sql() -> str:
    """Rows staged and rejected per file and reason code (null code = staged)."""
    return (
        f"select _source_file, null as _code, count(*) from {STAGE} group by all "
        f"union all select _source_file, _code, count(*) from {CHECKED} group by all"
    )


def raw_insert_sql(source: str, load_id: str) -> str:
    """Insert the staged rows that are not in ``_ingest_checked`` into ``raw``."""
    names = ", ".join(f"s.{c.name}" for c in SOURCES[source])
    return (
        f"insert into raw.{source} select {names}, s._source_file, s._source_row, "
        f"{literal(load_id)} from {STAGE} as s anti join {CHECKED} as q "
        "on q._source_file = s._source_file and q._source_row = s._source_row"
    )


def quarantine_insert_sql(source: str, load_id: str) -> str:
    """Insert the staged rows in ``_ingest_checked`` into ``audit.quarantine``."""
    record = ", ".join(f"{literal(c.name)}, s.{c.name}" for c in SOURCES[source])
    return (
        f"insert into audit.quarantine select {literal(source)}, q._source_file, "
        "q._source_row, q._code, q._column, q._reason, "
        f"cast(json_object({record}) as varchar), {literal(load_id)} "
        f"from {CHECKED} as q join {STAGE} as s "
        "on q._source_file = s._source_file and q._source_row = s._source_row "
        "order by q._source_file, q._source_row"
    )


def malformed_insert_sql(source: str, load_id: str) -> str:
    """Insert the registered ``_ingest_malformed`` rows into ``audit.quarantine``."""
    return (
        f"insert into audit.quarantine select {literal(source)}, source_file, "
        f"source_row, {literal(MALFORMED_ROW)}, null, reason, record, "
        f"{literal(load_id)} from _ingest_malformed order by source_file, source_row"
    )
