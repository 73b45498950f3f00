"""Whole published tables for the exports: the list, their columns and their rows, filtered.

Identifiers are checked against the file's own catalogue and `EXPORT_SCHEMAS` (never user
text); values are bound.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboard.data.allowlists import EXPORT_SCHEMAS
from dashboard.data.connection import DataUnavailable, connect, memo, query
from dashboard.data.sql import NotAllowed, ident, where_clauses


def published_tables(path: Path) -> pd.DataFrame:
    """schema_name, table_name, comment of every exportable published table, sorted."""
    return query(
        path,
        "SELECT schema_name, table_name, comment FROM duckdb_tables()"
        " WHERE database_name = current_database()"
        " AND schema_name IN (SELECT unnest(?::VARCHAR[])) ORDER BY schema_name, table_name",
        [list(EXPORT_SCHEMAS)],
    )


def table_columns(path: Path, schema: str, table: str) -> pd.DataFrame:
    """column_name, data_type, comment of one published table, in table order. Kept per file
    identity, like `relation_exists`: an API page or an export asks for the same table's
    columns several times (parameter checks, SELECT list, order, body). Callers must not
    modify the frame."""
    key = ("table_columns", schema, table)
    kept = memo(path).get(key)
    if isinstance(kept, pd.DataFrame):
        return kept
    described = query(
        path,
        "SELECT column_name, data_type, comment FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?"
        " ORDER BY column_index",
        [schema, table],
    )
    memo(path).put(key, described)
    return described


def _table_sql(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None,
    months: tuple[date, date] | None,
) -> tuple[str, list[object]]:
    """SELECT * of one exportable table, filtered. Identifiers are checked against the file's
    own catalogue (never user text); values are bound.

    `months` keeps the rows whose period overlaps [first month, last month]: a month, quarter
    or year row (`period_type` + `period_start`) that touches the range, a `month` inside it,
    a `year` between the two years."""
    if schema not in EXPORT_SCHEMAS:
        raise NotAllowed(schema)
    described = table_columns(path, schema, table)
    columns = set(described["column_name"])
    if not columns:
        raise NotAllowed(f"{schema}.{table}")
    clauses, params = where_clauses(where, columns, f"{schema}.{table}")
    if months is not None:
        low, high = months
        if {"period_type", "period_start"} <= columns:
            clauses.append(
                "period_start <= ? AND period_start + CASE period_type"
                " WHEN 'month' THEN INTERVAL 1 MONTH WHEN 'quarter' THEN INTERVAL 3 MONTH"
                " ELSE INTERVAL 12 MONTH END > ?"
            )
            params += [high, low]
        elif "month" in columns:
            clauses.append("month BETWEEN ? AND ?")
            params += [low, high]
        elif "year" in columns:
            clauses.append("year BETWEEN ? AND ?")
            params += [low.year, high.year]
    select = ", ".join(
        _export_column(str(n), str(t))
        for n, t in zip(described["column_name"], described["data_type"], strict=True)
    )
    sql = "SELECT " + select + " FROM " + ident(schema) + "." + ident(table)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


_WHOLE_NUMBER = re.compile(r"^(HUGEINT|UHUGEINT|DECIMAL\(\d+,\s*0\))$")


def _export_column(name: str, data_type: str) -> str:
    """One column of an export: a whole-number column that DuckDB typed HUGEINT or
    DECIMAL(p,0) (a `sum` of integers) is read as BIGINT, so every reader (Parquet, pandas,
    polars, the API) gets a 64-bit integer with nulls, never a Decimal (issue 18)."""
    if _WHOLE_NUMBER.match(data_type.upper()):
        return f"CAST({ident(name)} AS BIGINT) AS {ident(name)}"
    return ident(name)


def table_rows(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None = None,
    months: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """Every column of one published table as published (values and flags untouched)."""
    sql, params = _table_sql(path, schema, table, where, months)
    return query(path, sql, params)


def table_page(
    path: Path,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None,
    months: tuple[date, date] | None,
    limit: int,
    offset: int,
) -> tuple[pd.DataFrame, int]:
    """One page of a public mart for the open API (dashboard/api): the rows of `table_rows`
    in a stable order (by the mart's columns before its first flag column: the dimensions,
    which identify a row), and the total row count of the filter. `limit` and `offset` are
    bound, never SQL text."""
    sql, params = _table_sql(path, "marts", table, where, months)
    order = []
    for name in table_columns(path, "marts", table)["column_name"]:
        if str(name).endswith("_flag"):
            break
        order.append(ident(str(name)))
    total = query(path, "SELECT count(*) AS n FROM (" + sql + ")", params)
    paged = sql + (" ORDER BY " + ", ".join(order) if order else "") + " LIMIT ? OFFSET ?"
    return query(path, paged, [*params, int(limit), int(offset)]), int(total["n"].iloc[0])


def table_arrow(
    path: Path,
    schema: str,
    table: str,
    where: Mapping[str, object | Sequence[object]] | None = None,
    months: tuple[date, date] | None = None,
) -> Any:
    """Same rows as `table_rows`, as a pyarrow Table keeping DuckDB's column types (Parquet)."""
    sql, params = _table_sql(path, schema, table, where, months)
    with connect(path) as con:
        try:
            return con.sql(sql, params=params).to_arrow_table()
        except (duckdb.CatalogException, duckdb.IOException) as exc:
            raise DataUnavailable(f"published file incomplete: {type(exc).__name__}") from exc
