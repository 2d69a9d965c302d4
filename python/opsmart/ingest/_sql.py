"""The SQL of the load step: table definitions and the per-batch check query."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import duckdb

from opsmart.contract import SOURCES, Column, LandingError
from opsmart.ingest.rules import (
    EVENT_KEYS,
    LOWER_PREFIX,
    MALFORMED_ROW,
    QUEUES_TABLE,
    TYPED_SQL,
    Rule,
)

__all__ = [
    "CHECKED",
    "RAW_TYPES",
    "REPEATED",
    "SEEN",
    "STAGE",
    "TYPED_PREFIX",
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
    "rendered",
    "stage_ddl",
    "stage_insert_sql",
    "stage_select_sql",
    "stage_view_sql",
    "table_columns",
]

STAGE = "_ingest_stage"
CHECKED = "_ingest_checked"
#: The keys of a batch already in ``raw.<source>``.
SEEN = "_ingest_seen"
#: The keys that come more than once among a batch's rows that broke no rule.
REPEATED = "_ingest_repeated"
_VALUE_CHARS = 80
_QUOTE = "''''"  # SQL for a single quote character


def literal(text: str) -> str:
    """A SQL string literal of `text`."""
    return "'" + text.replace("'", "''") + "'"


#: The DuckDB type of a raw column by contract type, as information_schema spells it.
RAW_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "timestamp": "TIMESTAMP WITH TIME ZONE",
    "date": "DATE",
    "number": "DOUBLE",
    "integer": "BIGINT",
    "boolean": "BOOLEAN",
}


def table_columns() -> dict[str, list[tuple[str, str]]]:
    """Every table the load step writes, with its columns and DuckDB types.

    Raw keeps each contract column typed by the contract (:data:`RAW_TYPES`): the
    load types a value once, and no later reader parses text again (issue 19).
    """
    tables: dict[str, list[tuple[str, str]]] = {}
    for source, columns in SOURCES.items():
        tables[f"raw.{source}"] = [(c.name, RAW_TYPES[c.type]) for c in columns] + [
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
        # The file's modification time (ns since the epoch) when its bytes were
        # last hashed: a later load hashes it again only if this or the size moved.
        ("modified_ns", "BIGINT"),
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


def create_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Create the raw and audit tables if absent; refuse ones of another shape.

    A raw table of an earlier version, with every contract column as text, is
    converted to the typed columns in place (:func:`_type_text_columns`); returns
    the tables converted. A `raw.loaded_files` of an earlier version gets its
    `modified_ns` column, null until the file's bytes are next verified.
    """
    connection.execute("create schema if not exists raw")
    connection.execute("create schema if not exists audit")
    converted = []
    wanted = table_columns()
    for table, columns in wanted.items():
        ddl = ", ".join(f"{name} {kind}" for name, kind in columns)
        connection.execute(f"create table if not exists {table} ({ddl})")
    existing = _columns_by_table(connection)
    for table, columns in wanted.items():
        found = existing[table]
        if found == columns[:-1] and table == "raw.loaded_files":
            # loads before modified_ns: its rows get it when next verified (_plan)
            connection.execute(f"alter table {table} add column modified_ns BIGINT")
            found = _columns_by_table(connection)[table]
        if found != columns and _is_text_raw(table, found):
            _type_text_columns(connection, table)
            converted.append(table)
            found = _columns_by_table(connection)[table]
        if found != columns:
            have = ", ".join(f"{n} {t}" for n, t in found)
            want = ", ".join(f"{n} {t}" for n, t in columns)
            raise LandingError(
                f"warehouse table {table} has columns ({have}), expected ({want}); "
                "it was not made by this version of the load step"
            )
    return converted


