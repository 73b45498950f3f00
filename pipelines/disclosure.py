"""Statistical disclosure control of the published tables (primary + secondary suppression, flags).

Why: the marts are exact counts of people. Published as they are, a cell of 1 to 9 people (a
commune, a sex, a month) can point at somebody, and a cell hidden in one place can often be
recomputed from the totals around it. This module decides, at publish time, which cells are
replaced by NULL with the Eurostat flag ``c``, so that no hidden cell can be recomputed from what
is published. It is a pure library: polars frames in, polars frames out; `publish.py` drives it.

Model
-----
A table is a polars DataFrame in long form: one row per cell, dimension columns and count columns.
Each dimension is described by a `DimSpec` whose `Hierarchy` lists the additive relations of its
codes (``'T' = F + M + X``; region ``'04000'`` = the 19 communes; year = quarters = months). A
relation holds at every combination of the other dimensions' codes present in the frame. A child
code missing from the frame counts as a published 0 (long-form marts omit empty cells); a total
none of whose children is present is not broken down there, and has no relation.

Rules
-----
1. Primary: a count ``0 < v < threshold`` (default 10, i.e. 1 to 9 persons) is suppressed. Zeros
   are published. Cells named in ``must_suppress`` (e.g. suppressed in another table) too.
2. Secondary, heuristic: a relation with exactly one unknown member (suppressed or not available)
   which is suppressed would give it away by subtraction; a complementary suppression is added
   among its published members: the smallest non-zero value (least information lost), ties broken
   by the least aggregated cell (margins are the most read figures), then table order. Repeat
   until no relation has a single unknown member (fixpoint).
3. Secondary, audited: the heuristic misses combinations (two suppressed 1s whose sum is pinned
   by other equations). The audit solves, for each suppressed cell, min and max of that cell
   under all published equations and non-negativity (scipy ``linprog``, HiGHS) — what an
   attacker can compute. A cell whose interval is narrower than ``min_width`` (default =
   threshold) gets one more suppression: the cheapest published cell (same cost order, cells
   sharing a relation with it first) that alone widens its interval enough, else the one that
   widens it most (at most ``max_trials`` tried); then the heuristic again, until it is wide.
   Hiding a cell only widens intervals, so one pass over the suppressed cells (new ones queued)
   suffices, and each round adds a suppression, so it ends.
   `audit_intervals` runs the same attacker on a published frame, to report or to test.

Limits
------
The LP is solved per connected component of unknown cells (cells linked through equations), so
independent parts of a big table are small problems. Every LP solution is a feasible table, which
widens the known range of the other cells of its component: most cells are proved wide without
an LP of their own. Cost: at most two LPs per suppressed cell, plus up to ``max_trials`` x 2 LPs
per repair; an LP takes a few ms on small components, tens of ms on components of hundreds of
cells. Measured on a loaded 2-CPU machine: 19 communes + region x F/M/T x month/quarter/year
(1,020 cells) takes ~5 s with 5 % small leaf cells and ~20 s with 40 %; small 2-D tables take a
fraction of a second. Beyond ~10,000 cells with many small values the cost grows roughly
quadratically (one huge component): publish such a table at a coarser level, or split it into
tables that share no relation. The modelled attacker knows the published values, the declared
relations and that counts are non-negative; undeclared links (other tables not protected
together, sub-additive distinct counts, integer reasoning) are not modelled. Declared relations
must be exactly additive: `protect` raises `NotAdditiveError` otherwise.

Across tables
-------------
A cell is identified across tables by its `CellKey`: the (column, code) pairs of the dimensions
not at their grand-total code. ``commune=21004, sex=T`` in a commune x sex table and
``commune=21004, age_band=_T`` in a commune x age table are the same cell. `protect_consistently`
protects several tables as one system (shared cells get one status and the audit sees all the
equations); `protect` accepts ``must_suppress`` keys and `suppressed_cells` returns them, so a
caller can also iterate table by table. Tables protected together must count the same thing.

Rates
-----
A rate is suppressed (NULL, ``c``) when its denominator is under ``min_denominator`` (default 20)
or when its numerator or denominator is suppressed (either one recovers the other through the
rate). The numerator of a small-denominator rate must be hidden too, or numerator/denominator
give the rate back: `protect_with_rate` passes those cells to `protect` as ``must_suppress`` so
that the numerator's totals get secondary suppression; `protect_rate` alone nulls such a
numerator as a last resort (no secondary suppression then — prefer `protect_with_rate`).

Flags
-----
One flag per value, in a ``<column>_flag`` column: ``c`` confidential, ``:`` not available,
``b`` break in series, ``e`` estimated, ``p`` provisional, NULL for none. When several apply the
strongest wins in that order; ``c`` and ``:`` always come with a NULL value, never the true one.
"""

from __future__ import annotations

import copy
import math
from collections import deque
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import polars as pl
from scipy.optimize import linprog
from scipy.sparse import coo_array, csc_array, csr_array

try:  # scipy's own HiGHS binding, as linprog(method="highs") drives it
    from scipy.optimize._highspy import _core as _highs_core

    _HIGHS: tuple[Any, float] | None = (_highs_core, float(_highs_core.kHighsInf))
except (ImportError, AttributeError):  # pragma: no cover - another scipy: linprog only
    _HIGHS = None

FLAG_CONFIDENTIAL = "c"
FLAG_NOT_AVAILABLE = ":"
FLAG_BREAK = "b"
FLAG_ESTIMATED = "e"
FLAG_PROVISIONAL = "p"
FLAG_PRECEDENCE: tuple[str, ...] = (
    FLAG_CONFIDENTIAL,
    FLAG_NOT_AVAILABLE,
    FLAG_BREAK,
    FLAG_ESTIMATED,
    FLAG_PROVISIONAL,
)
_FLAG_RANK = {flag: rank for rank, flag in enumerate(FLAG_PRECEDENCE)}
_NULLING_FLAGS = frozenset({FLAG_CONFIDENTIAL, FLAG_NOT_AVAILABLE})

CellKey = frozenset[tuple[str, Hashable]]

_PUB, _SUP, _NA = 0, 1, 2
_EPS = 1e-7
_DENSE_LIMIT = 200


class NotAdditiveError(ValueError):
    """A declared relation does not add up: the spec (or the mart) is wrong, not the data safe."""


class ProtectionError(RuntimeError):
    """Secondary suppression could not reach the required protection."""


def flag_column(value_col: str) -> str:
    """Name of the flag column that goes with a value column."""
    return f"{value_col}_flag"


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


