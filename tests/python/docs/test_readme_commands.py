"""README's commands work as written (issue 22): they cannot drift from the code.

The fenced blocks of README's "The command line" and "For analysts: reading the
warehouse" sections are read from README.md itself. The synopsis (the first block of
"The command line") is checked against the `opsmart` parser: every command and option
it shows exists, and every command exists in it. Every other command is run verbatim
with bash in a folder laid out like a clone after `make demo`: `build/demo` is the
session's small built center and `.venv` the environment running the tests. What the
analyst commands print is checked against the marts: `opsmart sql` against the same
query on the warehouse, `opsmart metrics` against fct_queue_days, the Python snippet's
shown query against the warehouse, the Parquet query against the marts it exports.

A command this test has no check for fails it: add a check (or, for a command that
cannot run here, an entry in SKIPPED with the reason) when README gains one.
"""

from __future__ import annotations

import argparse
import ast
import csv
import io
import math
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from opsmart.cli import _parser
from opsmart.nightly.dbt_runner import project_dir
from opsmart.report.sections import SECTIONS as REPORT_SECTIONS
from shared_helpers import run_captured, unchanged

README = project_dir() / "README.md"
COMMAND_LINE = "The command line"
ANALYSTS = "For analysts: reading the warehouse"
#: Commands of those sections that cannot run in a test, and why.
SKIPPED: dict[str, str] = {}


@dataclass(frozen=True)
class Block:
    """One fenced block of README: its section, language tag and text."""

    section: str
    language: str
    text: str


def _blocks() -> list[Block]:
    blocks: list[Block] = []
    section = ""
    fence: tuple[str, list[str]] | None = None
    for line in README.read_text(encoding="utf-8").splitlines():
        if fence is None and line.startswith("## "):
            section = line[3:].strip()
        elif fence is None and line.startswith("```"):
            fence = (line[3:].strip(), [])
        elif fence is not None and line.startswith("```"):
            blocks.append(Block(section, fence[0], "\n".join(fence[1])))
            fence = None
        elif fence is not None:
            fence[1].append(line)
    return [block for block in blocks if block.section in (COMMAND_LINE, ANALYSTS)]


def _commands(text: str) -> list[str]:
    """Shell commands of a block: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", "", text)
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            commands.append(shlex.join(words))
    return commands


BLOCKS = _blocks()
SYNOPSIS = next(block for block in BLOCKS if block.section == COMMAND_LINE)
BASH = [
    command
    for block in BLOCKS
    if block.language == "bash" and block is not SYNOPSIS
    for command in _commands(block.text)
]
PYTHON = [block.text for block in BLOCKS if block.language == "python"]
SQL = [block.text for block in BLOCKS if block.language == "sql"]


def test_readme_shows_the_analyst_paths() -> None:
    """The sections hold what analysts need: SQL, MetricFlow, Python, Parquet."""
    assert any(" sql " in command for command in BASH), BASH
    assert any(" metrics query " in command for command in BASH), BASH
    assert PYTHON and SQL
    assert "footer" not in "\n".join(block.text for block in BLOCKS)


def _subcommands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every leaf command of `parser` with its words (("spark", "build"), parser)."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not actions:
        yield prefix, parser
    for action in actions:
        for name, child in action.choices.items():
            yield from _subcommands(child, (*prefix, name))


def test_the_synopsis_matches_the_parser() -> None:
    """Each `opsmart ...` line names a command that exists with options it takes,
    and each command of the parser has a line."""
    commands = dict(_subcommands(_parser()))
    shown: set[tuple[str, ...]] = set()
    lines: list[str] = []
    for text in SYNOPSIS.text.replace("\\\n", "\n").splitlines():
        text = text.split("  #", 1)[0].rstrip()
        if text[:1].isspace() and lines:  # an indented line goes on the command
            lines[-1] += " " + text.strip()
        else:
            lines.append(text.strip())
    for line in lines:
        if not line.startswith("opsmart "):
            assert not line, f"a synopsis line that is not an opsmart command: {line}"
            continue
        words = line.split()[1:]
        name = next((key for key in commands if tuple(words[: len(key)]) == key), None)
        assert name is not None, f"no such command: {line}"
        shown.add(name)
        options = {
            option
            for action in commands[name]._actions
            for option in action.option_strings
        }
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", line):
            assert option in options, f"{' '.join(name)} has no {option}: {line}"
    assert shown == set(commands), f"not in README's synopsis: {set(commands) - shown}"


def test_readme_names_the_report_section_of_the_definitions() -> None:
    """README points at the report's section of the definitions in force by its
    number, which moves when a section is added before it."""
    titles = [section.title for section in REPORT_SECTIONS]
    number = titles.index("Definitions in force") + 1
    readme = README.read_text(encoding="utf-8")
    assert f'section {number}, "Definitions in force"' in readme


# --- running the commands on a small built center --------------------------------


@dataclass(frozen=True)
class Clone:
    """A folder laid out like a clone after `make demo`."""

    root: Path
    warehouse: Path
    env: dict[str, str]

    def run(self, command: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_captured(
            ["bash", "-c", command], cwd=self.root, env=self.env, input=stdin
        )

    def rows(self, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            cursor = connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return names, cursor.fetchall()


@pytest.fixture(scope="module")
def clone(
    small_center: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Clone]:
    root = tmp_path_factory.mktemp("clone")
    (root / "build").mkdir()
    (root / "build" / "demo").symlink_to(small_center, target_is_directory=True)
    venv = Path(sys.prefix)
    if not (venv / "bin" / "opsmart").exists():
        pytest.fail(f"{venv}/bin/opsmart is missing: run the tests from make's .venv")
    (root / ".venv").symlink_to(venv, target_is_directory=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DBT_", "OPSMART_"))
    }
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    warehouse = small_center / "opsmart.duckdb"
    with unchanged(warehouse, "a README command changed the warehouse"):
        yield Clone(root, warehouse, env)


def _cell(value: object) -> str:
    """A value as DuckDB prints it in a table."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_cell(value: object) -> str:
    return "" if value is None else _cell(value)


