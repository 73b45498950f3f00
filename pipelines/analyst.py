"""Read-only analyst access: named queries from queries/analyst/ and single SQL statements.

Two locks, so that one slip is not enough to write or reach a file: the connection is opened
read-only with external access disabled and the configuration locked, and only a single SELECT
statement is accepted at all.

Two bounds, so that one statement cannot hold the machine: a time limit (a timer thread calls
the connection's `interrupt()`; OBSERVATORY_SQL_TIMEOUT_SECONDS, 60 s by default) and, for the
table shown in a terminal, a row limit (only the first rows are fetched at all).
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import polars as pl

from pipelines.catalogue import AnalystQuery, CatalogueError, analyst_queries

DEFAULT_TIMEOUT = 60.0  # seconds a statement may run (OBSERVATORY_SQL_TIMEOUT_SECONDS)
DEFAULT_MAX_ROWS = 1000  # rows of a table printed in the terminal (OBSERVATORY_SQL_MAX_ROWS)


class QueryError(RuntimeError):
    """A query was refused or failed; the message says why in one line."""


def list_queries(folder: Path | None = None) -> list[AnalystQuery]:
    """The named queries of queries/analyst/ (headers parsed by the catalogue module)."""
    try:
        found = analyst_queries(folder) if folder else analyst_queries()
    except CatalogueError as exc:
        raise QueryError(str(exc)) from exc
    return list(found.values())


def connect_read_only(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise QueryError(f"no database at {db}: run `observatory load` (or `observatory demo`)")
    try:
        return duckdb.connect(
            str(db),
            read_only=True,
            config={"enable_external_access": False, "lock_configuration": True},
        )
    except duckdb.Error as exc:
        raise QueryError(f"cannot open {db} read-only: {exc}") from exc


def check_read_only(sql: str) -> None:
    """Accept exactly one SELECT statement (WITH, DESCRIBE, SHOW and SUMMARIZE are SELECTs)."""
    probe = duckdb.connect()
    try:
        statements = probe.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"cannot parse the statement: {exc}") from exc
    finally:
        probe.close()
    if len(statements) != 1:
        raise QueryError(f"one statement at a time, got {len(statements)}")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryError(
            f"refused: {kind.name} statements are not allowed; access is read-only "
            "(SELECT only: no writes, ATTACH, COPY, PRAGMA or SET)"
        )


def run_sql(
    db: Path,
    sql: str,
    params: dict[str, object] | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = None,
) -> pl.DataFrame:
    """The statement's rows (the first `max_rows` + 1 at most, so a caller can tell there were
    more); stopped with QueryError after `timeout` seconds."""
    check_read_only(sql)
    con = connect_read_only(db)
    timer = threading.Timer(timeout, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        rel = con.sql(sql, params=params or {})
        if max_rows is not None:
            rel = rel.limit(max_rows + 1)
        # to_arrow_table, not .pl(): the relation's .pl() does not see interrupt()
        found = pl.from_arrow(rel.to_arrow_table())
        assert isinstance(found, pl.DataFrame)
        return found
    except duckdb.InterruptException as exc:
        raise QueryError(
            f"stopped after {timeout:g} s, the time limit (--timeout or "
            "OBSERVATORY_SQL_TIMEOUT_SECONDS)"
        ) from exc
    except duckdb.PermissionException as exc:
        raise QueryError(f"refused: file access is disabled for analyst queries ({exc})") from exc
    except duckdb.Error as exc:
        raise QueryError(f"query failed: {exc}") from exc
    finally:
        timer.cancel()
        con.close()


def run_named(
    db: Path,
    name: str,
    params: dict[str, str],
    folder: Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int | None = None,
) -> pl.DataFrame:
    queries = {q.name: q for q in list_queries(folder)}
    if name not in queries:
        raise QueryError(f"no query named {name!r}; known: {', '.join(sorted(queries))}")
    q = queries[name]
    try:
        values = q.bind(params)
    except ValueError as exc:
        raise QueryError(f"{name}: {exc}") from exc
    return run_sql(db, q.sql, values, timeout=timeout, max_rows=max_rows)