def suppressed_cells(
    frame: pl.DataFrame, dims: Sequence[DimSpec], count_col: str
) -> frozenset[CellKey]:
    """Keys of the cells a protected frame flags ``c``, to pass as another table's must_suppress."""
    flags = flag_column(count_col)
    columns = [dim.column for dim in dims]
    hidden = frame.filter(pl.col(flags) == FLAG_CONFIDENTIAL).select(columns)
    return frozenset(cell_key(row, dims) for row in hidden.iter_rows(named=True))


def _resolve_dims(dims: Sequence[DimSpec], frames: Iterable[pl.DataFrame]) -> list[DimSpec]:
    """Turn ``total``-only dimensions into a flat hierarchy over the codes present."""
    frames = list(frames)
    resolved = []
    for dim in dims:
        if dim.hierarchy is None and dim.total is not None:
            codes: dict[Hashable, None] = {}
            for frame in frames:
                if dim.column in frame.columns:
                    codes.update(dict.fromkeys(_distinct(frame.get_column(dim.column))))
            children = [code for code in codes if code != dim.total and code is not None]
            resolved.append(DimSpec(dim.column, Hierarchy.flat(dim.total, children), dim.total))
        else:
            resolved.append(dim)
    return resolved


def _python_equal(dtype: pl.DataType) -> bool:
    """Whether Python equality of the values is polars' equality (no NaN, no -0.0 == 0.0)."""
    return dtype.is_integer() or dtype in (pl.String, pl.Date, pl.Boolean, pl.Categorical)


def _distinct(series: pl.Series) -> list[Any]:
    """Distinct values in order of first appearance (null included), as polars finds them."""
    if _python_equal(series.dtype):
        return list(dict.fromkeys(series.to_list()))
    return series.unique(maintain_order=True).to_list()


def _codes(frame: pl.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, list[dict[int, Any]]]:
    """Each column's codes as small integers (0 for null), and per column the code each integer
    stands for (in order of first appearance). Why: every later step is numpy on these integers;
    which integer a code gets does not matter, only that equal codes get the same one.

    Columns whose values compare in Python as in polars (integers, text, dates) are numbered
    with a dict (a few polars calls cost more than that on the small tables of a publish);
    others (floats: NaN, -0.0) by polars' dense rank.
    """
    height = frame.height
    matrix = np.zeros((height, len(columns)), dtype=np.int64)
    meanings: list[dict[int, Any]] = [{} for _ in columns]
    ranked = []
    for position, column in enumerate(columns):
        series = frame.get_column(column)
        if not _python_equal(series.dtype):
            ranked.append(position)
            continue
        values = series.to_list()
        number: dict[Any, int] = {None: 0}
        meaning = meanings[position]
        for value in dict.fromkeys(values):
            if value is None:
                meaning[0] = None
            else:
                meaning[len(number)] = value
                number[value] = len(number)
        matrix[:, position] = np.fromiter(
            map(number.__getitem__, values), dtype=np.int64, count=height
        )
    if ranked:
        names = [columns[position] for position in ranked]
        ranks = frame.select(pl.col(c).rank("dense").fill_null(0).cast(pl.Int64) for c in names)
        matrix[:, ranked] = ranks.to_numpy().astype(np.int64).reshape(height, len(names))
        firsts = frame.select(pl.col(c).arg_unique().implode() for c in names).row(0)
        for position, column, rows in zip(ranked, names, firsts, strict=True):
            codes = frame.get_column(column).gather(rows).to_list()
            meanings[position] = dict(zip(matrix[rows, position].tolist(), codes, strict=True))
    return matrix, meanings


def _combine(columns: Sequence[np.ndarray], sizes: Sequence[int], height: int) -> np.ndarray:
    """One integer per distinct combination of the integer columns (each ``< size``)."""
    combined = np.zeros(height, dtype=np.int64)
    bound = 1
    for column, size in zip(columns, sizes, strict=True):
        if bound * size >= 2**62:  # renumber densely before it could overflow
            combined = np.unique(combined, return_inverse=True)[1].reshape(height)
            bound = int(combined.max()) + 1 if height else 1
        combined = combined * size + column
        bound *= size
    return combined


class _Links(Sequence[list[int]]):
    """``cell_relations`` stored flat: the relation numbers of cell ``c`` (ascending) are
    ``numbers[starts[c]:starts[c + 1]]``, a list made only when asked for."""

    def __init__(self, numbers: np.ndarray, starts: np.ndarray) -> None:
        self._array = (numbers, starts)
        self._numbers: list[int] = numbers.tolist()
        self._starts: list[int] = starts.tolist()

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, cell: int) -> list[int]:  # type: ignore[override]
        return self._numbers[self._starts[cell] : self._starts[cell + 1]]

    def union(self, cells: np.ndarray) -> list[int]:
        """The relations of any of ``cells``, ascending (numpy: a system has 10^5 cells)."""
        numbers, starts = self._array
        begin, end = starts[cells], starts[cells + 1]
        lengths = end - begin
        at = np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return np.unique(numbers[at]).tolist()


def _counts(spec: TableSpec) -> tuple[np.ndarray, np.ndarray]:
    """The count column as floats (0 where null) and where it is null."""
    counts = spec.frame.get_column(spec.count_col)
    if counts.null_count() == 0 and (counts.dtype.is_float() or counts.dtype.is_integer()):
        return counts.to_numpy().astype(np.float64), np.zeros(spec.frame.height, dtype=bool)
    count = pl.col(spec.count_col)
    read = spec.frame.select(
        count.cast(pl.Float64).fill_null(0.0).alias("value"), count.is_null().alias("null")
    )
    return read.get_column("value").to_numpy().astype(np.float64), read.get_column(
        "null"
    ).to_numpy()


