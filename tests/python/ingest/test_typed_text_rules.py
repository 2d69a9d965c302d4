"""A column the load renders from a typed Parquet value is checked by the rules' typed
form (``Rule.when_typed``): the same verdict as the text rules, without reading the
text's format; a column staged typed, without text (``FileHeader.native``), gets the
same verdict and value too (issue 19). Values at the edges of what such text can be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ingest_helpers import assert_reconciled

from opsmart.contract import Column
from opsmart.ingest import _loader, _readers, ingest
from opsmart.ingest._readers import _parquet_render, native_sql, renders_typed
from opsmart.ingest._sql import check_sql
from opsmart.ingest.rules import TYPED_SQL, Rule, type_rules

_DAY_MS = 86_400_000
#: Midnight of 1 January 10000, in milliseconds since 1970: a five-digit year.
_YEAR_10000_MS = (dt.date(9999, 12, 31).toordinal() + 1 - 719_163) * _DAY_MS
_TIMESTAMPS_MS = [
    0,
    1_767_225_600_123,  # 2026-01-01T00:00:00.123Z
    _YEAR_10000_MS - 1,  # the last millisecond of 9999
    _YEAR_10000_MS,
    -_YEAR_10000_MS,  # about 6000 BC
    -62_135_596_800_000,  # 0001-01-01
    None,
]

#: (contract type, Arrow array) pairs: each array's values rendered as the load does.
CASES: list[tuple[str, pa.Array]] = [
    ("timestamp", pa.array(_TIMESTAMPS_MS, pa.int64()).cast(pa.timestamp("ms", "UTC"))),
    ("timestamp", pa.array(_TIMESTAMPS_MS, pa.int64()).cast(pa.timestamp("ms"))),
    (
        "timestamp",
        pa.array([x and x // 1000 for x in _TIMESTAMPS_MS], pa.int64()).cast(
            pa.timestamp("s", "Pacific/Kiritimati")
        ),
    ),
    (  # nanoseconds: read through pyarrow, nine decimals
        "timestamp",
        pa.array(
            [x and x * 1_000_000 + 7 for x in _TIMESTAMPS_MS[:2]] + [None], pa.int64()
        ).cast(pa.timestamp("ns", "Asia/Seoul")),
    ),
    (
        "date",
        pa.array([x and x // _DAY_MS for x in _TIMESTAMPS_MS], pa.int32()).cast(
            pa.date32()
        ),
    ),
    ("integer", pa.array([0, -1, 2**53 + 1, 2**63 - 1, -(2**63), None], pa.int64())),
    ("integer", pa.array([0, 2**64 - 1, 2**63, None], pa.uint64())),
    ("integer", pa.array([7, -(2**31), None], pa.int32())),
    (
        "number",
        pa.array([12.5, -0.0, 1e300, 1e-7, float("nan"), float("inf"), None]),
    ),
    ("number", pa.array([1.5, float("-inf"), 3.4e38, None], pa.float32())),
    ("number", pa.array([0, 2**63 - 1, None], pa.int64())),
    ("boolean", pa.array([True, False, None])),
]


def _verdicts(
    connection: duckdb.DuckDBPyConnection,
    column: Column,
    arrow_type: pa.DataType,
    typed_text: frozenset[str],
    *,
    native: bool = False,
) -> list[tuple[object, ...]]:
    """Each rule's verdict on each row of the registered table ``t``, then the
    typed value: of the rendered text, or `native` (staged typed, the text only
    ``''`` where there is a value, as the check gives it)."""
    c = column.name
    rules = type_rules((column,))
    flags = ", ".join(
        "null"
        if r.predicate(typed_text) == "false"  # left out of the check: never
        else f"coalesce({r.predicate(typed_text)}, false)"
        for r in rules
    )
    typed_sql = native_sql(c, column.type, arrow_type) if native else None
    if typed_sql is not None:
        rows_sql = (
            f"select case when {c} is not null then '' end as {c}, "
            f"struct_pack({c} := {typed_sql}) as v from t"
        )
    else:
        text = f"select {_parquet_render(c, arrow_type)} as {c} from t"
        typed = f"struct_pack({c} := {TYPED_SQL[column.type].format(c=c)}) as v"
        rows_sql = f"select *, {typed} from ({text})"
    # The value as text: NaN equals itself, and years beyond Python's compare too.
    value = f"cast(v.{c} as varchar)"
    rows = connection.execute(f"select {flags}, {value} from ({rows_sql})").fetchall()
    return [(*(bool(flag) for flag in row[:-1]), row[-1]) for row in rows]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul"])
@pytest.mark.parametrize(("kind", "values"), CASES, ids=lambda x: str(x)[:30])
def test_typed_form_of_each_rule_gives_the_text_rules_verdict(
    kind: str, values: pa.Array, zone: str
) -> None:
    assert renders_typed(kind, values.type)
    column = Column("x", kind, required=True)
    connection = duckdb.connect()
    connection.execute(f"set TimeZone = '{zone}'")
    connection.register("t", pa.table({"x": values}))
    as_text = _verdicts(connection, column, values.type, frozenset())
    as_typed = _verdicts(connection, column, values.type, frozenset({"x"}))
    assert as_typed == as_text
    # Staged typed: the same verdicts, and the same value wherever the row passes.
    native = _verdicts(connection, column, values.type, frozenset({"x"}), native=True)
    assert [row[:-1] for row in native] == [row[:-1] for row in as_text]
    passed = [i for i, row in enumerate(as_text) if not any(row[:-1])]
    assert [native[i][-1] for i in passed] == [as_text[i][-1] for i in passed]
    # The cases reach both verdicts, or the comparison would prove little.
    if kind != "boolean":
        assert {any(row[:-1]) for row in as_text} == {True, False}


def test_the_typed_form_leaves_out_the_format_rules() -> None:
    rules = type_rules((Column("arrived_at", "timestamp", required=True),))
    checked = check_sql("contacts", rules, typed_text={"arrived_at"})
    assert "regexp" not in checked  # no format, no offset, no blank check
    assert "regexp" in check_sql("contacts", rules)
    assert not renders_typed("timestamp", pa.string())
    assert not renders_typed("integer", pa.float64())


def test_a_parquet_landing_loads_alike_with_or_without_the_typed_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Timestamps beyond the year 9999, doubles that are not finite, a number
    # column of text (not typed: the text rules), nulls.
    rows = len(_TIMESTAMPS_MS)
    arrived = CASES[0][1]
    table = pa.table(
        {
            "contact_id": [f"c{i}" for i in range(rows)],
            "queue_id": ["q_voice_sales"] * rows,
            "channel": ["voice"] * rows,
            "arrived_at": arrived.fill_null(0),
            "ended_at": arrived,
            "outcome": ["abandoned"] * rows,
            "ivr_seconds": ["0", "1e400", "3", None, "1", "2", "4"],
            "wait_seconds": [1.0, 2.0, float("nan"), float("inf"), 0.0, None, 2.0],
            "is_transferred": pa.array([False, None, True, True, False, None, True]),
        }
    )
    path = tmp_path / "contacts" / "a.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path)

    def load() -> list[list[tuple[object, ...]]]:
        connection = duckdb.connect()
        ingest(connection, tmp_path, load_id="r1")
        assert_reconciled(connection)
        return [
            connection.execute(f"select * from {name} order by all").fetchall()
            for name in ("raw.contacts", "audit.quarantine")
        ]

    typed = load()

    def text_rules_only(
        source: str, rules: tuple[Rule, ...], typed_text: object, native: object
    ) -> str:
        return check_sql(source, rules)

    # Every column through text, checked by the text rules.
    monkeypatch.setattr(_loader, "check_sql", text_rules_only)
    monkeypatch.setattr(_readers, "native_sql", lambda *args: None)
    assert load() == typed
    assert {(row[2], row[3], row[4]) for row in typed[1]} >= {
        (2, "invalid_number", "ivr_seconds"),
        (3, "invalid_number", "wait_seconds"),
        (4, "invalid_timestamp", "arrived_at"),
        (5, "invalid_timestamp", "arrived_at"),
    }


def test_required_text_is_missing_exactly_when_blank() -> None:
    """``required_missing`` skips its expression on text that sorts from '!' on:
    the verdicts must be the expression's alone, at the edges of that shortcut
    (control characters, white space first, characters of more than one byte)."""
    texts = [
        *("", " ", "\t", "\n\r\f", "\x0b"),
        *(" x", "x ", "!", " !", "\x00", "\x01a", "\x7f", "\u3000", "é", "\u00a0"),
        None,
    ]
    (rule,) = [
        r
        for r in type_rules((Column("x", "string", True),))
        if r.code == "required_missing"
    ]
    connection = duckdb.connect()
    connection.execute("create table t (n integer, x varchar)")
    connection.executemany("insert into t values (?, ?)", list(enumerate(texts)))
    verdicts = connection.execute(
        f"select coalesce({rule.when}, false), "
        "regexp_full_match(coalesce(x, ''), '\\s*') from t order by n"
    ).fetchall()
    assert [fast for fast, _ in verdicts] == [plain for _, plain in verdicts]
    missing = [text for text, (fast, _) in zip(texts, verdicts, strict=True) if fast]
    assert missing == ["", " ", "\t", "\n\r\f", None]
