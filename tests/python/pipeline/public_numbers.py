"""Non-finite values (+-inf, NaN) in the public outputs of a built warehouse.

Public means what analysts and BI tools read: the `marts` and `reports` schemas and
the Parquet export of them beside the warehouse (`parquet/current/`). A BI tool's
avg() over a column with one +inf returns inf, so every floating column must hold a
finite number or null.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PUBLIC_SCHEMAS = ("marts", "reports")
FLOATING = ("DOUBLE", "FLOAT", "REAL")


def _counts(
    connection: duckdb.DuckDBPyConnection, relation: str, columns: list[str]
) -> dict[str, int]:
    if not columns:
        return {}
    checks = ", ".join(
        f'count(*) filter (where isinf("{c}") or isnan("{c}"))' for c in columns
    )
    row = connection.execute(f"select {checks} from {relation}").fetchone()
    assert row is not None
    return dict(zip(columns, row, strict=True))


def non_finite_values(warehouse: Path) -> tuple[int, dict[str, int]]:
    """(floating columns scanned, {"schema.table.column": rows non-finite > 0})
    over the warehouse's public tables and their Parquet export."""
    found: dict[str, int] = {}
    scanned = 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = connection.execute(
            """
            select table_schema, table_name, list(column_name order by column_name)
                filter (where data_type in ('DOUBLE', 'FLOAT', 'REAL'))
            from information_schema.columns
            where table_schema in ('marts', 'reports')
            group by 1, 2
            """
        ).fetchall()
        assert {schema for schema, _, _ in tables} == set(PUBLIC_SCHEMAS)
        for schema, table, columns in tables:
            columns = columns or []
            scanned += len(columns)
            for column, count in _counts(
                connection, f"{schema}.{table}", columns
            ).items():
                if count:
                    found[f"{schema}.{table}.{column}"] = count
        export = warehouse.parent / "parquet" / "current"
        files = sorted(export.rglob("*.parquet"))  # the big marts: one per month
        assert files, f"no Parquet export in {export}"
        for path in files:
            relation = f"read_parquet('{path}')"
            described = connection.execute(f"describe select * from {relation}")
            columns = [
                name for name, kind, *_ in described.fetchall() if kind in FLOATING
            ]
            scanned += len(columns)
            for column, count in _counts(connection, relation, columns).items():
                if count:
                    name = path.relative_to(export).with_suffix("").as_posix()
                    found[f"parquet/{name}.{column}"] = count
    return scanned, found
