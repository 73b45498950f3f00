"""Cells and relations as numbers: codes as small integers, relations stored flat.

Why: a publish builds systems of hundreds of thousands of cells; every step of `Problem` is
numpy on integer codes, and the solver reads relations as lists of cell numbers (`Relations`,
`Links`) made only when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import polars as pl

from pipelines.disclosure.model import TableSpec


def python_equal(dtype: pl.DataType) -> bool:
    """Whether Python equality of the values is polars' equality (no NaN, no -0.0 == 0.0)."""
    return dtype.is_integer() or dtype in (pl.String, pl.Date, pl.Boolean, pl.Categorical)


def distinct(series: pl.Series) -> list[Any]:
    """Distinct values in order of first appearance (null included), as polars finds them."""
    if python_equal(series.dtype):
        return list(dict.fromkeys(series.to_list()))
    return series.unique(maintain_order=True).to_list()


def encode_codes(
    frame: pl.DataFrame, columns: Sequence[str]
) -> tuple[np.ndarray, list[dict[int, Any]]]:
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
        if not python_equal(series.dtype):
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


def combine_codes(columns: Sequence[np.ndarray], sizes: Sequence[int], height: int) -> np.ndarray:
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


class Links(Sequence[list[int]]):
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


def read_counts(spec: TableSpec) -> tuple[np.ndarray, np.ndarray]:
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


class Relations(Sequence[tuple[int, ...]]):
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
