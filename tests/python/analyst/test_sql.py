"""`opsmart sql`: results as a table or CSV, read-only always, one-line errors."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from opsmart.analyst import WarehouseError, open_warehouse, run_script, shell
from opsmart.cli import EXIT_BAD_INPUT, EXIT_OK, main
from shared_helpers import unchanged


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A tiny warehouse: marts.fct_queue_days with two queues, one null rate."""
    path = tmp_path / "opsmart.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            """
            create schema marts;
            create table marts.fct_queue_days as
            select * from (values
                ('q_a', date '2026-01-05', 0.75, 10),
                ('q_b', date '2026-01-05', null, 0)
            ) as days(queue_id, interval_date, service_level_rate, contacts_offered)
            """
        )
    return path


@pytest.fixture
def connection(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    opened = open_warehouse(warehouse)
    yield opened
    opened.close()


def test_a_result_prints_as_a_table(connection: duckdb.DuckDBPyConnection) -> None:
    out = io.StringIO()
    run_script(connection, "from marts.fct_queue_days order by queue_id", out)
    table = out.getvalue()
    assert "service_level_rate" in table and "q_a" in table and "0.75" in table
    assert "NULL" in table  # null is shown, never 0
    assert table.index("q_a") < table.index("q_b")


def test_csv_has_every_statements_result_with_null_as_empty(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    out = io.StringIO()
    sql = """
        set threads = 1;  -- no result, prints nothing
        select queue_id, service_level_rate, service_level_rate > 0.5 as is_met
        from marts.fct_queue_days order by 1;
        select count(*) as days from marts.fct_queue_days
    """
    run_script(connection, sql, out, csv_output=True)
    assert out.getvalue() == (
        "queue_id,service_level_rate,is_met\nq_a,0.75,true\nq_b,,\ndays\n2\n"
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select * from marts.nope", "Catalog Error"),
        ("selec 1", "syntax error"),
        ("create table marts.x as select 1", "read-only"),
        ("delete from marts.fct_queue_days", "read-only"),
    ],
)
def test_a_rejected_statement_is_one_line_and_changes_nothing(
    warehouse: Path, sql: str, message: str
) -> None:
    with (
        unchanged(warehouse),
        open_warehouse(warehouse) as connection,
        pytest.raises(WarehouseError) as raised,
    ):
        run_script(connection, sql, io.StringIO())
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_missing_warehouse_names_the_file_and_make_demo(tmp_path: Path) -> None:
    missing = tmp_path / "build" / "opsmart.duckdb"
    with pytest.raises(WarehouseError) as raised:
        open_warehouse(missing)
    assert str(missing) in str(raised.value)
    assert "make demo" in str(raised.value)
    assert not missing.exists()  # never created by opening it


def test_shell_runs_each_statement_when_it_ends(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    """A statement over two lines, a failing one that does not end the loop, and a
    last one without `;` at EOF."""
    lines = iter(
        [
            "select count(*) as days",
            "from marts.fct_queue_days;",
            "select * from nope;",
            "select 41 + 1 as answer",
        ]
    )
    prompts: list[str] = []

    def read_line(prompt: str) -> str:
        prompts.append(prompt)
        try:
            return next(lines)
        except StopIteration:
            raise EOFError from None

    out, err = io.StringIO(), io.StringIO()
    shell(connection, read_line, out, err, csv_output=True)
    assert out.getvalue() == "days\n2\nanswer\n42\n\n"
    assert err.getvalue().startswith("error: Catalog Error")
    assert prompts[:2] == ["opsmart> ", "    ...> "]


def test_cli_query_exit_codes(
    warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["sql", "--warehouse", str(warehouse)]
    assert (
        main(
            [
                *base,
                "--csv",
                "select sum(contacts_offered) as n from marts.fct_queue_days",
            ]
        )
        == EXIT_OK
    )
    assert capsys.readouterr().out == "n\n10\n"
    assert main([*base, "select * from nope"]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("opsmart: error: Catalog Error") and err.count("\n") == 1
    assert (
        main(["sql", "--warehouse", str(warehouse.with_name("x.duckdb")), "select 1"])
        == EXIT_BAD_INPUT
    )
    assert "make demo" in capsys.readouterr().err


def test_cli_reads_sql_from_stdin(
    warehouse: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("select 1 as one;\nselect 2 as two;"))
    assert main(["sql", "--warehouse", str(warehouse), "--csv"]) == EXIT_OK
    assert capsys.readouterr().out == "one\n1\ntwo\n2\n"


def test_default_warehouse_is_the_demo_one(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPSMART_WAREHOUSE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["sql", "select 1"]) == EXIT_BAD_INPUT
    assert "build/demo/opsmart.duckdb does not exist" in capsys.readouterr().err