class _Problem:
    """All cells of one or several linked tables, their values and additive relations.

    Built column-wise (codes as integers, numpy), not row by row: a publish builds systems of
    hundreds of thousands of cells. The result is the definition's, cell by cell: cells
    numbered in order of first appearance (table order, then row order), a cell's level the
    lowest over the tables it is in, relations in table order, then dimension order, then row
    order of the total, then the hierarchy's order, a relation met twice (a total shared by two
    tables) kept once; errors are those a row-by-row reading meets first.
    """

    def __init__(self, tables: Mapping[str, TableSpec], *, check_additivity: bool) -> None:
        self.values: list[float | None] = []
        self.level: list[int] = []
        self.rows: dict[str, list[int]] = {}
        self.dims: dict[str, list[DimSpec]] = {}
        self.relations: Sequence[tuple[int, ...]] = []  # (parent, *children): parent = sum
        self.cell_relations: Sequence[list[int]] = []
        self._tables = tables
        self._new_rows: dict[str, np.ndarray] = {}  # rows of each table that are new cells
        self._keys: list[CellKey] | None = None
        self._index: dict[CellKey, int] | None = None
        self._value = np.zeros(0)
        self._null = np.zeros(0, dtype=bool)
        self._level = np.zeros(0, dtype=np.int64)
        self._kept: dict[int, np.ndarray] = {}  # size -> [parent, sorted children] kept
        self._rel_parent: list[np.ndarray] = []
        self._rel_size: list[np.ndarray] = []
        self._rel_members: list[np.ndarray] = []
        self._numbers: dict[str, np.ndarray] = {}  # cell number of each row
        self._table_relations: dict[str, tuple[np.ndarray, ...]] = {}  # kept, for _check
        frames = [spec.frame for spec in tables.values()]
        resolved: dict[tuple[str, Hashable], DimSpec] = {}
        for name, spec in tables.items():
            dims = []
            for dim in spec.dims:
                if dim.hierarchy is None and dim.total is not None:
                    cache = (dim.column, dim.total)
                    if cache not in resolved:
                        resolved[cache] = _resolve_dims([dim], frames)[0]
                    dim = resolved[cache]
                dims.append(dim)
            self.dims[name] = dims
        coded = {
            name: _codes(spec.frame, [dim.column for dim in self.dims[name]])
            for name, spec in tables.items()
        }
        classes = self._classes(coded)
        cell_of_class = np.full(sum(len(c) for c in classes.values()), -1, dtype=np.int64)
        for name, spec in tables.items():
            matrix, meanings = coded[name]
            numbers = self._add_table(
                name, spec, self.dims[name], matrix, meanings, classes[name], cell_of_class
            )
            self._add_relations(
                name, spec, self.dims[name], (matrix, meanings), numbers, check_additivity
            )
        self.values = pl.Series(self._value, dtype=pl.Float64).to_list()
        for position in np.flatnonzero(self._null).tolist():
            self.values[position] = None
        self.level = self._level.tolist()
        self._link_cells()

    def refilled(self, tables: Mapping[str, TableSpec], *, check_additivity: bool) -> _Problem:
        """The same system with other counts: ``tables`` must be this problem's tables (same
        names, order, dimensions and dimension columns) with another count column or values.

        Why: a publish protects several measures over the very same cells (start, certified,
        enrolment counts of one year); cells, levels and relations depend on the codes only,
        so they are taken as they are and only the counts are read and checked, table by
        table in the same order as a build (negative or different figures first, then
        additivity), so the errors are those a build from scratch raises.
        """
        if list(tables) != list(self._tables):
            raise ValueError("refilled needs the same tables, in the same order")
        other = copy.copy(self)
        other._tables = tables
        other._keys = None
        other._index = None
        other._value = np.zeros(len(self._value))
        other._null = np.zeros(len(self._value), dtype=bool)
        for name, spec in tables.items():
            numbers = self._numbers[name]
            if spec.frame.height != len(numbers) or spec.dims != self._tables[name].dims:
                raise ValueError(f"table {name}: not the same cells as the system refilled")
            value, null = _counts(spec)
            new = np.zeros(len(numbers), dtype=bool)
            new[self._new_rows[name]] = True
            old = ~new
            mismatch = np.zeros(len(numbers), dtype=bool)
            if old.any():
                cells = numbers[old]
                old_null = other._null[cells]
                mismatch[old] = (old_null != null[old]) | (
                    ~old_null & ~null[old] & (other._value[cells] != value[old])
                )
            bad = (~null & (value < 0)) | mismatch
            if bad.any():
                duplicate = np.zeros(len(numbers), dtype=bool)
                dims = self.dims[name]
                other._raise_cell(name, spec, dims, int(np.argmax(bad)), numbers, duplicate)
            other._value[numbers[new]] = value[new]
            other._null[numbers[new]] = null[new]
            kept = self._table_relations.get(name)
            if check_additivity and kept is not None:
                other._check(name, spec, self.dims[name], kept)
        other.values = pl.Series(other._value, dtype=pl.Float64).to_list()
        for position in np.flatnonzero(other._null).tolist():
            other.values[position] = None
        return other

    # -- cell identities ------------------------------------------------------------------

    @property
    def keys(self) -> list[CellKey]:
        """`CellKey` of every cell, built on demand (the solver itself never needs them)."""
        if self._keys is None:
            keys: list[CellKey] = []
            for name, spec in self._tables.items():
                dims = self.dims[name]
                new = spec.frame.select([dim.column for dim in dims])[self._new_rows[name]]
                keys.extend(cell_key(row, dims) for row in new.iter_rows(named=True))
            self._keys = keys
        return self._keys

    @property
    def index(self) -> dict[CellKey, int]:
        if self._index is None:
            self._index = {key: number for number, key in enumerate(self.keys)}
        return self._index

    def _classes(
        self, coded: Mapping[str, tuple[np.ndarray, list[dict[int, Any]]]]
    ) -> dict[str, np.ndarray]:
        """A number per distinct `CellKey` over all tables, for each row of each table.

        The key's codes are compared as Python values (a dict per column over the distinct
        codes), so ``1 == 1.0`` and ``'1' != 1`` as in a frozenset.
        """
        if len(self._tables) == 1:
            ((name, (matrix, _)),) = coded.items()
            return {name: np.arange(matrix.shape[0])}
        ids: dict[str, dict[Hashable, int]] = {}
        for name in self._tables:
            for dim in self.dims[name]:
                ids.setdefault(dim.column, {})
        parts: dict[str, list[np.ndarray]] = {column: [] for column in ids}
        heights = []
        for name in self._tables:
            matrix, meanings = coded[name]
            heights.append(matrix.shape[0])
            mine = {dim.column: position for position, dim in enumerate(self.dims[name])}
            for column, known in ids.items():
                position = mine.get(column)
                if position is None:  # not in this table: not in the key
                    parts[column].append(np.zeros(matrix.shape[0], dtype=np.int64))
                    continue
                total = self.dims[name][position].total_code
                meaning = meanings[position]
                lookup = np.zeros(max(meaning, default=0) + 1, dtype=np.int64)
                for code, value in meaning.items():
                    if total is not None and value == total:
                        continue  # at its grand total: not in the key
                    lookup[code] = known.setdefault(value, len(known) + 1)
                parts[column].append(lookup[matrix[:, position]])
        total_height = sum(heights)
        stacked = [np.concatenate(parts[column]) for column in ids]
        combined = _combine(stacked, [len(known) + 1 for known in ids.values()], total_height)
        dense = np.unique(combined, return_inverse=True)[1].reshape(total_height)
        bounds = np.cumsum([0, *heights]).tolist()
        return {name: dense[bounds[i] : bounds[i + 1]] for i, name in enumerate(self._tables)}

    # -- tables ---------------------------------------------------------------------------

    def _add_table(
        self,
        name: str,
        spec: TableSpec,
        dims: list[DimSpec],
        matrix: np.ndarray,
        meanings: list[dict[int, Any]],
        classes: np.ndarray,
        cell_of_class: np.ndarray,
    ) -> np.ndarray:
        """Number the table's cells (new ones on from the last), check them; their numbers."""
        height = matrix.shape[0]
        value, null = _counts(spec)
        sizes = [max(meaning, default=0) + 1 for meaning in meanings]
        coords = _combine(list(matrix.T), sizes, height)
        first = np.zeros(height, dtype=bool)
        first[np.unique(coords, return_index=True)[1]] = True
        duplicate = ~first
        negative = ~null & (value < 0)
        found = cell_of_class[classes]
        new = found < 0
        numbers = np.where(new, len(self._value) + np.cumsum(new) - 1, found)
        mismatch = np.zeros(height, dtype=bool)
        old = ~new
        if old.any():
            cells = numbers[old]
            old_null = self._null[cells]
            mismatch[old] = (old_null != null[old]) | (
                ~old_null & ~null[old] & (self._value[cells] != value[old])
            )
        bad = duplicate | negative | mismatch
        if bad.any():
            self._raise_cell(name, spec, dims, int(np.argmax(bad)), numbers, duplicate)
        level = np.zeros(height, dtype=np.int64)
        for position, dim in enumerate(dims):
            parents = dim.hierarchy.parents if dim.hierarchy is not None else frozenset()
            lookup = np.zeros(sizes[position], dtype=np.int64)
            for code, value_code in meanings[position].items():
                lookup[code] = value_code in parents
            level += lookup[matrix[:, position]]
        cell_of_class[classes[new]] = numbers[new]
        self._value = np.concatenate([self._value, value[new]])
        self._null = np.concatenate([self._null, null[new]])
        self._level = np.concatenate([self._level, level[new]])
        if old.any():
            np.minimum.at(self._level, numbers[old], level[old])
        self._new_rows[name] = np.flatnonzero(new)
        self._numbers[name] = numbers
        self.rows[name] = numbers.tolist()
        return numbers

    def _raise_cell(
        self,
        name: str,
        spec: TableSpec,
        dims: list[DimSpec],
        row: int,
        numbers: np.ndarray,
        duplicate: np.ndarray,
    ) -> None:
        """The error of the first wrong row, as a row-by-row reading would meet it."""
        columns = [dim.column for dim in dims]
        coords = spec.frame.select(columns).row(row)
        if duplicate[row]:
            raise ValueError(
                f"table {name}: duplicate cell {dict(zip(columns, coords, strict=True))}"
            )
        raw = spec.frame.get_column(spec.count_col)[row]
        number = None if raw is None else float(raw)
        if number is not None and number < 0:
            raise ValueError(f"table {name}: negative count {number} at {coords!r}")
        cell = int(numbers[row])
        before = None if self._null[cell] else float(self._value[cell])
        key = cell_key(dict(zip(columns, coords, strict=True)), dims)
        raise ValueError(
            f"cell {sorted(key, key=str)} is {before} in one table and {number} in {name}"
        )

    # -- relations ------------------------------------------------------------------------

    def _add_relations(
        self,
        name: str,
        spec: TableSpec,
        dims: list[DimSpec],
        coded: tuple[np.ndarray, list[dict[int, Any]]],
        numbers: np.ndarray,
        check_additivity: bool,
    ) -> None:
        """Every relation of every dimension at every combination of the other codes.

        Kept flat (numpy): per relation its parent cell, size, dimension and total row, and
        the members of all relations one after the other; Python tuples only on demand.
        """
        matrix, meanings = coded
        height, width = matrix.shape
        sizes = [max(meaning, default=0) + 1 for meaning in meanings]
        parts: list[tuple[np.ndarray, ...]] = []  # (position, row, parent, size, members)
        for position, dim in enumerate(dims):
            if dim.hierarchy is None:
                continue
            code_of = {value: code for code, value in meanings[position].items()}
            size = sizes[position]
            # (relation, slot, child code) of every child present under a present parent
            kinds: list[int] = []
            parent_codes: list[int] = []
            counts: list[int] = []
            child_codes: list[int] = []
            child_slots: list[int] = []
            for number, (parent, children) in enumerate(dim.hierarchy.relations):
                code = code_of.get(parent)
                if code is None:
                    continue
                present = [
                    (slot, code_of[child])
                    for slot, child in enumerate(children)
                    if child in code_of
                ]
                if not present:
                    continue
                kinds.append(number)
                parent_codes.append(code)
                counts.append(len(present))
                child_slots.extend(slot for slot, _ in present)
                child_codes.extend(c for _, c in present)
            if not kinds:
                continue
            others = [p for p in range(width) if p != position]
            rest = _combine([matrix[:, p] for p in others], [sizes[p] for p in others], height)
            here = matrix[:, position]
            full = rest * size + here
            order = np.argsort(full, kind="stable")
            ordered = full[order]
            # rows of each code: by_code[first[c]:first[c] + many[c]]
            by_code = np.argsort(here, kind="stable")
            many = np.bincount(here, minlength=size)
            first = np.concatenate([[0], np.cumsum(many)[:-1]])
            k_parent = np.array(parent_codes, dtype=np.int64)
            k_children = np.array(counts, dtype=np.int64)
            k_rows = many[k_parent]
            k_start = np.concatenate([[0], np.cumsum(k_children)[:-1]])
            entries = k_rows * k_children  # one per (row of the parent code, present child)
            which = np.repeat(np.arange(len(kinds)), entries)
            local = np.arange(int(entries.sum())) - np.repeat(np.cumsum(entries) - entries, entries)
            row_local, child_local = np.divmod(local, k_children[which])
            rows = by_code[first[k_parent[which]] + row_local]
            child_at = k_start[which] + child_local
            wanted = rest[rows] * size + np.array(child_codes, dtype=np.int64)[child_at]
            spot = np.minimum(np.searchsorted(ordered, wanted), height - 1)
            hit = ordered[spot] == wanted
            top = rows[hit]
            kind = np.array(kinds, dtype=np.int64)[which[hit]]
            slot = np.array(child_slots, dtype=np.int64)[child_at[hit]]
            member = order[spot[hit]]
            sort = np.lexsort((slot, kind, top))  # by total row, relation, child: as declared
            top, kind, member = top[sort], kind[sort], numbers[member[sort]]
            if not len(top):
                continue
            start = np.flatnonzero(
                np.concatenate([[True], (top[1:] != top[:-1]) | (kind[1:] != kind[:-1])])
            )
            row = top[start]
            parts.append(
                (
                    np.full(len(start), position, dtype=np.int64),
                    row,
                    numbers[row],
                    np.diff(np.append(start, len(top))),
                    member,
                )
            )
        if not parts:
            return
        position_of, row_of, parent_of, size_of, flat = (
            np.concatenate([part[i] for part in parts]) for i in range(5)
        )
        keep = self._first_seen(parent_of, size_of, flat)
        if not keep.all():
            flat = flat[np.repeat(keep, size_of)]
            position_of, row_of, parent_of, size_of = (
                a[keep] for a in (position_of, row_of, parent_of, size_of)
            )
        if not len(parent_of):
            return
        kept = (position_of, row_of, parent_of, size_of, flat)
        self._table_relations[name] = kept
        if check_additivity:
            self._check(name, spec, dims, kept)
        self._rel_parent.append(parent_of)
        self._rel_size.append(size_of)
        self._rel_members.append(flat)

    def _first_seen(self, parent: np.ndarray, size: np.ndarray, flat: np.ndarray) -> np.ndarray:
        """Which relations are met for the first time: same parent and same set of children as
        one kept before (a total shared by two tables) or earlier in this table is a repeat.

        Exact: per relation size, rows ``[parent, sorted children]`` of the kept relations and
        the new ones are compared whole (their bytes), the first of equal rows wins.
        """
        count = len(parent)
        keep = np.zeros(count, dtype=bool)
        owner = np.repeat(np.arange(count), size)
        children = flat[np.lexsort((flat, owner))]  # each relation's children ascending
        starts = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        for width in np.unique(size).tolist():
            mine = np.flatnonzero(size == width)
            rows = np.empty((len(mine), width + 1), dtype=np.int64)
            rows[:, 0] = parent[mine]
            rows[:, 1:] = children[starts[mine][:, None] + np.arange(width)[None, :]]
            old = self._kept.get(width)
            both = rows if old is None else np.concatenate([old, rows])
            view = np.ascontiguousarray(both).view(np.dtype((np.void, 8 * (width + 1)))).ravel()
            first = np.unique(view, return_index=True)[1]
            offset = 0 if old is None else len(old)
            new = np.sort(first[first >= offset]) - offset
            keep[mine[new]] = True
            self._kept[width] = (
                both if len(new) == len(mine) else np.concatenate([both[:offset], rows[new]])
            )
        return keep

    def _check(
        self,
        name: str,
        spec: TableSpec,
        dims: list[DimSpec],
        relations: tuple[np.ndarray, ...],
    ) -> None:
        """Raise `NotAdditiveError` at the first relation (in order) that does not add up."""
        position_of, row_of, parents, sizes, members = relations
        owner = np.repeat(np.arange(len(parents)), sizes)
        unknown = self._null[parents] | (
            np.bincount(owner, weights=self._null[members], minlength=len(parents)) > 0
        )
        parts = np.bincount(owner, weights=self._value[members], minlength=len(parents))
        total = self._value[parents]
        wrong = ~unknown & (np.abs(total - parts) > 1e-9 * np.maximum(1.0, np.abs(total)))
        if not wrong.any():
            return
        first = int(np.argmax(wrong))
        begin = int(sizes[:first].sum())
        children = members[begin : begin + int(sizes[first])].tolist()
        parent, position, row = int(parents[first]), int(position_of[first]), int(row_of[first])
        added = sum(float(self._value[child]) for child in children)
        coords = spec.frame.select([dim.column for dim in dims]).row(row)
        raise NotAdditiveError(
            f"table {name}: {dims[position].column} at {coords!r} is"
            f" {float(self._value[parent])} but its children add up to {added}"
        )

    def _link_cells(self) -> None:
        """``relations`` and ``cell_relations`` (for each cell the numbers of the relations it
        is in, ascending) from the flat arrays."""
        count = len(self._value)
        parent = np.concatenate(self._rel_parent) if self._rel_parent else np.zeros(0, np.int64)
        size = np.concatenate(self._rel_size) if self._rel_size else np.zeros(0, np.int64)
        children = np.concatenate(self._rel_members) if self._rel_members else np.zeros(0, np.int64)
        total = len(parent) + len(children)
        starts = np.zeros(len(parent) + 1, dtype=np.int64)
        np.cumsum(size + 1, out=starts[1:])
        cells = np.empty(total, dtype=np.int64)
        is_parent = np.zeros(total, dtype=bool)
        is_parent[starts[:-1]] = True
        cells[is_parent] = parent
        cells[~is_parent] = children
        self.relations = _Relations(cells.tolist(), starts.tolist())
        owner = np.repeat(np.arange(len(parent)), size + 1)
        order = np.argsort(cells, kind="stable")
        links = np.concatenate([[0], np.cumsum(np.bincount(cells, minlength=count))])
        self.cell_relations = _Links(owner[order], links)


