"""Identifier checks and the two SQL text builders every query of the dashboard goes through.

Why here: values are always bound parameters; identifiers come from the allowlists
(`allowlists`), and `ident` refuses anything but a plain lower-case identifier as a second lock.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence


class NotAllowed(ValueError):
    """An identifier outside the allowlists reached the data layer (a bug, never user text)."""


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: str) -> str:
    """Quote an identifier that an allowlist already admitted; a second lock refuses anything
    that is not a plain lower-case identifier, so no allowlist slip can reach the SQL text."""
    if not _IDENTIFIER.match(name):
        raise NotAllowed(name)
    return '"' + name + '"'


def where_clauses(
    where: Mapping[str, object | Sequence[object]] | None, allowed: Collection[str], owner: str
) -> tuple[list[str], list[object]]:
    """Bound clauses for `where` (a sequence → IN), each column checked against `allowed`."""
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (where or {}).items():
        if column not in allowed:
            raise NotAllowed(f"{owner}.{column}")
        if isinstance(value, list | tuple):
            clauses.append(f"{ident(column)} IN (SELECT unnest(?::VARCHAR[]))")
            params.append([str(v) for v in value])
        else:
            clauses.append(f"{ident(column)} = ?")
            params.append(value)
    return clauses, params


def select_sql(
    columns: Sequence[str], schema: str, name: str, clauses: Sequence[str], order_by: Sequence[str]
) -> str:
    """`SELECT columns FROM schema.name [WHERE …] [ORDER BY …]`, every identifier checked."""
    sql = "SELECT " + ", ".join(ident(c) for c in columns)
    sql += " FROM " + ident(schema) + "." + ident(name)
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    if order_by:
        sql += " ORDER BY " + ", ".join(ident(c) for c in order_by)
    return sql