def _assert_table_shows(clone: Clone, sql: str, output: str) -> None:
    """Every value of the query's result, run on the warehouse, is in the table."""
    names, rows = clone.rows(sql)
    assert rows, f"the query finds nothing to check: {sql}"
    for name in names:
        assert name in output, name
    for row in rows:
        line = next(
            (
                text
                for text in output.splitlines()
                if all(_cell(value) in text for value in row)
            ),
            None,
        )
        assert line is not None, f"row {row} not shown in:\n{output}"


def _check_sql(clone: Clone, command: str, output: str) -> None:
    words = shlex.split(command)
    query = words[-1]
    if "--csv" in words:
        names, rows = clone.rows(query)
        assert rows, f"the query finds nothing to check: {query}"
        got = list(csv.reader(io.StringIO(output)))
        assert got == [names, *[[_csv_cell(v) for v in row] for row in rows]]
    else:
        _assert_table_shows(clone, query, output)


#: What each README metrics query must equal, computed from the marts: keyed by
#: (metrics, group-by) as the command gives them; key_* columns in group-by order.
EXPECTED_METRICS = {
    ("service_level_rate", "queue,metric_time__day"): """
        select queue_id as key_queue, interval_date as key_day, service_level_rate
        from marts.fct_queue_days
    """,
    ("sl_target_met_day_rate,asa_seconds", "queue"): """
        select
            queue_id as key_queue,
            avg(is_sl_target_met::int) as sl_target_met_day_rate,
            sum(asa_seconds * contacts_answered) / nullif(sum(contacts_answered), 0)
                as asa_seconds
        from marts.fct_queue_days
        group by 1
    """,
}


def _mf_table(output: str) -> list[dict[str, str]]:
    """mf's printed table (tabulate's plain format) as rows of text."""
    lines = output.splitlines()
    rule = next(i for i, line in enumerate(lines) if re.fullmatch(r"-+( +-+)*", line))
    spans = [match.span() for match in re.finditer(r"-+", lines[rule])]
    names = [lines[rule - 1][start:end].strip() for start, end in spans]
    # Cells may be wider than the rule on the left (right-aligned numbers).
    bounds = [0, *[end for _, end in spans[:-1]], None]
    return [
        {name: line[bounds[i] : bounds[i + 1]].strip() for i, name in enumerate(names)}
        for line in lines[rule + 1 :]
        if line.strip()
    ]


