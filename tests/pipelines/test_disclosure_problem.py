"""The column-wise build of a protection system equals its row-by-row definition.

`disclosure.Problem` numbers cells, matches the same cell across tables and lists the additive
relations with numpy on integer codes (a publish builds systems of 10^5 cells). The suppression
heuristic breaks ties by cell number and walks relations in order, so the build must give
exactly what reading the tables row by row gives: `reference` below is that reading, written
the plain way, and random systems of tables are built both ways and compared field by field,
errors included (first wrong row wins, as a row-by-row reading meets it).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.disclosure import (
    DimSpec,
    Hierarchy,
    NotAdditiveError,
    Problem,
    TableSpec,
    cell_key,
    resolve_dims,
)


def reference(tables: Mapping[str, TableSpec], check_additivity: bool) -> dict[str, object]:
    """Cells, levels, rows, relations read row by row, or the error met first."""
    keys: list[object] = []
    values: list[float | None] = []
    level: list[int] = []
    index: dict[object, int] = {}
    rows: dict[str, list[int]] = {}
    relations: list[tuple[int, ...]] = []
    seen: set[tuple[int, frozenset[int]]] = set()
    frames = [spec.frame for spec in tables.values()]
    for name, spec in tables.items():
        dims = resolve_dims(spec.dims, frames)
        columns = [dim.column for dim in dims]
        parents = [dim.hierarchy.parents if dim.hierarchy else frozenset() for dim in dims]
        lookup: dict[tuple[Hashable, ...], int] = {}
        numbers = []
        for *codes, value in spec.frame.select([*columns, spec.count_col]).iter_rows():
            coords = tuple(codes)
            if coords in lookup:
                raise ValueError(
                    f"table {name}: duplicate cell {dict(zip(columns, coords, strict=True))}"
                )
            key = cell_key(dict(zip(columns, coords, strict=True)), dims)
            height = sum(code in p for code, p in zip(coords, parents, strict=True))
            number = None if value is None else float(value)
            if number is not None and number < 0:
                raise ValueError(f"table {name}: negative count {number} at {coords!r}")
            cell = index.get(key)
            if cell is None:
                cell = index[key] = len(keys)
                keys.append(key)
                values.append(number)
                level.append(height)
            elif values[cell] != number:
                raise ValueError(
                    f"cell {sorted(key, key=str)} is {values[cell]} in one table"
                    f" and {number} in {name}"
                )
            else:
                level[cell] = min(level[cell], height)
            lookup[coords] = cell
            numbers.append(cell)
        rows[name] = numbers
        for position, dim in enumerate(dims):
            if dim.hierarchy is None:
                continue
            for coords, parent in lookup.items():
                for top, children in dim.hierarchy.relations:
                    if coords[position] != top:
                        continue
                    members = [
                        lookup[c]
                        for child in children
                        if (c := (*coords[:position], child, *coords[position + 1 :])) in lookup
                    ]
                    if not members or (parent, frozenset(members)) in seen:
                        continue
                    seen.add((parent, frozenset(members)))
                    parts = [values[parent], *(values[m] for m in members)]
                    if check_additivity and None not in parts:
                        total, added = values[parent], sum(v or 0.0 for v in parts[1:])
                        assert total is not None
                        if abs(total - added) > 1e-9 * max(1.0, abs(total)):
                            raise NotAdditiveError(
                                f"table {name}: {dim.column} at {coords!r} is {total}"
                                f" but its children add up to {added}"
                            )
                    relations.append((parent, *members))
    links: list[list[int]] = [[] for _ in keys]
    for number, relation in enumerate(relations):
        for cell in relation:
            links[cell].append(number)
    return {
        "keys": keys,
        "values": values,
        "level": level,
        "rows": rows,
        "relations": relations,
        "cell_relations": links,
    }


def built(tables: Mapping[str, TableSpec], check_additivity: bool) -> dict[str, object]:
    return fields(Problem(tables, check_additivity=check_additivity))


def outcome(
    function: Callable[[Mapping[str, TableSpec], bool], dict[str, object]],
    tables: Mapping[str, TableSpec],
    check: bool,
) -> object:
    try:
        return function(tables, check)
    except ValueError as error:  # NotAdditiveError included: the type is compared too
        return (type(error).__name__, str(error))


SEX = DimSpec("sex", Hierarchy.flat("T", ["F", "M", "X"]))
AREA = DimSpec("area", Hierarchy.tree({"R": ["A", "B", "C"], "A": ["A1", "A2"]}))
AGE = DimSpec("age", total="_T")
GROUP = DimSpec("group")  # no relation: links cells only through the other dimensions
# 'Z' is never present: both relations of 'R' have the same members, the second is a repeat
ZONE = DimSpec("zone", Hierarchy((("R", ("P", "Q")), ("R", ("P", "Q", "Z")))))
CODES: dict[str, list[str | None]] = {
    "sex": ["T", "F", "M", "X"],
    "area": ["R", "A", "B", "C", "A1", "A2"],
    "age": ["_T", "y", "o", None],
    "group": ["g1", "g2"],
    "zone": ["R", "P", "Q"],
}
DIMS = {"sex": SEX, "area": AREA, "age": AGE, "group": GROUP, "zone": ZONE}


@st.composite
def systems(draw: st.DrawFn) -> dict[str, TableSpec]:
    """One to three tables over shared dimensions, cells missing at random, some values null,
    a shared figure usually the same in two tables, sometimes not (or negative, or twice)."""
    truth: dict[frozenset[tuple[str, object]], float | None] = {}
    tables = {}
    for number in range(draw(st.integers(1, 3))):
        names = draw(st.lists(st.sampled_from(sorted(DIMS)), min_size=1, max_size=3, unique=True))
        dims = [DIMS[name] for name in names]
        records = []
        for coords in _product([CODES[name] for name in names]):
            if not draw(st.booleans()):
                continue
            row = dict(zip(names, coords, strict=True))
            key = cell_key(row, dims)
            if key not in truth:
                truth[key] = draw(st.one_of(st.none(), st.integers(0, 30).map(float)))
            value = truth[key]
            if draw(st.integers(0, 40)) == 0:
                value = draw(st.sampled_from([-1.0, 99.0, None]))
            records.append({**row, "n": value})
            if draw(st.integers(0, 60)) == 0:
                records.append({**row, "n": value})
        # codes as text or categorical (numbered by a dict), the counts as floats or integers
        code_type = draw(st.sampled_from([pl.String, pl.Categorical]))
        frame = pl.DataFrame(
            records, schema={**{name: pl.String for name in names}, "n": pl.Float64}
        ).with_columns(pl.col(names).cast(code_type))
        if draw(st.booleans()) and frame.get_column("n").null_count() == 0:
            frame = frame.with_columns(pl.col("n").cast(pl.Int64))
        tables[f"t{number}"] = TableSpec(frame, dims, "n")
    return tables


def _product(lists: Sequence[Sequence[object]]) -> list[tuple[object, ...]]:
    return list(itertools.product(*lists))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems(), st.booleans())
def test_columnar_build_equals_the_row_by_row_definition(
    tables: dict[str, TableSpec], check: bool
) -> None:
    assert outcome(built, tables, check) == outcome(reference, tables, check)


def additive_table() -> pl.DataFrame:
    rows = [("A1", 2), ("A2", 3), ("A", 5), ("B", 4), ("C", 0), ("R", 9)]
    return pl.DataFrame(rows, schema=["area", "n"], orient="row")


def test_not_additive_names_the_first_wrong_total() -> None:
    frame = additive_table().with_columns(
        pl.when(pl.col("area") == "A").then(6).otherwise(pl.col("n")).alias("n")
    )
    tables = {"t": TableSpec(frame, [AREA], "n")}
    wrong = r"area at \('A',\) is 6.0 but its children add up to 5.0"
    with pytest.raises(NotAdditiveError, match=wrong):
        Problem(tables, check_additivity=True)
    assert outcome(built, tables, True) == outcome(reference, tables, True)


def test_codes_compare_as_python_values_across_dtypes() -> None:
    """Year 2024 as Int64 in one table and Float64 in another is one cell ('1 == 1.0');
    as text '2024' it is another cell (a frozenset key would not match it either)."""
    ints = pl.DataFrame({"year": [2024, 2025], "n": [3, 4]})
    floats = pl.DataFrame({"year": [2024.0, 2025.0], "n": [3, 4]})
    text = pl.DataFrame({"year": ["2024"], "n": [5]})
    dims = [DimSpec("year")]
    tables = {
        "ints": TableSpec(ints, dims, "n"),
        "floats": TableSpec(floats, dims, "n"),
        "text": TableSpec(text, dims, "n"),
    }
    problem = Problem(tables, check_additivity=True)
    assert problem.rows == {"ints": [0, 1], "floats": [0, 1], "text": [2]}
    assert outcome(built, tables, True) == outcome(reference, tables, True)


def test_a_different_figure_for_the_same_cell_is_refused() -> None:
    total = pl.DataFrame({"sex": ["T", "F", "M"], "n": [10, 4, 6]})
    other = pl.DataFrame({"age": ["_T", "y"], "n": [11, 11]})
    tables = {"sex": TableSpec(total, [SEX], "n"), "age": TableSpec(other, [AGE], "n")}
    with pytest.raises(ValueError, match=r"cell \[\] is 10.0 in one table and 11.0 in age"):
        Problem(tables, check_additivity=False)


def test_float_codes_with_nulls_are_numbered_by_polars_like_the_definition() -> None:
    """Float codes take the polars path (NaN, -0.0); a null code is a cell of its own."""
    level = DimSpec("level", Hierarchy.flat(0.0, [1.0, 2.0, 3.0]))
    first = pl.DataFrame({"level": [0.0, 1.0, 2.0, None], "n": [9.0, 4.0, 5.0, 7.0]})
    second = pl.DataFrame({"level": [2.0, None, 0.0], "sex": ["F", "F", "T"], "n": [5.0, 7, 9]})
    tables = {
        "first": TableSpec(first, [level], "n"),
        "second": TableSpec(second, [level, SEX], "n"),
    }
    assert outcome(built, tables, True) == outcome(reference, tables, True)
    assert list(Problem(tables, check_additivity=True).relations) == [(0, 1, 2)]


def fields(problem: Problem) -> dict[str, object]:
    return {
        "keys": problem.keys,
        "values": problem.values,
        "level": problem.level,
        "rows": problem.rows,
        "relations": list(problem.relations),
        "cell_relations": [list(links) for links in problem.cell_relations],
    }


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(systems(), st.booleans(), st.data())
def test_refilled_equals_a_build_with_the_new_counts(
    tables: dict[str, TableSpec], check: bool, data: st.DataObject
) -> None:
    """Other counts over the same cells (another measure): the system reused with the new
    counts is the one built from scratch, errors included (negative, differing, not additive)."""
    try:
        base = Problem(tables, check_additivity=check)
    except ValueError:
        return
    # a figure per cell (the same in every table), now and then another one, or negative
    truth: dict[object, float | None] = {}
    refill = {}
    for name, spec in tables.items():
        columns = [dim.column for dim in spec.dims]
        counts = []
        for row in spec.frame.select(columns).iter_rows(named=True):
            key = cell_key(row, spec.dims)
            shared = key in truth  # met in a table before: another figure is often drawn
            if not shared:
                truth[key] = data.draw(st.one_of(st.none(), st.integers(0, 30).map(float)))
            value = truth[key]
            if data.draw(st.integers(0, 3 if shared else 30)) == 0:
                value = data.draw(st.sampled_from([-1.0, 99.0, None]))
            counts.append(value)
        frame = spec.frame.with_columns(pl.Series("n", counts, dtype=pl.Float64))
        refill[name] = TableSpec(frame, spec.dims, "n")

    def reused(tables: Mapping[str, TableSpec], check: bool) -> dict[str, object]:
        return fields(base.refilled(tables, check_additivity=check))

    assert outcome(reused, refill, check) == outcome(built, refill, check)


def test_refilled_keeps_shared_figures_consistent() -> None:
    """A shared cell given two figures, or a total that no longer adds up, is refused."""
    total = pl.DataFrame({"sex": ["T", "F", "M"], "n": [10, 4, 6]})
    other = pl.DataFrame({"age": ["_T", "y"], "n": [10, 10]})
    tables = {"sex": TableSpec(total, [SEX], "n"), "age": TableSpec(other, [AGE], "n")}
    base = Problem(tables, check_additivity=True)
    moved = tables | {"age": TableSpec(other.with_columns(pl.col("n") + 1), [AGE], "n")}
    with pytest.raises(ValueError, match=r"cell \[\] is 10.0 in one table and 11.0 in age"):
        base.refilled(moved, check_additivity=True)
    short = tables | {
        "age": TableSpec(pl.DataFrame({"age": ["_T", "y"], "n": [10, 9]}), [AGE], "n")
    }
    with pytest.raises(NotAdditiveError, match=r"age at \('_T',\) is 10.0 but .* add up to 9.0"):
        base.refilled(short, check_additivity=True)
    again = base.refilled(tables, check_additivity=True)
    assert fields(again) == fields(base)
