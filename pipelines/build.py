"""Build staging → core → marts from queries/, with every relation documented.

Each relation is rebuilt whole (`CREATE OR REPLACE TABLE … AS`) inside one transaction per
relation, so a failing query stops the build with the relation named, and the caller (the load)
discards the file being built: the live warehouse is never half-built.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from pipelines.sqlfiles import SqlFile, discover

BUILD_LAYERS: tuple[str, ...] = ("staging", "core", "context", "marts")


class BuildError(RuntimeError):
    """A relation failed to build; the message names the file."""


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(rel: SqlFile, existing: set[str]) -> list[str]:
    """COMMENT ON statements for a built relation: its description and each documented column."""
    stmts = [f"COMMENT ON TABLE {rel.qualified} IS {quote_literal(rel.description)}"]
    for col, text in rel.columns.items():
        if col in existing:
            stmts.append(f"COMMENT ON COLUMN {rel.qualified}.{col} IS {quote_literal(text)}")
    return stmts


def build(
    con: duckdb.DuckDBPyConnection,
    queries_dir: Path,
    *,
    as_of_month: date,
    layers: tuple[str, ...] = BUILD_LAYERS,
    progress: Callable[[str], None] | None = None,
) -> list[str]:
    """Run every relation of `layers` in dependency order; return the relations built."""
    con.execute("SET VARIABLE as_of_month = ?::DATE", [as_of_month])
    built: list[str] = []
    for layer in layers:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {layer}")
    for rel in discover(queries_dir, layers):
        if progress:
            progress(rel.qualified)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"CREATE OR REPLACE TABLE {rel.qualified} AS\n{rel.sql}")
            cols = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() "
                    "WHERE schema_name = ? AND table_name = ?",
                    [rel.layer, rel.name],
                ).fetchall()
            }
            undocumented = sorted(cols - set(rel.columns))
            if undocumented:
                raise BuildError(
                    f"{rel.path.name}: columns without a '-- column: description' line: "
                    + ", ".join(undocumented)
                )
            for stmt in comment_statements(rel, cols):
                con.execute(stmt)
            con.execute("COMMIT")
        except BuildError:
            con.execute("ROLLBACK")
            raise
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise BuildError(f"{rel.path.relative_to(queries_dir.parent)}: {exc}") from exc
        built.append(rel.qualified)
    return built
