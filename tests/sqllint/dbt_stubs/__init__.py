"""The dbt names sqlfluff's jinja templater lacks, so `make lint` renders SQL offline.

sqlfluff's `apply_dbt_builtins` (in `.sqlfluff`) already stands in for ref, source,
is_incremental and this; this module, the templater's `library_path`, adds what the
project's models and macros call besides, rendered as dbt-duckdb renders them for a
full build on the default DuckDB target: the vars of dbt_project.yml, `env_var` unset,
`adapter.dispatch` to the project's own duckdb__ or default__ macro, and the four dbt
cross-database macros the models use. Nothing here runs dbt or opens a database.
"""

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml  # type: ignore[import-untyped]
from jinja2 import pass_context
from jinja2.runtime import Context

_PROJECT = Path(__file__).resolve().parents[3] / "dbt_project.yml"
_VARS: dict[str, Any] = yaml.safe_load(_PROJECT.read_text(encoding="utf-8"))["vars"]

# As while dbt parses: no graph to walk, no queries.
execute = False
graph = SimpleNamespace(nodes={})
target = SimpleNamespace(type="duckdb", name="duckdb", schema="main")


def var(name: str, default: Any = None) -> Any:
    """The var's value in dbt_project.yml, as a build without --vars sees it."""
    return _VARS.get(name, default)


def env_var(name: str, default: str = "") -> str:
    """Unset, as in a full build (no OPSMART_RUN_WINDOW_START)."""
    return default


class _Config:
    """`config(...)` in a model renders nothing; `config.get` gives the default."""

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        return ""

    def get(self, name: str, default: Any = None) -> Any:
        return default


config = _Config()


class _Adapter:
    """`adapter.dispatch(name)`: the project's duckdb__ or default__ macro."""

    @pass_context
    def dispatch(self, context: Context, name: str, namespace: Any = None) -> Any:
        for prefix in ("duckdb__", "default__"):
            if prefix + name in context:
                return context[prefix + name]
        raise KeyError(f"no duckdb__ or default__ macro for {name}")


adapter = _Adapter()


def _raise_compiler_error(message: str) -> None:
    raise RuntimeError(message)


exceptions = SimpleNamespace(raise_compiler_error=_raise_compiler_error)


def _dateadd(part: str, interval: Any, start: Any) -> str:
    return f"({start} + cast({interval} as bigint) * interval 1 {part})"


def _datediff(first: Any, second: Any, part: str) -> str:
    return f"(date_diff('{part}', {first}::timestamp, {second}::timestamp))"


def _position(substring: Any, text: Any) -> str:
    return f"position({substring} in {text})"


def _listagg(
    measure: Any, delimiter: Any, order_by: Any = None, limit: Any = None
) -> str:
    return f"string_agg({measure}, {delimiter} {order_by or ''})"


# dbt's cross-database macros as dbt-duckdb writes them (their week and quarter cases
# and listagg's limit, which the project does not use, left out).
dbt = SimpleNamespace(
    dateadd=_dateadd, datediff=_datediff, position=_position, listagg=_listagg
)
