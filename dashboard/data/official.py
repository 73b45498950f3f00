"""Official statistics (the `context` schema): published as their publishers shaped them
(value + flag + source), never mixed into the pools' marts; optional in the published file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from dashboard.data.allowlists import CONTEXT
from dashboard.data.connection import query, relation_exists
from dashboard.data.sql import NotAllowed, select_sql, where_clauses


def context_rows(
    path: Path,
    relation: str,
    columns: Sequence[str],
    where: Mapping[str, object | Sequence[object]] | None = None,
    order_by: Sequence[str] = (),
) -> pd.DataFrame:
    """Rows of one official-statistics relation (empty when the file has none: the context
    layer is optional, its absence is not a maintenance case). Same binding rules as `cells`."""
    if relation not in CONTEXT:
        raise NotAllowed(relation)
    allowed = CONTEXT[relation]
    for column in (*columns, *(where or {}), *order_by):
        if column not in allowed:
            raise NotAllowed(f"{relation}.{column}")
    if not relation_exists(path, "context", relation):
        return pd.DataFrame(columns=list(columns))
    clauses, params = where_clauses(where, allowed, relation)
    return query(path, select_sql(columns, "context", relation, clauses, order_by), params)


def context_sources(path: Path) -> pd.DataFrame:
    """Per official dataset: publisher, period covered, last update, file (the data page)."""
    if not relation_exists(path, "context", "official_series"):
        return pd.DataFrame(
            columns=["dataset", "source", "first_period", "last_period", "last_update", "rows"]
        )
    return query(
        path,
        "SELECT dataset, any_value(source) AS source, min(period) AS first_period,"
        " max(period) AS last_period, max(last_update) AS last_update, count(*) AS rows"
        " FROM context.official_series GROUP BY dataset ORDER BY dataset",
    )