def _check_metrics(clone: Clone, command: str, output: str) -> None:
    words = shlex.split(command)
    metrics = words[words.index("--metrics") + 1]
    group_by = words[words.index("--group-by") + 1]
    sql = EXPECTED_METRICS.get((metrics, group_by))
    assert sql is not None, f"add the marts' numbers for {metrics} by {group_by}"
    names, rows = clone.rows(sql)
    keys = [name for name in names if name.startswith("key_")]
    expected = {
        tuple(str(value) for value in row[: len(keys)]): row[len(keys) :]
        for row in rows
    }
    table = _mf_table(output)
    got = {
        tuple(row[name].removesuffix("T00:00:00") for name in group_by.split(",")): [
            row[name] for name in metrics.split(",")
        ]
        for row in table
    }
    assert got.keys() == expected.keys()
    checked = 0
    for key, values in expected.items():
        for mine, theirs in zip(got[key], values, strict=True):
            if theirs is None:
                assert mine == "", key
                continue
            # mf prints 6 significant digits
            assert math.isclose(float(mine), float(theirs), rel_tol=1e-5), (key, mine)
            checked += 1
    assert checked >= len(expected) / 2


@pytest.mark.pipeline
@pytest.mark.parametrize("command", BASH)
def test_bash_commands_run_as_written(clone: Clone, command: str) -> None:
    if command in SKIPPED:
        pytest.skip(SKIPPED[command])
    done = clone.run(command)
    assert done.returncode == 0, done.stdout + done.stderr
    words = shlex.split(command)
    if words[:2] == [".venv/bin/opsmart", "sql"]:
        _check_sql(clone, command, done.stdout)
    elif words[:3] == [".venv/bin/opsmart", "metrics", "query"]:
        _check_metrics(clone, command, done.stdout)
    elif words[-1] == "--help":
        assert done.stdout.startswith("usage: opsmart"), done.stdout
        assert "sql" in done.stdout and "metrics" in done.stdout
    else:
        pytest.fail(f"no check for this README command: {command}")


def _shown_queries(code: str) -> list[str]:
    """The SQL of every `<connection>.sql("...").show()` in `code`."""
    queries = []
    for node in ast.walk(ast.parse(code)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "show"
            and isinstance(node.func.value, ast.Call)
            and isinstance(node.func.value.func, ast.Attribute)
            and node.func.value.func.attr == "sql"
        ):
            argument = node.func.value.args[0]
            assert isinstance(argument, ast.Constant) and isinstance(
                argument.value, str
            )
            queries.append(argument.value)
    return queries


@pytest.mark.pipeline
@pytest.mark.parametrize("code", PYTHON)
def test_python_snippets_run_as_written(clone: Clone, code: str) -> None:
    done = clone.run(".venv/bin/python -", stdin=code)
    assert done.returncode == 0, done.stdout + done.stderr
    queries = _shown_queries(code)
    assert queries, "the snippet shows no query to check"
    for query in queries:
        _assert_table_shows(clone, query, done.stdout)


@pytest.mark.pipeline
@pytest.mark.parametrize("sql", SQL)
def test_parquet_queries_run_as_written(clone: Clone, sql: str) -> None:
    """The query, given to `opsmart sql` as README says it can be, equals the same
    query over the marts the Parquet files export."""
    done = clone.run(".venv/bin/opsmart sql --csv", stdin=sql)
    assert done.returncode == 0, done.stdout + done.stderr
    exported = re.findall(r"'build/demo/parquet/current/(\w+)/(\w+)\.parquet'", sql)
    assert exported, "the query reads no Parquet export"
    over_marts = re.sub(
        r"'build/demo/parquet/current/(\w+)/(\w+)\.parquet'", r"\1.\2", sql
    )
    names, rows = clone.rows(over_marts)
    assert rows
    got = list(csv.reader(io.StringIO(done.stdout)))
    assert got == [names, *[[_csv_cell(v) for v in row] for row in rows]]
