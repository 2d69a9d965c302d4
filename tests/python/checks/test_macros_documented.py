"""Every macro of the project is documented, with the arguments it really takes.

A macro is found by its `{% macro name(arguments) %}` tag in macros/**/*.sql and its
documentation in the folder's `_<folder>__macros.yml`. Engine variants of a project
macro (`default__x`, `spark__x` beside `x`) share `x`'s entry; overrides of dbt's
own macros (`spark__listagg`) have entries of their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]

from opsmart.nightly.dbt_runner import project_dir

MACRO_TAG = re.compile(r"{%-?\s*macro\s+(\w+)\s*\((.*?)\)\s*-?%}", re.S)
ENGINE_PREFIXES = ("default__", "duckdb__", "spark__")


def _defined(root: Path) -> dict[str, list[str]]:
    """Macro name -> its argument names, from every .sql file under `root`."""
    macros: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.sql")):
        for match in MACRO_TAG.finditer(path.read_text(encoding="utf-8")):
            macros[match.group(1)] = _argument_names(match.group(2))
    return macros


def _argument_names(signature: str) -> list[str]:
    """`x, keys=['a', 'b'], y=none` -> [x, keys, y]: commas inside brackets or
    strings do not separate arguments."""
    parts, depth, quote, current = [], 0, "", ""
    for char in signature:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return [part.split("=")[0].strip() for part in parts if part.strip()]


def _documented(root: Path) -> dict[str, dict[str, object]]:
    entries: dict[str, dict[str, object]] = {}
    for path in sorted(root.rglob("*.yml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["macros"]:
            entries[entry["name"]] = entry
    return entries


def _to_document(defined: dict[str, list[str]]) -> dict[str, list[str]]:
    """The macros that need an entry: all but the engine variants of project macros."""
    return {
        name: arguments
        for name, arguments in defined.items()
        if not (name.startswith(ENGINE_PREFIXES) and name.split("__", 1)[1] in defined)
    }


def _problems(root: Path) -> list[str]:
    defined = _to_document(_defined(root))
    documented = _documented(root)
    problems = [f"{name}: not documented" for name in defined if name not in documented]
    problems += [
        f"{name}: documented, not defined" for name in documented if name not in defined
    ]
    for name, entry in documented.items():
        if name not in defined:
            continue
        if not str(entry.get("description", "")).strip():
            problems.append(f"{name}: empty description")
        listed = [argument["name"] for argument in entry.get("arguments", [])]  # type: ignore[union-attr]
        if listed != defined[name]:
            problems.append(
                f"{name}: arguments {listed}, the macro takes {defined[name]}"
            )
    return problems


def test_every_macro_is_documented_with_its_arguments() -> None:
    assert _problems(project_dir() / "macros") == []


@pytest.mark.parametrize(
    ("sql", "yml", "problem"),
    [
        ("{% macro a(x) %}{% endmacro %}", "macros: []", "a: not documented"),
        (
            "{% macro a(x, y=1) -%}{%- endmacro %}",
            "macros: [{name: a, description: d, arguments: [{name: x}]}]",
            "a: arguments ['x'], the macro takes ['x', 'y']",
        ),
        (
            "{% macro a() %}{% endmacro %}",
            "macros: [{name: a, description: ''}]",
            "a: empty description",
        ),
        ("", "macros: [{name: gone, description: d}]", "gone: documented, not defined"),
    ],
)
def test_the_check_finds(tmp_path: Path, sql: str, yml: str, problem: str) -> None:
    (tmp_path / "m.sql").write_text(sql, encoding="utf-8")
    (tmp_path / "_m__macros.yml").write_text(yml, encoding="utf-8")
    assert problem in _problems(tmp_path)


def test_engine_variants_share_their_macros_entry(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text(
        "{% macro a(x) %}{% endmacro %}{% macro default__a(x) %}{% endmacro %}"
        "{% macro spark__a(x) %}{% endmacro %}",
        encoding="utf-8",
    )
    (tmp_path / "_m__macros.yml").write_text(
        "macros: [{name: a, description: d, arguments: [{name: x}]}]", encoding="utf-8"
    )
    assert _problems(tmp_path) == []


def test_defaults_with_commas_are_one_argument() -> None:
    signature = "model, function, keys=['queue_id', 'interval_start_at'], n=f(1, 2)"
    assert _argument_names(signature) == ["model", "function", "keys", "n"]
