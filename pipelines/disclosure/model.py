"""The model of a protection problem: dimensions, their additive relations, tables and cells.

A table is a polars DataFrame in long form: one row per cell, dimension columns and count
columns. Each dimension is described by a `DimSpec` whose `Hierarchy` lists the additive
relations of its codes (``'T' = F + M + X``; region ``'04000'`` = the 19 communes; year =
quarters = months). A relation holds at every combination of the other dimensions' codes present
in the frame. A child code missing from the frame counts as a published 0 (long-form marts omit
empty cells); a total none of whose children is present is not broken down there, and has no
relation.

A cell is identified across tables by its `CellKey`: the (column, code) pairs of the dimensions
not at their grand-total code. ``commune=21004, sex=T`` in a commune x sex table and
``commune=21004, age_band=_T`` in a commune x age table are the same cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import polars as pl

CellKey = frozenset[tuple[str, Hashable]]

# Status of a cell: published, suppressed (flag c), not available (NULL count, flag :).
PUBLISHED, SUPPRESSED, NOT_AVAILABLE = 0, 1, 2
EPS = 1e-7  # widths compared with this slack (LP solutions are floats)


class NotAdditiveError(ValueError):
    """A declared relation does not add up: the spec (or the mart) is wrong, not the data safe."""


class ProtectionError(RuntimeError):
    """Secondary suppression could not reach the required protection."""


@dataclass(frozen=True)
class Hierarchy:
    """Additive relations of one dimension's codes: each ``(parent, children)`` is parent = sum.

    A parent may appear in several relations (year = 4 quarters and year = 12 months); nesting
    (year = quarters, quarter = months) is expressed by several relations.
    """

    relations: tuple[tuple[Hashable, tuple[Hashable, ...]], ...]

    def __post_init__(self) -> None:
        for parent, children in self.relations:
            if parent in children:
                raise ValueError(f"code {parent!r} is declared as its own child")
            if len(set(children)) != len(children):
                raise ValueError(f"duplicate child codes under {parent!r}")

    @classmethod
    def flat(cls, total: Hashable, children: Iterable[Hashable]) -> Hierarchy:
        """One total over its children, e.g. sex ``T`` = F + M + X."""
        return cls(((total, tuple(children)),))

    @classmethod
    def tree(cls, mapping: Mapping[Any, Sequence[Hashable]]) -> Hierarchy:
        """Nested totals, e.g. ``{'04000': [...19 NIS...]}`` or year → quarters → months."""
        return cls(tuple((parent, tuple(children)) for parent, children in mapping.items()))

    @property
    def parents(self) -> frozenset[Hashable]:
        return frozenset(parent for parent, _ in self.relations)

    @property
    def total(self) -> Hashable | None:
        """The grand total: the only parent that is nobody's child (None if zero or several)."""
        children = {child for _, kids in self.relations for child in kids}
        roots = [parent for parent, _ in self.relations if parent not in children]
        unique = list(dict.fromkeys(roots))
        return unique[0] if len(unique) == 1 else None


def period_codes(month: date) -> tuple[str, str, str]:
    """Codes of a month at the three period levels: ``('2024', '2024-Q1', '2024-01')``."""
    quarter = (month.month - 1) // 3 + 1
    return (
        f"{month.year:04d}",
        f"{month.year:04d}-Q{quarter}",
        f"{month.year:04d}-{month.month:02d}",
    )


def period_hierarchy(years: Iterable[int], *, quarters: bool = True) -> Hierarchy:
    """Year = quarters = months (codes of `period_codes`); without quarters, year = months.

    Months absent from a frame count as 0, so a year in progress is the sum of its months so far.
    """
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
    for year in sorted(set(years)):
        months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
        if quarters:
            quarter_codes = tuple(f"{year:04d}-Q{q}" for q in range(1, 5))
            relations.append((f"{year:04d}", quarter_codes))
            for q, code in enumerate(quarter_codes):
                relations.append((code, tuple(months[3 * q : 3 * q + 3])))
        else:
            relations.append((f"{year:04d}", tuple(months)))
    return Hierarchy(tuple(relations))


@dataclass(frozen=True)
class DimSpec:
    """One dimension column of a table.

    ``hierarchy`` declares its totals. ``total`` alone (e.g. ``'_T'``) declares that code to be
    the sum of every other code of the column found in the table(s). With neither, the dimension
    has no additive relation (its cells are linked only through the other dimensions).
    """

    column: str
    hierarchy: Hierarchy | None = None
    total: Hashable | None = None

    @property
    def total_code(self) -> Hashable | None:
        if self.total is not None:
            return self.total
        return self.hierarchy.total if self.hierarchy is not None else None


@dataclass(frozen=True)
class TableSpec:
    """A table to protect: long-form frame, its dimensions and the count column."""

    frame: pl.DataFrame
    dims: Sequence[DimSpec]
    count_col: str


class CellInterval(NamedTuple):
    """What an attacker can deduce about a suppressed cell: ``lo <= value <= hi``."""

    cell: tuple[Hashable, ...]
    lo: float
    hi: float

    @property
    def width(self) -> float:
        return self.hi - self.lo


def cell_key(row: Mapping[str, Hashable], dims: Sequence[DimSpec]) -> CellKey:
    """The identity of a cell across tables: dimensions at their grand total are left out."""
    pairs = []
    for dim in dims:
        code = row[dim.column]
        total = dim.total_code
        if total is not None and code == total:
            continue
        pairs.append((dim.column, code))
    return frozenset(pairs)


def cells_where(frame: pl.DataFrame, dims: Sequence[DimSpec], where: pl.Expr) -> frozenset[CellKey]:
    """Keys of the cells (rows) of ``frame`` matching ``where``: e.g. those flagged ``c``
    (to pass as another table's cells to suppress), or those whose rate has a small
    denominator (whose numerator must be suppressed too)."""
    columns = [dim.column for dim in dims]
    rows = frame.filter(where).select(columns)
    return frozenset(cell_key(row, dims) for row in rows.iter_rows(named=True))
