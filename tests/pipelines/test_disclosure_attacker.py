"""An attacker tries to recompute the protected cells of random tables.

The attacker is written here from scratch (it does not reuse `audit_intervals`): from the
published frame only — values, NULLs and the declared totals — it solves, for each hidden cell,
min and max of that cell under every published equation and non-negativity. Every hidden cell
must keep an interval at least 10 wide.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from pipelines.disclosure import DimSpec, Hierarchy, period_codes, period_hierarchy, protect

THRESHOLD = 10
MIN_WIDTH = 10

# Many small values, some zeros, a few large ones: the hard case for suppression.
cell_values = st.one_of(
    st.just(0), st.integers(1, 9), st.integers(1, 9), st.integers(10, 60), st.integers(10, 20)
)

Relation = tuple[str, Hashable, tuple[Hashable, ...]]  # (column, parent code, child codes)


def attacker_intervals(
    published: pl.DataFrame, columns: Sequence[str], relations: Sequence[Relation], count: str
) -> dict[tuple[str, ...], tuple[float, float]]:
    """Bounds of every NULL cell given all published equations (independent implementation)."""
    cells = {tuple(row[:-1]): row[-1] for row in published.select([*columns, count]).rows()}
    unknown = sorted(coords for coords, value in cells.items() if value is None)
    position = {coords: i for i, coords in enumerate(unknown)}
    rows_a: list[np.ndarray] = []
    rows_b: list[float] = []
    for column, parent, children in relations:
        axis = list(columns).index(column)
        for coords in cells:
            if coords[axis] != parent:
                continue
            equation = np.zeros(len(unknown))
            constant = 0.0
            members = [(coords, 1.0)]
            for child in children:
                child_coords = (*coords[:axis], child, *coords[axis + 1 :])
                if child_coords in cells:
                    members.append((child_coords, -1.0))
            for member, sign in members:
                value = cells[member]
                if value is None:
                    equation[position[member]] += sign
                else:
                    constant -= sign * value
            rows_a.append(equation)
            rows_b.append(constant)
    a_eq = np.array(rows_a) if rows_a else None
    b_eq = np.array(rows_b) if rows_b else None
    result = {}
    for coords, i in position.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert low.status == 0, low.message
        hi = float("inf") if high.status == 3 else float(high.x[i])
        result[coords] = (float(low.x[i]), hi)
    return result


def check_protection(
    truth: pl.DataFrame,
    published: pl.DataFrame,
    columns: Sequence[str],
    relations: Sequence[Relation],
) -> None:
    joined = truth.join(published, on=list(columns), suffix="_pub")
    for row in joined.iter_rows(named=True):
        if 0 < row["n"] < THRESHOLD:
            assert row["n_pub"] is None and row["n_flag"] == "c", row
        if row["n_pub"] is None:
            assert row["n_flag"] == "c", row
        else:
            assert row["n_pub"] == row["n"] and row["n_flag"] is None, row
    intervals = attacker_intervals(published, columns, relations, "n")
    for coords, (lo, hi) in intervals.items():
        assert hi - lo >= MIN_WIDTH - 1e-6, (coords, lo, hi)
    true_values = {tuple(r[:-1]): r[-1] for r in truth.select([*columns, "n"]).rows()}
    for coords, (lo, hi) in intervals.items():
        assert lo - 1e-6 <= true_values[coords] <= hi + 1e-6


def two_way_table(values: list[list[int]]) -> pl.DataFrame:
    """Interior cells plus row totals, column totals and the grand total, in long form."""
    n_rows, n_cols = len(values), len(values[0])
    records = []
    for r in [*range(n_rows), None]:
        for c in [*range(n_cols), None]:
            rows = range(n_rows) if r is None else [r]
            cols = range(n_cols) if c is None else [c]
            total = sum(values[i][j] for i in rows for j in cols)
            records.append(("T" if r is None else f"r{r}", "T" if c is None else f"c{c}", total))
    return pl.DataFrame(records, schema=["row", "col", "n"], orient="row")


@st.composite
def matrices(draw: st.DrawFn) -> list[list[int]]:
    n_rows = draw(st.integers(2, 6))
    n_cols = draw(st.integers(2, 6))
    return [[draw(cell_values) for _ in range(n_cols)] for _ in range(n_rows)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices())
def test_two_way_tables_resist_the_attacker(values: list[list[int]]) -> None:
    truth = two_way_table(values)
    row_codes = [f"r{i}" for i in range(len(values))]
    col_codes = [f"c{j}" for j in range(len(values[0]))]
    dims = [
        DimSpec("row", Hierarchy.flat("T", row_codes)),
        DimSpec("col", Hierarchy.flat("T", col_codes)),
    ]
    published = protect(truth, dims, "n", THRESHOLD)
    relations = [("row", "T", tuple(row_codes)), ("col", "T", tuple(col_codes))]
    check_protection(truth, published, ["row", "col"], relations)


@st.composite
def nested_tables(draw: st.DrawFn) -> tuple[dict[str, list[str]], dict[tuple[str, str], int]]:
    """Region → 2-3 districts → 1-3 communes each, crossed with sex F/M."""
    groups = {}
    for g in range(draw(st.integers(2, 3))):
        groups[f"d{g}"] = [f"d{g}c{k}" for k in range(draw(st.integers(1, 3)))]
    leaves = [leaf for children in groups.values() for leaf in children]
    values = {(leaf, sex): draw(cell_values) for leaf in leaves for sex in ("F", "M")}
    return groups, values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nested_tables())
def test_three_level_hierarchies_resist_the_attacker(
    table: tuple[dict[str, list[str]], dict[tuple[str, str], int]],
) -> None:
    groups, values = table
    leaves_of = {"R": [leaf for kids in groups.values() for leaf in kids]} | groups
    leaves_of |= {leaf: [leaf] for kids in groups.values() for leaf in kids}
    records = []
    for area, leaves in leaves_of.items():
        for sex in ("F", "M", "T"):
            sexes = ["F", "M"] if sex == "T" else [sex]
            records.append((area, sex, sum(values[(lf, s)] for lf in leaves for s in sexes)))
    truth = pl.DataFrame(records, schema=["area", "sex", "n"], orient="row")
    areas = Hierarchy.tree({"R": list(groups), **groups})
    dims = [DimSpec("area", areas), DimSpec("sex", Hierarchy.flat("T", ["F", "M"]))]
    published = protect(truth, dims, "n", THRESHOLD)
    relations: list[Relation] = [("area", "R", tuple(groups))]
    relations += [("area", g, tuple(kids)) for g, kids in groups.items()]
    relations.append(("sex", "T", ("F", "M")))
    check_protection(truth, published, ["area", "sex"], relations)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(cell_values, min_size=12, max_size=12), st.lists(cell_values, min_size=12, max_size=12)
)
def test_month_quarter_year_resists_the_attacker(women: list[int], men: list[int]) -> None:
    """Months, quarters and the year, by sex with a total: the calendar hierarchy is covered."""
    from datetime import date

    by_month = {"F": women, "M": men}
    records = []
    for sex in ("F", "M", "T"):
        monthly = [women[m] + men[m] for m in range(12)] if sex == "T" else by_month[sex]
        year, _, _ = period_codes(date(2024, 1, 1))
        records.append((year, sex, sum(monthly)))
        for q in range(4):
            _, quarter, _ = period_codes(date(2024, 3 * q + 1, 1))
            records.append((quarter, sex, sum(monthly[3 * q : 3 * q + 3])))
        for m in range(12):
            _, _, month = period_codes(date(2024, m + 1, 1))
            records.append((month, sex, monthly[m]))
    truth = pl.DataFrame(records, schema=["period", "sex", "n"], orient="row")
    calendar = period_hierarchy([2024])
    dims = [DimSpec("period", calendar), DimSpec("sex", Hierarchy.flat("T", ["F", "M"]))]
    published = protect(truth, dims, "n", THRESHOLD)
    relations: list[Relation] = [("period", p, kids) for p, kids in calendar.relations]
    relations.append(("sex", "T", ("F", "M")))
    check_protection(truth, published, ["period", "sex"], relations)


@st.composite
def cubes(draw: st.DrawFn) -> tuple[list[int], dict[tuple[int, ...], int]]:
    sizes = [draw(st.integers(2, 3)), draw(st.integers(2, 3)), 2]
    cells = itertools.product(*(range(size) for size in sizes))
    return sizes, {coords: draw(cell_values) for coords in cells}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cubes())
def test_three_dimensional_tables_resist_the_attacker(
    cube: tuple[list[int], dict[tuple[int, ...], int]],
) -> None:
    """Every relation holds at every combination of the other two dimensions."""
    sizes, values = cube
    columns = ["x", "y", "z"]
    codes = [[f"{name}{i}" for i in range(size)] for name, size in zip(columns, sizes, strict=True)]
    records = []
    for coords in itertools.product(*(range(size + 1) for size in sizes)):
        picked = [range(size) if c == size else [c] for c, size in zip(coords, sizes, strict=True)]
        total = sum(values[leaf] for leaf in itertools.product(*picked))
        labels = [
            "T" if c == size else kids[c]
            for c, size, kids in zip(coords, sizes, codes, strict=True)
        ]
        records.append((*labels, total))
    truth = pl.DataFrame(records, schema=[*columns, "n"], orient="row")
    dims = [
        DimSpec(name, Hierarchy.flat("T", kids)) for name, kids in zip(columns, codes, strict=True)
    ]
    published = protect(truth, dims, "n", THRESHOLD)
    relations: list[Relation] = [
        (name, "T", tuple(kids)) for name, kids in zip(columns, codes, strict=True)
    ]
    check_protection(truth, published, columns, relations)


def test_attacker_sees_through_singleton_only_protection() -> None:
    """The attacker is not toothless: heuristic-only protection of two 1s is caught by it."""
    truth = pl.DataFrame({"k": ["T", "a", "b", "c"], "n": [32, 1, 1, 30]})
    dims = [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))]
    weak = protect(truth, dims, "n", THRESHOLD, audit=False, sum_rule=False)
    intervals = attacker_intervals(weak, ["k"], [("k", "T", ("a", "b", "c"))], "n")
    assert intervals == {("a",): (0.0, 2.0), ("b",): (0.0, 2.0)}
    strong = protect(truth, dims, "n", THRESHOLD)
    intervals = attacker_intervals(strong, ["k"], [("k", "T", ("a", "b", "c"))], "n")
    assert all(hi - lo >= MIN_WIDTH for lo, hi in intervals.values())


def test_every_small_interior_pattern_of_a_2x2_table() -> None:
    """Exhaustive over a coarse grid of 2x2 tables: no pattern leaks."""
    grid = [0, 1, 9, 12]
    for a, b, c, d in itertools.product(grid, grid, grid, [1, 12]):
        values = [[a, b], [c, d]]
        truth = two_way_table(values)
        dims = [
            DimSpec("row", Hierarchy.flat("T", ["r0", "r1"])),
            DimSpec("col", Hierarchy.flat("T", ["c0", "c1"])),
        ]
        published = protect(truth, dims, "n", THRESHOLD)
        relations = [("row", "T", ("r0", "r1")), ("col", "T", ("c0", "c1"))]
        check_protection(truth, published, ["row", "col"], relations)