class _Relations(Sequence[tuple[int, ...]]):
    """``relations`` stored flat: relation ``n`` is ``cells[starts[n]:starts[n + 1]]`` (parent
    first), a tuple made only when asked for (a big system has 10^5 relations and the solver
    reads only those around hidden cells)."""

    def __init__(self, cells: list[int], starts: list[int]) -> None:
        self._cells = cells
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, number: int) -> tuple[int, ...]:  # type: ignore[override]
        return tuple(self._cells[self._starts[number] : self._starts[number + 1]])

    def members(self, number: int) -> list[int]:
        """Relation ``number`` as a new list (parent first), without making a tuple."""
        return self._cells[self._starts[number] : self._starts[number + 1]]

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        cells, starts = self._cells, self._starts
        for number in range(len(starts) - 1):
            yield tuple(cells[starts[number] : starts[number + 1]])


class _Solver:
    """Status of every cell (published, suppressed, not available) and the attacker's LPs.

    Two facts keep the audit cheap. Hiding one more cell only widens every interval (a published
    constant becomes a non-negative unknown; every solution stays a solution), so a cell found
    wide stays wide and one pass over the hidden cells suffices. And every LP solution is a
    feasible table: its values widen the known range of every other cell of the block, which
    often proves them wide without an LP of their own.
    """

    def __init__(self, problem: _Problem, status: list[int], min_width: float) -> None:
        self.problem = problem
        self.status = status
        self.min_width = min_width
        self.known_lo = [value if value is not None else math.inf for value in problem.values]
        self.known_hi = [value if value is not None else -math.inf for value in problem.values]
        self._last_system: tuple[tuple[int, ...], _System] | None = None

    def system(self, block: list[int]) -> _System:
        """Equations of a block, cached for the last block (max and min, then its neighbours).

        The block (sorted unknown cells of a component) determines the system: every unknown
        member of a relation touching it belongs to it, the others are published constants.
        """
        key = tuple(block)
        if self._last_system is None or self._last_system[0] != key:
            self._last_system = (key, _build_system(self.problem, self.status, block))
        return self._last_system[1]

    def cost(self, index: int) -> tuple[bool, float, int, int]:
        value = self.problem.values[index] or 0.0
        return (value == 0, value, self.problem.level[index], index)

    def heuristic(self) -> list[int]:
        """Complementary suppression until no relation has a single unknown, suppressed member.

        Returns the cells it hid.
        """
        added = []
        changed = True
        while changed:
            changed = False
            for relation in self.problem.relations:
                unknown = [i for i in relation if self.status[i] != _PUB]
                if len(unknown) != 1 or self.status[unknown[0]] != _SUP:
                    continue
                candidates = [i for i in relation if self.status[i] == _PUB]
                if not candidates:
                    continue
                chosen = min(candidates, key=self.cost)
                self.status[chosen] = _SUP
                added.append(chosen)
                changed = True
        return added

    def component(self, start: int) -> list[int]:
        """Unknown cells linked to ``start`` through relations (the LP's independent block)."""
        seen = {start}
        stack = [start]
        while stack:
            cell = stack.pop()
            for number in self.problem.cell_relations[cell]:
                for member in self.problem.relations[number]:
                    if member not in seen and self.status[member] != _PUB:
                        seen.add(member)
                        stack.append(member)
        return sorted(seen)

    def interval(self, target: int) -> tuple[float, float]:
        """Exact attacker interval of ``target`` under the current status."""
        system = self.system(self.component(target))
        low, _ = _lp_extreme(system, target, maximise=False)
        high, _ = _lp_extreme(system, target, maximise=True)
        return low, high

    def _learn(self, block: list[int], solution: np.ndarray | None) -> None:
        if solution is None:
            return
        for position, cell in enumerate(block):
            value = float(solution[position])
            self.known_lo[cell] = min(self.known_lo[cell], value)
            self.known_hi[cell] = max(self.known_hi[cell], value)

    def _known_width(self, cell: int) -> float:
        return self.known_hi[cell] - self.known_lo[cell]

    def probe(self, target: int, *, learn: bool) -> float:
        """A width of ``target`` good enough to decide: exact unless already ``>= min_width``.

        With ``learn`` the LP solutions widen the known ranges (only valid when the current
        status is kept, hence off during trials).
        """
        if learn and self._known_width(target) >= self.min_width - _EPS:
            return self._known_width(target)
        block = self.component(target)
        lo = hi = self.problem.values[target] or 0.0
        if learn:
            lo, hi = self.known_lo[target], self.known_hi[target]
        system = self.system(block)
        for maximise in (True, False):
            bound, solution = _lp_extreme(system, target, maximise)
            if learn:
                self._learn(block, solution)
            hi, lo = (max(hi, bound), lo) if maximise else (hi, min(lo, bound))
            if hi - lo >= self.min_width - _EPS:
                break
        return hi - lo

    def candidates(self, target: int) -> list[int]:
        near = {m for n in self.problem.cell_relations[target] for m in self.problem.relations[n]}
        around = {
            m
            for cell in self.component(target)
            for n in self.problem.cell_relations[cell]
            for m in self.problem.relations[n]
        }
        first = sorted((m for m in near if self.status[m] == _PUB), key=self.cost)
        second = sorted((m for m in around - near if self.status[m] == _PUB), key=self.cost)
        return first + second

    def widen(self, target: int, max_trials: int) -> list[int]:
        """Hide one more cell so that ``target`` gets wider; returns the cells hidden."""
        best, best_width = None, -math.inf
        for candidate in self.candidates(target)[:max_trials]:
            self.status[candidate] = _SUP
            width = self.probe(target, learn=False)
            self.status[candidate] = _PUB
            if width >= self.min_width - _EPS:
                best = candidate
                break
            if width > best_width:
                best, best_width = candidate, width
        if best is None:
            raise ProtectionError(
                "no published cell left to protect cell"
                f" {sorted(self.problem.keys[target], key=str)}"
            )
        self.status[best] = _SUP
        return [best, *self.heuristic()]

    def repair(self, max_trials: int, max_rounds: int) -> None:
        """Add suppressions until every suppressed cell's attacker interval is wide enough."""
        queue = deque(cell for cell, state in enumerate(self.status) if state == _SUP)
        rounds = 0
        while queue:
            target = queue.popleft()
            while self.probe(target, learn=True) < self.min_width - _EPS:
                rounds += 1
                if rounds > max_rounds:
                    raise ProtectionError(f"protection not reached after {max_rounds} rounds")
                queue.extend(self.widen(target, max_trials))


