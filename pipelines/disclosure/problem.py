"""`Problem`: all cells of one or several linked tables, their values and additive relations.

Numbers the cells (the same cell in two tables once), reads their counts, finds every
declared relation at every combination of the other dimensions' codes, and checks that the
relations add up (`NotAdditiveError` otherwise: the spec or the mart is wrong, not the data
safe). The solver (`pipelines.disclosure.solver`) works on it.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from pipelines.disclosure.model import (
    CellKey,
    DimSpec,
    Hierarchy,
    NotAdditiveError,
    TableSpec,
    cell_key,
)
from pipelines.disclosure.relations import (
    Links,
    Relations,
    combine_codes,
    distinct,
    encode_codes,
    read_counts,
)


def resolve_dims(dims: Sequence[DimSpec], frames: Iterable[pl.DataFrame]) -> list[DimSpec]:
    """Turn ``total``-only dimensions into a flat hierarchy over the codes present."""
    frames = list(frames)
    resolved = []
    for dim in dims:
        if dim.hierarchy is None and dim.total is not None:
            codes: dict[Hashable, None] = {}
            for frame in frames:
                if dim.column in frame.columns:
                    codes.update(dict.fromkeys(distinct(frame.get_column(dim.column))))
            children = [code for code in codes if code != dim.total and code is not None]
            resolved.append(DimSpec(dim.column, Hierarchy.flat(dim.total, children), dim.total))
        else:
            resolved.append(dim)
    return resolved


class Problem:
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
        self.relations = Relations([], [0])  # (parent, *children): parent = sum
        self.cell_relations = Links(np.zeros(0, dtype=np.int64), np.zeros(1, dtype=np.int64))
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
                        resolved[cache] = resolve_dims([dim], frames)[0]
                    dim = resolved[cache]
                dims.append(dim)
            self.dims[name] = dims
        coded = {
            name: encode_codes(spec.frame, [dim.column for dim in self.dims[name]])
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

    def refilled(self, tables: Mapping[str, TableSpec], *, check_additivity: bool) -> Problem:
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
            value, null = read_counts(spec)
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
        combined = combine_codes(stacked, [len(known) + 1 for known in ids.values()], total_height)
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
        value, null = read_counts(spec)
        sizes = [max(meaning, default=0) + 1 for meaning in meanings]
        coords = combine_codes(list(matrix.T), sizes, height)
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
        sizes = [max(meaning, default=0) + 1 for meaning in meanings]
        parts: list[tuple[np.ndarray, ...]] = []  # (position, row, parent, size, members)
        for position, dim in enumerate(dims):
            if dim.hierarchy is None:
                continue
            code_of = {value: code for code, value in meanings[position].items()}
            declared = _present_relations(dim.hierarchy, code_of)
            if declared is None:
                continue
            part = _dimension_relations(matrix, sizes, position, declared, numbers)
            if part is not None:
                parts.append(part)
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
        self.relations = Relations(cells.tolist(), starts.tolist())
        owner = np.repeat(np.arange(len(parent)), size + 1)
        order = np.argsort(cells, kind="stable")
        links = np.concatenate([[0], np.cumsum(np.bincount(cells, minlength=count))])
        self.cell_relations = Links(owner[order], links)


_Declared = tuple[list[int], list[int], list[int], list[int], list[int]]


def _present_relations(hierarchy: Hierarchy, code_of: Mapping[Hashable, int]) -> _Declared | None:
    """The relations of a hierarchy whose parent and some child are in the table: per relation
    its number and parent code and how many children are present, then per present child its
    slot in the relation and its code (None when no relation is present)."""
    kinds: list[int] = []
    parent_codes: list[int] = []
    counts: list[int] = []
    child_codes: list[int] = []
    child_slots: list[int] = []
    for number, (parent, children) in enumerate(hierarchy.relations):
        code = code_of.get(parent)
        if code is None:
            continue
        present = [
            (slot, code_of[child]) for slot, child in enumerate(children) if child in code_of
        ]
        if not present:
            continue
        kinds.append(number)
        parent_codes.append(code)
        counts.append(len(present))
        child_slots.extend(slot for slot, _ in present)
        child_codes.extend(c for _, c in present)
    return (kinds, parent_codes, counts, child_codes, child_slots) if kinds else None


def _dimension_relations(
    matrix: np.ndarray,
    sizes: list[int],
    position: int,
    declared: _Declared,
    numbers: np.ndarray,
) -> tuple[np.ndarray, ...] | None:
    """The relations of the dimension at ``position`` at every combination of the other codes:
    (position, total row, parent cell, size, members), in row order of the total, then the
    hierarchy's order (None when none is in the table)."""
    kinds, parent_codes, counts, child_codes, child_slots = declared
    height, width = matrix.shape
    size = sizes[position]
    others = [p for p in range(width) if p != position]
    rest = combine_codes([matrix[:, p] for p in others], [sizes[p] for p in others], height)
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
        return None
    start = np.flatnonzero(
        np.concatenate([[True], (top[1:] != top[:-1]) | (kind[1:] != kind[:-1])])
    )
    row = top[start]
    return (
        np.full(len(start), position, dtype=np.int64),
        row,
        numbers[row],
        np.diff(np.append(start, len(top))),
        member,
    )
