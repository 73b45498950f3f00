"""Published cells of the marts, public and restricted, exactly as published (with flags).

Why no re-aggregation here: summing protected cells would undo the protection and drop flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.data.allowlists import EXTRA_COLUMNS, MARTS, RESTRICTED
from dashboard.data.connection import query, relation_exists
from dashboard.data.sql import NotAllowed, ident, select_sql, where_clauses


def cells(
    path: Path,
    mart: str,
    measures: Sequence[str],
    where: Mapping[str, object | Sequence[object]] | None = None,
    between: tuple[str, date, date] | None = None,
    order_by: Sequence[str] = (),
) -> pd.DataFrame:
    """Published cells of one mart: dimensions, the measures and their flags, as published.

    No re-aggregation on purpose: summing protected cells would undo the protection and drop
    flags. `where` values are bound (a sequence → IN); `between` bounds a date dimension.
    """
    if mart not in MARTS:
        raise NotAllowed(mart)
    dims, allowed = MARTS[mart]
    extras = EXTRA_COLUMNS.get(mart, ())
    for m in measures:
        if m not in allowed and m not in extras:
            raise NotAllowed(f"{mart}.{m}")
    select = [*dims]
    for m in measures:
        select.append(m)
        if m in allowed:
            select.append(f"{m}_flag")
    clauses, params = where_clauses(where, dims, mart)
    if between is not None:
        column, low, high = between
        if column not in dims:
            raise NotAllowed(f"{mart}.{column}")
        clauses.append(f"{ident(column)} BETWEEN ? AND ?")
        params += [low, high]
    for column in order_by:
        if column not in dims:
            raise NotAllowed(f"{mart}.{column}")
    return query(path, select_sql(select, "marts", mart, clauses, order_by), params)


def restricted_cells(
    path: Path,
    mart: str,
    pool_id: str,
    between: tuple[date, date] | None = None,
) -> pd.DataFrame:
    """One pool's rows of a restricted mart, with flags, from the pool-manager tier's own file
    `path` (restricted.duckdb, never published.duckdb). `pool_id` is a required bound value:
    no call can return rows of several pools or of another pool than the one asked for. No
    file yet (nothing published) reads as no rows."""
    if mart not in RESTRICTED:
        raise NotAllowed(mart)
    dims, measures = RESTRICTED[mart]
    select = [*dims]
    for m in measures:
        select += [m, f"{m}_flag"]
    if not path.is_file() or not relation_exists(path, "main", mart):
        return pd.DataFrame(columns=select)
    sql = (
        "SELECT "
        + ", ".join(ident(c) for c in select)
        + " FROM main."
        + ident(mart)
        + " WHERE pool_id = ?"
    )
    params: list[object] = [pool_id]
    if between is not None:
        sql += " AND month BETWEEN ? AND ?"
        params += [between[0], between[1]]
    sql += " ORDER BY month, programme_id"
    return query(path, sql, params)