_System = tuple[dict[int, int], "np.ndarray | csr_array | None", np.ndarray]


def _build_system(problem: _Problem, status: list[int], block: list[int]) -> _System:
    """The equations ``A x = b`` over the unknowns of ``block``, with their column numbers."""
    column = {cell: position for position, cell in enumerate(block)}
    numbers = sorted({n for cell in block for n in problem.cell_relations[cell]})
    if not numbers:
        return column, None, np.zeros(0)
    rows, cols, data = [], [], []
    b_eq = np.zeros(len(numbers))
    for row, number in enumerate(numbers):
        for position, member in enumerate(problem.relations[number]):
            sign = 1.0 if position == 0 else -1.0
            if status[member] == _PUB:
                b_eq[row] -= sign * (problem.values[member] or 0.0)
            else:
                rows.append(row)
                cols.append(column[member])
                data.append(sign)
    shape = (len(numbers), len(block))
    a_eq: np.ndarray | csr_array
    if len(block) <= _DENSE_LIMIT:  # small blocks: dense is cheaper to hand over
        a_eq = np.zeros(shape)
        np.add.at(a_eq, (rows, cols), data)
    else:
        a_eq = coo_array((data, (rows, cols)), shape=shape).tocsr()
    return column, a_eq, b_eq


def _csc(a_eq: np.ndarray | csr_array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Column starts, row numbers and values of ``A``, as ``csc_array(A)`` has them (columns
    in order, rows ascending in each, no zeros); a dense ``A`` without going through scipy."""
    if not isinstance(a_eq, np.ndarray):
        matrix = csc_array(a_eq)
        return matrix.indptr, matrix.indices, matrix.data
    columns, rows = np.nonzero(a_eq.T)
    start = np.zeros(a_eq.shape[1] + 1, dtype=np.int64)
    np.cumsum(np.bincount(columns, minlength=a_eq.shape[1]), out=start[1:])
    return start, rows, a_eq[rows, columns]


def _highs_optimum(
    objective: np.ndarray, a_eq: np.ndarray | csr_array, b_eq: np.ndarray
) -> np.ndarray | None:
    """The optimal ``x`` of min ``objective @ x``, ``A x = b``, x >= 0, straight from HiGHS.

    Why: the audit solves hundreds of small LPs, and `linprog`'s checks and option handling
    cost several times the solve. This passes HiGHS the very model and options
    ``linprog(method="highs")`` passes (``_highs_wrapper``: rows ``b <= A x <= b``, bounds
    [0, kHighsInf], presolve on, dual simplex, no output) on a fresh solver, so the optimum is
    the same. Returns None (the caller then asks `linprog`) unless HiGHS reports optimal and
    the solution passes `linprog`'s own feasibility check; also when scipy's HiGHS module is
    not there.
    """
    if _HIGHS is None:
        return None
    core, infinite = _HIGHS
    count, rows = len(objective), len(b_eq)
    start, index, value = _csc(a_eq)
    bound = np.ascontiguousarray(b_eq, dtype=np.float64)
    lp = core.HighsLp()
    lp.num_col_ = count
    lp.num_row_ = rows
    lp.a_matrix_.num_col_ = count
    lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.format_ = core.MatrixFormat.kColwise
    lp.col_cost_ = objective
    lp.col_lower_ = np.zeros(count)
    lp.col_upper_ = np.full(count, infinite)
    lp.row_lower_ = bound
    lp.row_upper_ = bound
    lp.a_matrix_.start_ = start
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    highs = core._Highs()
    options = core.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = core.HighsDebugLevel.kHighsDebugLevelNone
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = core.simplex_constants.SimplexStrategy.kSimplexStrategyDual
    if highs.passOptions(options) == core.HighsStatus.kError:
        return None
    if highs.passModel(lp) == core.HighsStatus.kError:
        return None
    if highs.run() == core.HighsStatus.kError:
        return None
    if highs.getModelStatus() != core.HighsModelStatus.kOptimal:
        return None
    fun = highs.getInfo().objective_function_value
    solved = highs.getSolution()
    x = np.array(solved.col_value)
    residual = bound - np.asarray(solved.row_value)
    tol = math.sqrt(1e-9) * 10  # linprog's _check_result
    if np.isnan(x).any() or math.isnan(fun) or np.isnan(residual).any():
        return None
    if not ((x >= -tol).all() and (np.abs(residual) <= tol).all()):
        return None
    return x


def _lp_extreme(system: _System, target: int, maximise: bool) -> tuple[float, np.ndarray | None]:
    """Min or max of ``target`` subject to ``A x = b``, x >= 0: the attacker's bound.

    Returns the bound and the solution (None when unbounded).
    """
    column, a_eq, b_eq = system
    if a_eq is None:
        return (math.inf if maximise else 0.0), None
    objective = np.zeros(len(column))
    objective[column[target]] = -1.0 if maximise else 1.0
    try:
        solution = _highs_optimum(objective, a_eq, b_eq)
    except AttributeError:  # scipy's private HiGHS binding changed shape: linprog answers
        solution = None
    if solution is not None:
        return float(solution[column[target]]), solution
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status == 3 and maximise:
        return math.inf, None
    if result.status != 0:
        raise ProtectionError(f"attacker LP failed: {result.message}")
    return float(result.x[column[target]]), result.x


def _combine_flags(old: str | None, new: str | None) -> str | None:
    if old is None:
        return new
    if new is None:
        return old
    return (
        old
        if _FLAG_RANK.get(old, len(FLAG_PRECEDENCE)) <= _FLAG_RANK.get(new, len(FLAG_PRECEDENCE))
        else new
    )


def _write_back(spec: TableSpec, indexes: list[int], status: list[int]) -> pl.DataFrame:
    frame = spec.frame
    flags = flag_column(spec.count_col)
    old = frame.get_column(flags).to_list() if flags in frame.columns else [None] * frame.height
    new_flags = []
    hidden = []
    for index, previous in zip(indexes, old, strict=True):
        state = status[index]
        new = FLAG_CONFIDENTIAL if state == _SUP else FLAG_NOT_AVAILABLE if state == _NA else None
        new_flags.append(_combine_flags(previous, new))
        hidden.append(state != _PUB)
    mask = pl.Series("_hidden", hidden, dtype=pl.Boolean)
    return frame.with_columns(
        pl.when(mask).then(None).otherwise(pl.col(spec.count_col)).alias(spec.count_col),
        pl.Series(flags, new_flags, dtype=pl.String),
    )


def protect_consistently(
    tables: Mapping[str, TableSpec],
    threshold: float = 10,
    *,
    min_width: float | None = None,
    must_suppress: Collection[CellKey] = (),
    audit: bool = True,
    max_trials: int = 25,
    max_rounds: int | None = None,
    check_additivity: bool = True,
) -> dict[str, pl.DataFrame]:
    """Protect linked tables as one system: a cell shared by two tables is hidden in both.

    Returns each frame with its count column nulled where suppressed and a ``<count>_flag``
    column (``c`` suppressed, ``:`` count was null, existing flags kept unless outranked).
    """
    problem = _Problem(tables, check_additivity=check_additivity)
    forced = {problem.index[key] for key in must_suppress if key in problem.index}
    status = []
    for index, value in enumerate(problem.values):
        if value is None:
            status.append(_NA)
        elif index in forced or 0 < value < threshold:
            status.append(_SUP)
        else:
            status.append(_PUB)
    solver = _Solver(problem, status, threshold if min_width is None else min_width)
    solver.heuristic()
    if audit:
        solver.repair(max_trials, max_rounds if max_rounds is not None else len(status) + 1)
    return {name: _write_back(spec, problem.rows[name], status) for name, spec in tables.items()}


def protect(
    frame: pl.DataFrame,
    dims: Sequence[DimSpec],
    count_col: str,
    threshold: float = 10,
    *,
    min_width: float | None = None,
    must_suppress: Collection[CellKey] = (),
    audit: bool = True,
    max_trials: int = 25,
    max_rounds: int | None = None,
    check_additivity: bool = True,
) -> pl.DataFrame:
    """Primary then secondary suppression of one count column (see the module docstring).

    ``threshold``: counts ``0 < v < threshold`` are hidden. ``min_width``: the narrowest interval
    an attacker may reach for a hidden cell (default: threshold). ``must_suppress``: cell keys
    hidden whatever their value (suppressed elsewhere). ``audit=False`` keeps only the heuristic.
    """
    protected = protect_consistently(
        {"table": TableSpec(frame, dims, count_col)},
        threshold,
        min_width=min_width,
        must_suppress=must_suppress,
        audit=audit,
        max_trials=max_trials,
        max_rounds=max_rounds,
        check_additivity=check_additivity,
    )
    return protected["table"]


def audit_intervals(
    frame: pl.DataFrame, dims: Sequence[DimSpec], count_col: str
) -> list[CellInterval]:
    """The attacker's view of a published frame: bounds of each NULL cell flagged ``c``.

    Cells flagged ``:`` are unknowns for the attacker but are not reported. Without a flag
    column every NULL cell is reported.
    """
    spec = TableSpec(frame, dims, count_col)
    problem = _Problem({"table": spec}, check_additivity=False)
    flags_name = flag_column(count_col)
    flags = (
        frame.get_column(flags_name).to_list()
        if flags_name in frame.columns
        else [None] * frame.height
    )
    status = [_PUB] * len(problem.values)
    for index, flag in zip(problem.rows["table"], flags, strict=True):
        if problem.values[index] is None:
            status[index] = _NA if flag == FLAG_NOT_AVAILABLE else _SUP
    solver = _Solver(problem, status, 0.0)
    columns = [dim.column for dim in dims]
    coords = frame.select(columns).rows()
    result = []
    for row, index in zip(coords, problem.rows["table"], strict=True):
        if status[index] == _SUP:
            lo, hi = solver.interval(index)
            result.append(CellInterval(tuple(row), lo, hi))
    return result


def set_flag(frame: pl.DataFrame, value_col: str, flag: str, where: pl.Expr) -> pl.DataFrame:
    """Set ``flag`` on the rows matching ``where`` unless a stronger flag is already there.

    ``c`` and ``:`` also null the value (a confidential cell is published as NULL, never as its
    true value); ``p``, ``e`` and ``b`` keep it.
    """
    if flag not in _FLAG_RANK:
        raise ValueError(f"unknown flag {flag!r}; expected one of {FLAG_PRECEDENCE}")
    flags = flag_column(value_col)
    existing = pl.col(flags) if flags in frame.columns else pl.lit(None, dtype=pl.String)
    rank = existing.replace_strict(_FLAG_RANK, default=len(FLAG_PRECEDENCE), return_dtype=pl.Int64)
    takes = where & (existing.is_null() | (rank > _FLAG_RANK[flag]))
    frame = frame.with_columns(
        pl.when(takes).then(pl.lit(flag)).otherwise(existing).cast(pl.String).alias(flags)
    )
    if flag in _NULLING_FLAGS:
        frame = frame.with_columns(
            pl.when(where).then(None).otherwise(pl.col(value_col)).alias(value_col)
        )
    return frame


def mark_provisional(
    frame: pl.DataFrame, value_cols: Sequence[str], where: pl.Expr
) -> pl.DataFrame:
    """Flag ``p`` (value kept) on rows matching ``where``; a ``c`` already there wins."""
    for column in value_cols:
        frame = set_flag(frame, column, FLAG_PROVISIONAL, where)
    return frame


def small_denominator_cells(
    frame: pl.DataFrame, dims: Sequence[DimSpec], denominator_col: str, min_denominator: float = 20
) -> frozenset[CellKey]:
    """Cells whose rate is hidden for a small denominator: their numerator must be hidden too."""
    columns = [dim.column for dim in dims]
    small = frame.filter(
        (pl.col(denominator_col) > 0) & (pl.col(denominator_col) < min_denominator)
    )
    return frozenset(cell_key(row, dims) for row in small.select(columns).iter_rows(named=True))


def protect_rate(
    frame: pl.DataFrame,
    numerator_col: str,
    denominator_col: str,
    rate_col: str,
    min_denominator: float = 20,
    *,
    suppress_numerator: bool = True,
) -> pl.DataFrame:
    """Hide a rate whose denominator is under ``min_denominator`` or whose counts are hidden.

    Reads the counts as published (after `protect`, if they were protected): a NULL count flagged
    ``c`` hides the rate. A denominator of 0 gives ``:`` (no rate), not ``c``. When the rate is
    hidden for a small, published denominator and ``suppress_numerator`` is true, a still
    published numerator is nulled and flagged ``c`` here — without secondary suppression of its
    totals, hence `protect_with_rate`, which hides it during `protect` instead.
    """
    num_flag, den_flag = flag_column(numerator_col), flag_column(denominator_col)
    num_hidden = (
        pl.col(num_flag) == FLAG_CONFIDENTIAL if num_flag in frame.columns else pl.lit(False)
    )
    den_hidden = (
        pl.col(den_flag) == FLAG_CONFIDENTIAL if den_flag in frame.columns else pl.lit(False)
    )
    denominator = pl.col(denominator_col)
    small = denominator.is_not_null() & (denominator > 0) & (denominator < min_denominator)
    hidden = (small | num_hidden.fill_null(False) | den_hidden.fill_null(False)).fill_null(False)
    missing = pl.col(rate_col).is_null() | (denominator == 0).fill_null(False)
    frame = set_flag(frame, rate_col, FLAG_NOT_AVAILABLE, missing & ~hidden)
    frame = set_flag(frame, rate_col, FLAG_CONFIDENTIAL, hidden)
    if suppress_numerator and numerator_col in frame.columns:
        exposed = small & pl.col(numerator_col).is_not_null()
        frame = set_flag(frame, numerator_col, FLAG_CONFIDENTIAL, exposed.fill_null(False))
    return frame


def protect_with_rate(
    frame: pl.DataFrame,
    dims: Sequence[DimSpec],
    numerator_col: str,
    denominator_col: str,
    rate_col: str,
    threshold: float = 10,
    min_denominator: float = 20,
    *,
    audit: bool = True,
) -> pl.DataFrame:
    """Protect numerator and denominator counts, then the rate, in the order that stays safe.

    The numerators of small-denominator rates are passed to `protect` as must-suppress cells, so
    the numerator's totals get secondary suppression like any other hidden cell.
    """
    small = small_denominator_cells(frame, dims, denominator_col, min_denominator)
    protected = protect(frame, dims, numerator_col, threshold, must_suppress=small, audit=audit)
    protected = protect(protected, dims, denominator_col, threshold, audit=audit)
    return protect_rate(protected, numerator_col, denominator_col, rate_col, min_denominator)
