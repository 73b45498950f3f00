"""The only package that talks to DuckDB: every query the dashboard runs is in its modules.

Why one package: it is the single place to audit for SQL injection and for "reads only the
published file". Rules kept here:
- one read-only connection per process and published path, kept open (opening costs ~50 ms)
  and checked against the file's identity (inode, mtime, size) at the start of every request:
  a published file swapped in with `os.replace` gets a new identity, so the old connection is
  closed and the new file opened by the next request, without a restart (`connection`);
- values computed from a published file (filter options, rendered pages) are memoised per
  identity (`memo`), so they are dropped with the file they came from;
- `enable_external_access=false`: even a mistaken query cannot read another file;
- values are bound parameters; identifiers (marts, columns) come only from the allowlists
  (`allowlists`), checked before any SQL is built (`sql`) — a forged URL value never becomes
  SQL text.
Pages never import duckdb; they receive pandas frames and small dataclasses, through the names
below (`from dashboard import data; data.cells(...)`).

Modules: `allowlists` (identifiers that may reach SQL), `sql` (identifier checks, SQL text),
`connection` (connections, memo, query), `marts` (published cells), `dimensions` (dimensions
and metadata), `official` (official statistics), `tables` (whole tables for the exports).
"""

from __future__ import annotations

from dashboard.data.allowlists import (
    BREAKDOWNS,
    CONTEXT,
    EXPORT_SCHEMAS,
    EXTRA_COLUMNS,
    MARTS,
    PERIOD_TYPES,
    RESTRICTED,
    TOTAL,
)
from dashboard.data.connection import (
    DataUnavailable,
    FileIdentity,
    Memo,
    check,
    close_all,
    connect,
    identity,
    memo,
    query,
    relation_exists,
    session,
)
from dashboard.data.dimensions import (
    Pool,
    code_labels,
    communes,
    freshness,
    functions,
    indicators,
    load_summary,
    months,
    nace_codes,
    occupations,
    pools,
    pools_for_nace,
    publication,
    quarantine_summary,
)
from dashboard.data.marts import cells, restricted_cells
from dashboard.data.official import context_rows, context_sources
from dashboard.data.sql import NotAllowed, ident
from dashboard.data.tables import (
    published_tables,
    table_arrow,
    table_columns,
    table_page,
    table_rows,
)

__all__ = [
    "BREAKDOWNS",
    "CONTEXT",
    "EXPORT_SCHEMAS",
    "EXTRA_COLUMNS",
    "MARTS",
    "PERIOD_TYPES",
    "RESTRICTED",
    "TOTAL",
    "DataUnavailable",
    "FileIdentity",
    "Memo",
    "NotAllowed",
    "Pool",
    "cells",
    "check",
    "close_all",
    "code_labels",
    "communes",
    "connect",
    "context_rows",
    "context_sources",
    "freshness",
    "functions",
    "ident",
    "identity",
    "indicators",
    "load_summary",
    "memo",
    "months",
    "nace_codes",
    "occupations",
    "pools",
    "pools_for_nace",
    "publication",
    "published_tables",
    "quarantine_summary",
    "query",
    "relation_exists",
    "restricted_cells",
    "session",
    "table_arrow",
    "table_columns",
    "table_page",
    "table_rows",
]