def _columns_by_table(
    connection: duckdb.DuckDBPyConnection,
) -> dict[str, list[tuple[str, str]]]:
    """The columns and types of every table in `raw` and `audit`, in order.

    One query of `duckdb_columns()` for all of them: a load runs this at its start,
    and the ingest tests load hundreds of times (eight queries of
    information_schema, one per table, were about 1 % of the test suite's CPU).
    """
    rows = connection.execute(
        "select schema_name || '.' || table_name, column_name, data_type "
        "from duckdb_columns() where database_name = current_database() "
        "and schema_name in ('raw', 'audit') "
        "order by schema_name, table_name, column_index"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, name, kind in rows:
        tables.setdefault(str(table), []).append((str(name), str(kind)))
    return tables


def _is_text_raw(table: str, found: list[tuple[str, str]]) -> bool:
    """Whether `found` is `table` as loads before typed raw made it: the same
    columns, every contract column VARCHAR."""
    source = table.removeprefix("raw.")
    if source not in SOURCES:
        return False
    text = [(c.name, "VARCHAR") for c in SOURCES[source]]
    return found == text + table_columns()[table][len(text) :]


def _type_text_columns(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Convert a text raw table's contract columns to their types, in place.

    Every value in it passed the load's rules, so each casts as the load types it
    (:data:`~opsmart.ingest.rules.TYPED_SQL`, in UTC: a timestamp without an
    offset is UTC); a value that does not raises and the transaction is rolled
    back, rather than becoming null.
    ``alter ... type`` keeps the rows in their order (raw is sorted by file, which
    the row groups' min/max indexes rely on).
    """
    source = table.removeprefix("raw.")
    (zone,) = connection.execute("select current_setting('TimeZone')").fetchall()[0]
    connection.execute("set TimeZone = 'UTC'")
    connection.begin()
    try:
        for c in SOURCES[source]:
            if c.type == "string":
                continue
            # The load's rule trims a boolean's text; the cast does not.
            text = f"trim({c.name})" if c.type == "boolean" else c.name
            value = f"cast({text} as {RAW_TYPES[c.type]})"
            try:
                connection.execute(
                    f"alter table {table} alter {c.name} type {RAW_TYPES[c.type]} "
                    f"using {value}"
                )
            except duckdb.Error as error:
                raise LandingError(
                    f"warehouse table {table}: column {c.name} has text that is not "
                    f"a {c.type}, so it cannot be typed ({error}); the table is "
                    "left as it was"
                ) from None
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.execute(f"set TimeZone = {literal(str(zone))}")


#: The stage's column of a contract column's typed value: this prefix + its name.
TYPED_PREFIX = "_typed_"


def _value(column: Column, prefix: str, *, staged: bool) -> str:
    """SQL: the typed value of `column`, read through `prefix` from the stage (its
    typed copy, :func:`stage_ddl`) or from raw (typed itself)."""
    if staged and column.type != "string":
        return f"{prefix}{TYPED_PREFIX}{column.name}"
    return prefix + column.name


def _typed(source: str, prefix: str = "", *, staged: bool = True) -> str:
    fields = ", ".join(
        f"{c.name} := {_value(c, prefix, staged=staged)}" for c in SOURCES[source]
    )
    return f"struct_pack({fields})"


def stage_ddl(source: str) -> str:
    """SQL (re)creating ``_ingest_stage`` for a batch of `source`.

    Each contract column comes as the file's text under its own name (what the
    rules judge, the quarantine keeps), ``_source_file`` and ``_source_row``, then
    each non-text column typed as raw keeps it, ``_typed_<name>``
    (:func:`stage_insert_sql`): typed once, read by the checks and the insert.
    """
    columns = SOURCES[source]
    text = ", ".join(f"{c.name} varchar" for c in columns)
    typed = "".join(
        f", {TYPED_PREFIX}{c.name} {RAW_TYPES[c.type]}"
        for c in columns
        if c.type != "string"
    )
    return (
        f"create or replace temp table {STAGE} "
        f"({text}, _source_file varchar, _source_row bigint{typed})"
    )


def stage_select_sql(source: str, rows: str, native: Collection[str] = ()) -> str:
    """SQL selecting `rows` as the stage holds them (:func:`stage_ddl`): the
    contract columns' text, ``_source_file`` and ``_source_row`` of a select of
    them, each value typed as it is staged.

    A column in `native` comes typed already, as ``_typed_<name>`` of `rows` (its
    text null: :attr:`~opsmart.ingest._readers.FileHeader.native`).
    """
    columns = SOURCES[source]
    typed = "".join(
        f", {TYPED_PREFIX}{c.name}"
        if c.name in native
        else f", {TYPED_SQL[c.type].format(c=c.name)} as {TYPED_PREFIX}{c.name}"
        for c in columns
        if c.type != "string"
    )
    text = ", ".join(c.name for c in columns)
    return f"select {text}, _source_file, _source_row{typed} from ({rows})"


def stage_insert_sql(source: str, rows: str, native: Collection[str] = ()) -> str:
    """SQL staging `rows` into the stage table (:func:`stage_select_sql`)."""
    return f"insert into {STAGE} {stage_select_sql(source, rows, native)}"


def stage_view_sql(selects: Sequence[str]) -> str:
    """SQL making the stage a view of the union of `selects`
    (:func:`stage_select_sql`): the batch's rows are read where they are, each time
    a statement reads the stage, instead of copied into it.

    The stage table must be dropped first; :func:`stage_ddl` makes it again.
    """
    return f"create temp view {STAGE} as " + "\nunion all\n".join(selects)


def rendered(column: Column, value: str | None = None) -> str:
    """SQL: a typed value (`value`, else the column itself) as contract text, a
    timestamp in UTC with ``Z``, as a Parquet value is rendered; for records and
    messages of rows whose text was not kept."""
    value = value or column.name
    if column.type == "timestamp":
        return f"replace(cast(timezone('UTC', {value}) as varchar), ' ', 'T') || 'Z'"
    return f"cast({value} as varchar)"


def _text(column: Column, prefix: str = "") -> str:
    """SQL: a staged value's text, rendered from its typed value where it was
    staged typed, without text (:func:`stage_insert_sql`)."""
    if column.type == "string":
        return prefix + column.name
    typed = rendered(column, f"{prefix}{TYPED_PREFIX}{column.name}")
    return f"coalesce({prefix}{column.name}, {typed})"


def _part(rule: Rule, source: str, native: Collection[str]) -> str:
    """SQL for ``column='value': message`` of a rule (value cut to 80 characters)."""
    text = rule.column
    if text in native:  # its text in the check only says whether it has a value
        column = next(c for c in SOURCES[source] if c.name == text)
        text = rendered(column, TYPED_PREFIX + text)
    value = f"coalesce('''' || left({text}, {_VALUE_CHARS}) || '''', 'null')"
    return f"{literal(rule.column + '=')} || {value} || {literal(': ' + rule.message)}"


def _key_typed(source: str, column: str, prefix: str, *, staged: bool) -> str:
    col = next(c for c in SOURCES[source] if c.name == column)
    return _value(col, prefix, staged=staged)


def has_catalog_columns(source: str) -> bool:
    """Whether rows of `source` see their queue's catalog entry (``_catalog_*``)."""
    return source != "queues" and any(c.name == "queue_id" for c in SOURCES[source])


def check_sql(
    source: str,
    rules: tuple[Rule, ...],
    typed_text: Collection[str] = (),
    native: Collection[str] = (),
) -> str:
    """SQL (re)creating ``_ingest_checked``: the staged rows that break a rule.

    The batch (``_ingest_stage``, :func:`stage_ddl`) has the contract columns as
    text and typed, ``_source_file`` and ``_source_row``; the rules see the typed
    values as ``v.<column>`` (:func:`_typed_fields`), and ``_lower_<column>`` where
    one reads it (once per row, not once per rule). Rows of a source with a
    ``queue_id`` also see their queue in the catalog (``_ingest_queues``, which
    must exist, empty without a catalog) as ``_catalog_queue_id``,
    ``_catalog_channel`` and ``_catalog_timezone``. The result has
    ``_source_file``, ``_source_row`` and, of the first rule broken, ``_code`` and
    ``_column``; ``_reason`` joins the messages of every rule broken. One pass over
    the batch: a row is kept when any rule fires, and only the kept rows (usually
    none) get a flag per rule, a code and a reason.

    `typed_text` names the columns whose text every staged row has from the load's
    own rendering of a typed value (``FileHeader.typed_text``): their rules check
    only what such text can break (:attr:`Rule.when_typed`), and the rules that
    cannot fire are left out. On a year of Parquet, the regular expressions for
    the formats were most of the check (issue 19). `native` names the columns
    staged typed, without text (a subset of `typed_text`): the rules see their
    text as ``''`` where they have a value, null where not, which is all a rule's
    typed form reads of it.
    """
    rules = tuple(r for r in rules if r.predicate(typed_text) != "false")
    predicates = [_typed_fields(source, r.predicate(typed_text)) for r in rules]
    flags = ",\n        ".join(
        f"coalesce({predicate}, false) as _f{i}"
        for i, predicate in enumerate(predicates)
    )
    code = " ".join(f"when _f{i} then {literal(r.code)}" for i, r in enumerate(rules))
    column = " ".join(
        f"when _f{i} then {literal(r.column)}" for i, r in enumerate(rules)
    )
    parts = ",\n        ".join(
        f"case when _f{i} then {_part(r, source, native)} end"
        for i, r in enumerate(rules)
    )
    # A null predicate does not fire, as a where clause reads it.
    broken = "\n        or ".join(f"({predicate})" for predicate in predicates)
    present = ", ".join(
        f"case when s.{TYPED_PREFIX}{name} is not null then '' end as {name}"
        for name in native
    )
    columns = f"s.* replace ({present})" if present else "s.*"
    lowered = "".join(
        f", lower(s.{c.name}) as {LOWER_PREFIX}{c.name}"
        for c in SOURCES[source]
        if re.search(rf"\b{LOWER_PREFIX}{c.name}\b", " ".join(predicates))
    )
    rows = f"select {columns}{lowered}"
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
    where {broken}
)"""


_TYPED_FIELD = re.compile(r"\bv\.(\w+)")


def _typed_fields(source: str, predicate: str) -> str:
    """`predicate` with each typed value ``v.<column>`` read from the stage's typed
    column (``_typed_<column>``; a text column's own), not from a struct ``v``.

    The rules are written against the struct (:mod:`opsmart.ingest.rules`); packing
    every row's values into it and reading them back out was a tenth of the check
    on a year of contacts (issue 19). A ``v.<name>`` of no contract column of
    `source` raises KeyError.
    """
    columns = {c.name: c for c in SOURCES[source]}
    return _TYPED_FIELD.sub(
        lambda field: _value(columns[field.group(1)], "", staged=True), predicate
    )


def _key_aliases(key: tuple[str, ...]) -> list[str]:
    """The aliases ``_k0, _k1, ...`` the duplicate check gives the key columns."""
    return [f"_k{i}" for i in range(len(key))]


def _typed_keys(
    source: str, key: tuple[str, ...], prefix: str, *, staged: bool = True
) -> list[tuple[str, str]]:
    """Each key column typed (read through `prefix`), with its alias."""
    return [
        (_key_typed(source, column, prefix, staged=staged), alias)
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

    A row can repeat a kept key only if its key comes twice in the batch
    (``_ingest_repeated``) or is in raw (``_ingest_seen``); numbering only the rows
    of those keys (every row of such a key) keeps the window and the joins after it
    to a few rows instead of the whole batch (issue 19).
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
        select {keys} from {REPEATED}
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
    typed = _typed_keys(source, key, "r.", staged=False)
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
    columns = {c.name: c for c in SOURCES[source]}
    key_text = " || '+' || ".join(
        f"coalesce({_text(columns[name], 's.')}, '')" for name in key
    )
    return f"""compared as (
    select d._source_file, d._source_row, d._kept_file, d._kept_row,
        {key_text} as _key_text,
        {_typed(source, "s.")} as v,
        case when d._in_raw then {_typed(source, "kr.", staged=False)}
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


@dataclass(frozen=True)
class DuplicateCheck:
    """The statements of the duplicate check of one event source (issue 19).

    Each batch's keys are looked up in ``raw.<source>`` itself, no copy of its keys
    kept, and only against the raw rows within the batch's range of each key
    column (:meth:`raw_near_batch`; none at all, usually, where keys follow the
    files: :meth:`raw_near_exists`). `find_seen` fills ``_ingest_seen`` with the
    batch keys found in raw, `find_repeated` ``_ingest_repeated`` with those the
    batch has twice; `insert` names each duplicate and its kept row (in raw, read
    again only for the keys seen there, else in the batch).
    """

    source: str
    key: tuple[str, ...]

    def batch_bounds(self) -> str:
        """SQL: the least and greatest value of each key column, over the batch's
        rows that broke no rule, as text."""
        bounds = ", ".join(
            f"cast({edge}({_key_typed(self.source, c, 's.', staged=True)}) as varchar)"
            for c in self.key
            for edge in ("min", "max")
        )
        return (
            f"select {bounds} from {STAGE} as s anti join {CHECKED} as q "
            "on q._source_file = s._source_file and q._source_row = s._source_row"
        )

    def raw_near_batch(self, bounds: tuple[str | None, ...]) -> str:
        """SQL pre-filter on ``raw.<source> as r``: true for the raw rows whose key
        columns each lie within the batch's range of them, given `bounds` (the row
        of :meth:`batch_bounds`). Exact: an equal key lies within every range.
        Raw is loaded in file order, so where a key follows the files (a dated
        interval, an id that grows), the row groups' min/max indexes skip the rest
        of the history (issue 19).
        """
        kinds = {c.name: RAW_TYPES[c.type] for c in SOURCES[self.source]}
        parts = []
        for i, column in enumerate(self.key):
            low, high = bounds[2 * i], bounds[2 * i + 1]
            if low is None or high is None:
                return "false"  # no batch row has this column: no key to match
            kind = kinds[column]
            parts.append(
                f"r.{column} between cast({literal(low)} as {kind}) "
                f"and cast({literal(high)} as {kind})"
            )
        return " and ".join(parts)

    def raw_near_exists(self, bounds: tuple[str | None, ...]) -> str:
        """SQL: whether raw has any row within the batch's key range (usually not,
        where keys follow the files: then no batch key can be in raw, and
        :meth:`find_seen` need not hash the batch's keys to say so)."""
        near = self.raw_near_batch(bounds)
        return f"select exists (select 1 from raw.{self.source} as r where {near})"

    def find_seen(self, bounds: tuple[str | None, ...], *, near: bool = True) -> str:
        """SQL filling ``_ingest_seen``: the batch's keys already in raw (none when
        not `near`, :meth:`raw_near_exists`)."""
        aliases = _key_aliases(self.key)
        typed = _typed_keys(self.source, self.key, "r.", staged=False)
        raw_keys = ", ".join(f"{t} as {k}" for t, k in typed)
        same = " and ".join(f"k.{k} = b.{k}" for k in aliases)
        batch = f"({_loaded_keys_select(self.source, self.key)}) as b"
        if not near:
            return f"create or replace temp table {SEEN} as from {batch} limit 0"
        return (
            f"create or replace temp table {SEEN} as select distinct b.* "
            f"from {batch} semi join (select {raw_keys} from raw.{self.source} as r "
            f"where {self.raw_near_batch(bounds)}) as k on {same}"
        )

    def find_repeated(self) -> str:
        """SQL filling ``_ingest_repeated``: the keys more than once in the batch."""
        keys = ", ".join(_key_aliases(self.key))
        return (
            f"create or replace temp table {REPEATED} as "
            f"with {_valid_cte(self.source, self.key)} "
            f"select {keys} from valid group by all having count(*) > 1"
        )

    def insert(self, *, any_prior: bool, bounds: tuple[str | None, ...]) -> str:
        """SQL adding the batch's duplicates to ``_ingest_checked``."""
        source, key = self.source, self.key
        ctes = (
            _valid_cte(source, key),
            _ranked_cte(key),
            _prior_cte(
                source, key, any_prior=any_prior, near=self.raw_near_batch(bounds)
            ),
            _dups_cte(key),
            _compared_cte(source, key),
        )
        with_ctes = ",\n".join(ctes)
        select = _duplicate_rows_select(source, key)
        return f"insert into {CHECKED}\nwith {with_ctes}\n{select}"


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
    names = ", ".join(_value(c, "s.", staged=True) for c in SOURCES[source])
    return (
        f"insert into raw.{source} select {names}, s._source_file, s._source_row, "
        f"{literal(load_id)} from {STAGE} as s anti join {CHECKED} as q "
        "on q._source_file = s._source_file and q._source_row = s._source_row"
    )


def quarantine_insert_sql(source: str, load_id: str) -> str:
    """Insert the staged rows in ``_ingest_checked`` into ``audit.quarantine``."""
    record = ", ".join(f"{literal(c.name)}, {_text(c, 's.')}" for c in SOURCES[source])
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
