"""Paths of the published sample files and a one-row lookup, shared by the official tests."""

from __future__ import annotations

from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[4]
PUBLISHED = REPO / "tests" / "fixtures" / "published"
EUROSTAT = PUBLISHED / "eurostat"
BRUSSELS = PUBLISHED / "brussels"
COMMUNES_CSV = REPO / "data" / "reference" / "geo" / "brussels_communes.csv"


def one(frame: pl.DataFrame, **where: str) -> dict[str, object]:
    """The single row matching column == value for every keyword; fails if not exactly one."""
    rows = frame.filter(*[pl.col(k) == v for k, v in where.items()])
    assert rows.height == 1, f"{rows.height} rows for {where}"
    return rows.row(0, named=True)
