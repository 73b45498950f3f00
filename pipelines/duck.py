"""DuckDB helpers every floor uses: quoting, a table from a frame, comments, build aside, swap in.

Why one module: load, build, protection and publishing all write DuckDB files the same way —
the live file is never written in place: a copy is built aside (`building_path`), checkpointed,
closed and put in place with `os.replace` (`swap_in`), so a reader never sees a half-written
file. Keeping these here lets every floor use them without importing a floor that runs later.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

PREVIOUS = "prev"  # the published file being replaced, attached read-only while publishing


class SwapRefused(RuntimeError):
    """A built file still has a write-ahead log (not checkpointed and closed): not put in place."""


def quote_literal(text: str) -> str:
    """A SQL string literal (for statements that take no bound parameter: COMMENT ON, ATTACH)."""
    return "'" + text.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    """A SQL identifier in double quotes (column names come from the marts, not from users)."""
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Statements that stand or fall together. Why explicit: in duckdb 2.0.x a failing
    statement does not undo the earlier ones of a batch, and a COMMIT after an error saves
    nothing without saying so; here any failure, the COMMIT's included, rolls back and raises.
    Call it outside an open transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def frame_to_table(con: duckdb.DuckDBPyConnection, qualified: str, frame: pl.DataFrame) -> None:
    """Create or replace table ``qualified`` (``schema.name``) with the rows of ``frame``."""
    con.register("frame_in", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {qualified} AS SELECT * FROM frame_in")
    finally:
        con.unregister("frame_in")


def copy_comments(
    dst: duckdb.DuckDBPyConnection, schema: str, table: str, source: str = "wh"
) -> None:
    """Carry a table's and its columns' COMMENT ON text from the attached database `source`
    (the warehouse, or the previous published file) into the current database."""
    rows = dst.execute(
        "SELECT comment FROM duckdb_tables() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        [source, schema, table],
    ).fetchall()
    if rows and rows[0][0]:
        dst.execute(f"COMMENT ON TABLE {schema}.{table} IS {quote_literal(rows[0][0])}")
    existing = {
        r[0]
        for r in dst.execute(
            "SELECT column_name FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = ? AND table_name = ?",
            [schema, table],
        ).fetchall()
    }
    for col, comment in dst.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = ? "
        "AND schema_name = ? AND table_name = ? AND comment IS NOT NULL",
        [source, schema, table],
    ).fetchall():
        if col in existing:
            target = f"{schema}.{table}.{quote_ident(col)}"
            dst.execute(f"COMMENT ON COLUMN {target} IS {quote_literal(comment)}")


def building_path(final: Path) -> Path:
    """Where the next version of ``final`` is built aside (hidden, per process)."""
    return final.with_name(f".{final.stem}.{os.getpid()}.building.duckdb")


def swap_in(built: Path, final: Path) -> None:
    """Replace `final` by `built` atomically; the built file must be closed and checkpointed."""
    wal = built.with_name(built.name + ".wal")
    if wal.exists():
        raise SwapRefused(f"{built} still has a write-ahead log; refusing to publish it")
    os.replace(built, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
