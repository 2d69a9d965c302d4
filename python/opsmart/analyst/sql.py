"""`opsmart sql`: run SQL on a published warehouse, always read-only.

A statement's result is printed as DuckDB's box table (up to `MAX_ROWS` rows, as the
DuckDB CLI shows them) or, with ``csv_output``, as CSV with every row. The
connection is read-only, so a nightly run can swap the file meanwhile (the session
keeps the state it opened) and no statement can change the warehouse.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import duckdb

from opsmart._text import one_line
from opsmart.nightly.connection import connect

__all__ = [
    "MAX_ROWS",
    "WarehouseError",
    "open_warehouse",
    "run_script",
    "shell",
    "terminal_width",
]

#: Rows a box table shows at most (the first and last half); `--csv` prints all.
MAX_ROWS = 40
#: Box width when the output is not a terminal: wide enough to cut no column.
UNCUT_WIDTH = 100_000


class WarehouseError(Exception):
    """The warehouse cannot be opened, or a statement failed: one line to show."""


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    """Open `path` read-only, in UTC, with the run's memory cap.

    Raises
    ------
    WarehouseError
        When the file does not exist or DuckDB cannot open it.
    """
    if not path.is_file():
        raise WarehouseError(
            f"warehouse {path} does not exist: build it with `make demo` (or "
            "`opsmart build`), or pass --warehouse"
        )
    try:
        return connect(path, read_only=True)
    except duckdb.Error as error:
        raise WarehouseError(f"cannot open {path}: {_message(error)}") from None


def run_script(
    connection: duckdb.DuckDBPyConnection,
    sql: str,
    out: TextIO,
    *,
    csv_output: bool = False,
    width: int | None = None,
) -> None:
    """Run every statement of `sql` in order and print each result to `out`.

    Raises
    ------
    WarehouseError
        At the first statement DuckDB rejects, with DuckDB's message.
    """
    try:
        statements = connection.extract_statements(sql)
    except duckdb.Error as error:
        raise WarehouseError(_message(error)) from None
    for statement in statements:
        try:
            if duckdb.ExpectedResultType.NOTHING in statement.expected_result_type:
                connection.execute(statement.query)  # SET, CREATE ...: no table
                continue
            relation = connection.sql(statement.query)
            if relation is None:
                continue
            if csv_output:
                _write_csv(relation, out)
            else:
                out.write(_box(relation, width))
        except duckdb.Error as error:
            raise WarehouseError(_message(error)) from None


def shell(
    connection: duckdb.DuckDBPyConnection,
    read_line: Callable[[str], str],
    out: TextIO,
    err: TextIO,
    *,
    csv_output: bool = False,
) -> None:
    """Read statements until EOF, each ended by `;`; run each when it is complete.

    A failing statement prints DuckDB's message to `err` and the loop goes on.
    `read_line` is `input` at a terminal: it raises EOFError at the end.
    """
    lines: list[str] = []
    while True:
        try:
            line = read_line("opsmart> " if not lines else "    ...> ")
        except EOFError:
            break
        except KeyboardInterrupt:  # Ctrl-C drops the statement being typed
            out.write("\n")
            lines = []
            continue
        lines.append(line)
        if not line.rstrip().endswith(";"):
            continue
        try:
            run_script(connection, "\n".join(lines), out, csv_output=csv_output)
        except WarehouseError as error:
            err.write(f"error: {error}\n")
        lines = []
    if any(line.strip() for line in lines):  # a last statement without `;`
        try:
            run_script(connection, "\n".join(lines), out, csv_output=csv_output)
        except WarehouseError as error:
            err.write(f"error: {error}\n")
    out.write("\n")


def _box(relation: duckdb.DuckDBPyRelation, width: int | None) -> str:
    """DuckDB's box rendering of `relation`, as `show()` prints it."""
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown):
        relation.show(max_width=width or UNCUT_WIDTH, max_rows=MAX_ROWS)
    return shown.getvalue()


def _write_csv(relation: duckdb.DuckDBPyRelation, out: TextIO) -> None:
    """Header and every row; null is the empty field, as DuckDB's COPY writes it."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(relation.columns)
    writer.writerows(_csv_rows(relation.fetchall()))


def _csv_rows(rows: Iterable[tuple[object, ...]]) -> Iterable[list[object]]:
    for row in rows:
        yield [_csv_value(value) for value in row]


def _csv_value(value: object) -> object:
    """Null empty and booleans lower case, as DuckDB writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _message(error: duckdb.Error) -> str:
    """DuckDB's message up to its first blank line (not the caret under the SQL)."""
    text = str(error).split("\n\n", 1)[0]
    return one_line(" ".join(line.strip() for line in text.splitlines()))


def terminal_width() -> int:
    """The terminal's width in characters ($COLUMNS first), for the box table."""
    return shutil.get_terminal_size().columns
