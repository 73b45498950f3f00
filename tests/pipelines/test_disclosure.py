"""Disclosure control on small tables whose suppression pattern was worked out by hand."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest

from pipelines.disclosure import (
    NOT_AVAILABLE,
    PUBLISHED,
    SUPPRESSED,
    CellKey,
    DimSpec,
    Hierarchy,
    NotAdditiveError,
    TableSpec,
    audit_intervals,
    cell_key,
    cells_where,
    flag_rate,
    is_small,
    mark_provisional,
    period_codes,
    period_hierarchy,
    primary,
    protect,
    protect_consistently,
    set_flag,
)

COMMUNES = ["A", "B", "C"]


def commune_table(values: dict[tuple[str, str], int], column: str, codes: list[str], total: str):
    """Communes A, B, C and region R crossed with ``codes`` plus their total, in long form."""
    records = []
    for commune in [*COMMUNES, "R"]:
        for code in [*codes, total]:
            communes = COMMUNES if commune == "R" else [commune]
            picked = codes if code == total else [code]
            records.append((commune, code, sum(values[(c, k)] for c in communes for k in picked)))
    return pl.DataFrame(records, schema=["commune", column, "n"], orient="row")


def suppressed_cells(
    frame: pl.DataFrame, dims: list[DimSpec], count_col: str
) -> frozenset[CellKey]:
    """Keys of the cells flagged ``c``: what another table takes as must-suppress cells."""
    return cells_where(frame, dims, pl.col(f"{count_col}_flag") == "c")


def hidden(frame: pl.DataFrame, *columns: str) -> set[tuple[str, ...]]:
    rows = frame.filter(pl.col("n_flag") == "c").select(columns).rows()
    return {tuple(row) for row in rows}


COMMUNE_DIM = DimSpec("commune", Hierarchy.flat("R", COMMUNES))
SEX_DIMS = [COMMUNE_DIM, DimSpec("sex", Hierarchy.flat("T", ["F", "M", "X"]))]


def test_hand_checked_commune_by_sex_table() -> None:
    """
           F    M   X    T        primary: A-F 3, B-X 1, R-X 1
      A    3   25   0   28        R-F = A-F+B-F+C-F has one hidden → smallest other: C-F 12
      B   30   40   1   71        A-T = A-F+A-M+A-X → A-M 25 (A-X is 0, A-T 28 is bigger)
      C   12   15   0   27        B-T → B-F 30;  C-T (C-F now hidden) → C-M 15
      R   45   80   1  126        R-T = R-F+R-M+R-X → R-F 45; then every relation has ≥ 2 hidden
    The LP then gives A-F ∈ [0, 15], the narrowest interval, which is wide enough: no more.
    """
    values = {("A", "F"): 3, ("A", "M"): 25, ("A", "X"): 0}
    values |= {("B", "F"): 30, ("B", "M"): 40, ("B", "X"): 1}
    values |= {("C", "F"): 12, ("C", "M"): 15, ("C", "X"): 0}
    truth = commune_table(values, "sex", ["F", "M", "X"], "T")
    published = protect(truth, SEX_DIMS, "n")
    expected = {("A", "F"), ("A", "M"), ("B", "F"), ("B", "X")}
    expected |= {("C", "F"), ("C", "M"), ("R", "F"), ("R", "X")}
    assert hidden(published, "commune", "sex") == expected
    assert published.filter(pl.col("n_flag") == "c")["n"].null_count() == len(expected)
    shown = published.filter(pl.col("n_flag").is_null()).join(truth, on=["commune", "sex"])
    assert shown.height == truth.height - len(expected)
    assert (shown["n"] == shown["n_right"]).all()
    assert published.filter(pl.col("sex") == "X", pl.col("commune").is_in(["A", "C"]))[
        "n"
    ].to_list() == [0, 0]
    intervals = {(i.cell, i.lo, i.hi) for i in audit_intervals(published, SEX_DIMS, "n")}
    assert (("A", "F"), 0.0, 15.0) in intervals
    assert (("C", "M"), 12.0, 27.0) in intervals
    assert min(i.width for i in audit_intervals(published, SEX_DIMS, "n")) == 15.0


def test_audit_catches_what_the_singleton_rule_misses() -> None:
    """T 32 = a 1 + b 1 + c 30: two hidden cells, yet a + b = 2 pins both; c must go too.

    The hidden-sum rule sees this one (the hidden children of a published total add up to
    less than the threshold); the audit sees it without that rule.
    """
    truth = pl.DataFrame({"k": ["T", "a", "b", "c"], "n": [32, 1, 1, 30]})
    dims = [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))]
    by_sum_rule = protect(truth, dims, "n", audit=False)
    assert hidden(by_sum_rule, "k") == {("a",), ("b",), ("c",)}
    weak = protect(truth, dims, "n", audit=False, sum_rule=False)
    assert hidden(weak, "k") == {("a",), ("b",)}
    assert [(i.cell, i.lo, i.hi) for i in audit_intervals(weak, dims, "n")] == [
        (("a",), 0.0, 2.0),
        (("b",), 0.0, 2.0),
    ]
    strong = protect(truth, dims, "n", sum_rule=False)
    assert hidden(strong, "k") == {("a",), ("b",), ("c",)}
    assert all(i.width >= 10 for i in audit_intervals(strong, dims, "n"))


def calendar_frame(monthly: list[int]) -> pl.DataFrame:
    records = [("2024", sum(monthly))]
    records += [(f"2024-Q{q + 1}", sum(monthly[3 * q : 3 * q + 3])) for q in range(4)]
    records += [(f"2024-{m + 1:02d}", value) for m, value in enumerate(monthly)]
    return pl.DataFrame(records, schema=["period", "n"], orient="row")


def test_month_quarter_year() -> None:
    """January 3 is hidden; Q1 = Jan + Feb + Mar then needs February (20, the smallest)."""
    dims = [DimSpec("period", period_hierarchy([2024]))]
    published = protect(calendar_frame([3, 20, 25] + [30] * 9), dims, "n")
    assert hidden(published, "period") == {("2024-01",), ("2024-02",)}
    # January 3 and February 1 hidden, but Jan + Feb = Q1 - Mar = 4: March (40) goes too.
    published = protect(calendar_frame([3, 1, 40] + [30] * 9), dims, "n")
    assert hidden(published, "period") == {("2024-01",), ("2024-02",), ("2024-03",)}
    # A small quarter: Q1 = 6 hidden, so the year needs a second hidden quarter (Q2, 90).
    published = protect(calendar_frame([2, 2, 2] + [30] * 9), dims, "n")
    assert {("2024-Q1",), ("2024-Q2",)} <= hidden(published, "period")
    assert all(i.width >= 10 for i in audit_intervals(published, dims, "n"))


def test_period_helpers() -> None:
    assert period_codes(date(2024, 11, 1)) == ("2024", "2024-Q4", "2024-11")
    calendar = period_hierarchy([2025, 2024])
    assert calendar.relations[0] == ("2024", ("2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"))
    assert calendar.relations[1] == ("2024-Q1", ("2024-01", "2024-02", "2024-03"))
    assert calendar.total is None  # two years, no overall total
    assert period_hierarchy([2024], quarters=False).relations[0][1][-1] == "2024-12"


def test_tables_without_small_cells_are_unchanged() -> None:
    values = {
        (c, s): v
        for (c, s), v in zip(
            [(c, s) for c in COMMUNES for s in ["F", "M", "X"]],
            [10, 20, 0, 0, 0, 0, 33, 12, 10],
            strict=True,
        )
    }
    truth = commune_table(values, "sex", ["F", "M", "X"], "T")
    published = protect(truth, SEX_DIMS, "n")
    assert published.select("commune", "sex", "n").equals(truth)
    assert published["n_flag"].null_count() == truth.height
    assert published.schema["n"] == pl.Int64 and published.schema["n_flag"] == pl.String


def test_threshold_is_configurable() -> None:
    truth = pl.DataFrame({"k": ["T", "a", "b", "c"], "n": [44, 6, 30, 8]})
    dims = [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))]
    assert hidden(protect(truth, dims, "n", threshold=5), "k") == set()
    assert hidden(protect(truth, dims, "n", threshold=7, min_width=7), "k") == {("a",), ("c",)}


def test_zero_totals_and_zero_cells_stay_published() -> None:
    truth = pl.DataFrame({"k": ["T", "a", "b"], "n": [0, 0, 0]})
    published = protect(truth, [DimSpec("k", Hierarchy.flat("T", ["a", "b"]))], "n")
    assert published["n"].to_list() == [0, 0, 0]
    assert published["n_flag"].null_count() == 3


def test_null_counts_are_not_available_and_existing_flags_are_kept() -> None:
    truth = pl.DataFrame(
        {
            "k": ["T", "a", "b", "c"],
            "n": [None, 4, 30, None],
            "n_flag": [None, "p", "p", "e"],
        },
        schema_overrides={"n": pl.Int64},
    )
    published = protect(truth, [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))], "n")
    assert published["n_flag"].to_list() == [":", "c", "p", ":"]
    assert published["n"].to_list() == [None, None, 30, None]


def test_declared_relations_must_add_up() -> None:
    truth = pl.DataFrame({"k": ["T", "a", "b"], "n": [50, 20, 20]})
    with pytest.raises(NotAdditiveError, match="add up to 40"):
        protect(truth, [DimSpec("k", Hierarchy.flat("T", ["a", "b"]))], "n")


def test_missing_children_count_as_zero_and_lone_totals_have_no_relation() -> None:
    """b is absent (0): T 25 = a 5 + c 20, so c must hide with a. Commune B is not split by sex."""
    truth = pl.DataFrame(
        {
            "commune": ["A", "A", "A", "B"],
            "sex": ["T", "F", "X", "T"],
            "n": [25, 5, 20, 7],
        }
    )
    dims = [DimSpec("commune"), DimSpec("sex", Hierarchy.flat("T", ["F", "M", "X"]))]
    published = protect(truth, dims, "n")
    assert hidden(published, "commune", "sex") == {("A", "F"), ("A", "X"), ("B", "T")}


def test_duplicate_cells_are_refused() -> None:
    truth = pl.DataFrame({"k": ["a", "a"], "n": [20, 20]})
    with pytest.raises(ValueError, match="duplicate cell"):
        protect(truth, [DimSpec("k")], "n")


def test_total_code_alone_means_sum_of_the_other_codes() -> None:
    truth = pl.DataFrame({"age": ["_T", "y", "o"], "n": [40, 3, 37]})
    published = protect(truth, [DimSpec("age", total="_T")], "n")
    assert hidden(published, "age") == {("y",), ("o",)}


def test_cell_keys_match_across_tables() -> None:
    age_dims = [COMMUNE_DIM, DimSpec("age", total="_T")]
    assert cell_key({"commune": "A", "sex": "T"}, SEX_DIMS) == cell_key(
        {"commune": "A", "age": "_T"}, age_dims
    )
    assert cell_key({"commune": "R", "sex": "T"}, SEX_DIMS) == frozenset()
    assert cell_key({"commune": "A", "sex": "F"}, SEX_DIMS) == frozenset(
        {("commune", "A"), ("sex", "F")}
    )


def test_must_suppress_hides_a_large_cell_with_its_complement() -> None:
    truth = pl.DataFrame({"k": ["T", "a", "b", "c"], "n": [90, 30, 25, 35]})
    dims = [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))]
    published = protect(truth, dims, "n", must_suppress={frozenset({("k", "a")})})
    assert hidden(published, "k") == {("a",), ("b",)}
    assert suppressed_cells(published, dims, "n") == {
        frozenset({("k", "a")}),
        frozenset({("k", "b")}),
    }


SEX_VALUES = {("A", "F"): 12, ("A", "M"): 2, ("B", "F"): 0, ("B", "M"): 12}
SEX_VALUES |= {("C", "F"): 0, ("C", "M"): 12}
AGE_VALUES = {("A", "y"): 6, ("A", "o"): 8, ("B", "y"): 9, ("B", "o"): 3}
AGE_VALUES |= {("C", "y"): 12, ("C", "o"): 0}


def test_shared_cells_are_hidden_in_every_table() -> None:
    """
    By sex:   F   M   T        A-M 2 hidden; R-M → B-M 12; A-T → A-F 12; B-T → B-T 12 (B-F is 0);
        A    12   2  14        R-F → R-F 12; R-T (by commune) → C-T 12; C-T → C-M; R-T (by sex)
        B     0  12  12        → R-M. The commune totals of B and C are hidden.
        C     0  12  12
        R    12  26  38
    By age:   y   o  _T        alone, the four small cells protect each other (intervals ≥ 11)
        A     6   8  14        and the commune totals 12 of B and C would be published:
        B     9   3  12        together, they are hidden in both tables.
        C    12   0  12
        R    27  11  38
    """
    by_sex = commune_table(SEX_VALUES, "sex", ["F", "M"], "T")
    by_age = commune_table(AGE_VALUES, "age", ["y", "o"], "_T")
    sex_dims = [COMMUNE_DIM, DimSpec("sex", Hierarchy.flat("T", ["F", "M"]))]
    age_dims = [COMMUNE_DIM, DimSpec("age", total="_T")]
    alone_sex = protect(by_sex, sex_dims, "n")
    alone_age = protect(by_age, age_dims, "n")
    sex_expected = {("A", "F"), ("A", "M"), ("B", "M"), ("B", "T")}
    sex_expected |= {("C", "M"), ("C", "T"), ("R", "F"), ("R", "M")}
    assert hidden(alone_sex, "commune", "sex") == sex_expected
    assert hidden(alone_age, "commune", "age") == {("A", "y"), ("A", "o"), ("B", "y"), ("B", "o")}

    together = protect_consistently(
        {"by_sex": TableSpec(by_sex, sex_dims, "n"), "by_age": TableSpec(by_age, age_dims, "n")}
    )
    shared: set[CellKey] = {frozenset({("commune", c)}) for c in COMMUNES} | {frozenset()}
    sex_hidden = suppressed_cells(together["by_sex"], sex_dims, "n")
    age_hidden = suppressed_cells(together["by_age"], age_dims, "n")
    assert sex_hidden & shared == age_hidden & shared
    assert {frozenset({("commune", "B")}), frozenset({("commune", "C")})} <= age_hidden
    assert all(i.width >= 10 for i in audit_intervals(together["by_age"], age_dims, "n"))
    assert all(i.width >= 10 for i in audit_intervals(together["by_sex"], sex_dims, "n"))


def test_iterating_table_by_table_with_must_suppress() -> None:
    by_sex = commune_table(SEX_VALUES, "sex", ["F", "M"], "T")
    by_age = commune_table(AGE_VALUES, "age", ["y", "o"], "_T")
    sex_dims = [COMMUNE_DIM, DimSpec("sex", Hierarchy.flat("T", ["F", "M"]))]
    age_dims = [COMMUNE_DIM, DimSpec("age", total="_T")]
    first = suppressed_cells(protect(by_sex, sex_dims, "n"), sex_dims, "n")
    second = protect(by_age, age_dims, "n", must_suppress=first)
    assert ("B", "_T") in hidden(second, "commune", "age")
    assert ("C", "_T") in hidden(second, "commune", "age")


def test_shared_cells_must_agree() -> None:
    by_sex = commune_table(SEX_VALUES, "sex", ["F", "M"], "T")
    other = {key: value + 1 for key, value in AGE_VALUES.items()}
    by_age = commune_table(other, "age", ["y", "o"], "_T")
    tables = {
        "by_sex": TableSpec(by_sex, [COMMUNE_DIM, DimSpec("sex", total="T")], "n"),
        "by_age": TableSpec(by_age, [COMMUNE_DIM, DimSpec("age", total="_T")], "n"),
    }
    with pytest.raises(ValueError, match="in one table"):
        protect_consistently(tables)


def test_provisional_flags_keep_the_value_and_lose_to_confidential() -> None:
    frame = pl.DataFrame({"k": ["a", "b"], "n": [None, 30], "n_flag": ["c", None]})
    frame = frame.with_columns(pl.col("n").cast(pl.Int64))
    marked = mark_provisional(frame, ["n"], pl.lit(True))
    assert marked["n_flag"].to_list() == ["c", "p"]
    assert marked["n"].to_list() == [None, 30]
    confidential = set_flag(marked, "n", "c", pl.col("k") == "b")
    assert confidential["n_flag"].to_list() == ["c", "c"]
    assert confidential["n"].to_list() == [None, None]
    with pytest.raises(ValueError, match="unknown flag"):
        set_flag(frame, "n", "x", pl.lit(True))


def test_rates_with_small_denominators() -> None:
    frame = pl.DataFrame(
        {
            "k": ["a", "b", "c", "d"],
            "placed": [12, 30, 0, None],
            "trained": [15, 40, 0, 50],
            "rate": [0.8, 0.75, None, 0.1],
            "placed_flag": [None, None, None, "c"],
            "trained_flag": [None, None, None, None],
        }
    ).with_columns(pl.col("trained_flag").cast(pl.String))
    protected = flag_rate(frame, "rate", "placed", "trained", min_denominator=20)
    assert protected["rate_flag"].to_list() == ["c", None, ":", "c"]
    assert protected["rate"].to_list() == [None, 0.75, None, None]
    # counts are not touched: the numerator of a small denominator is hidden by `protect`
    assert protected["placed"].to_list() == [12, 30, 0, None]


def test_small_denominator_numerators_get_secondary_suppression() -> None:
    """Denominator 15 under 20: numerator 12 of a must go, and with it b's (via T)."""
    truth = pl.DataFrame(
        {
            "k": ["T", "a", "b", "c"],
            "placed": [82, 12, 30, 40],
            "trained": [115, 15, 50, 50],
        }
    ).with_columns((pl.col("placed") / pl.col("trained")).alias("rate"))
    dims = [DimSpec("k", Hierarchy.flat("T", ["a", "b", "c"]))]
    small = cells_where(truth, dims, is_small(pl.col("trained"), 20))
    assert small == {frozenset({("k", "a")})}
    published = protect(truth, dims, "placed", must_suppress=small)
    published = protect(published, dims, "trained")
    published = flag_rate(published, "rate", "placed", "trained", min_denominator=20)
    assert published.filter(pl.col("placed_flag") == "c")["k"].to_list() == ["a", "b"]
    assert published.filter(pl.col("rate_flag") == "c")["k"].to_list() == ["a", "b"]
    assert published["trained"].to_list() == [115, 15, 50, 50]
    assert published.filter(pl.col("k") == "c")["rate"].to_list() == [0.8]


def test_primary_rule_is_one_rule_for_expressions_arrays_and_numbers() -> None:
    """0 < v < threshold: zeros are published, NULL is not available, forced cells go too."""
    values = [None, 0.0, 3.0, 9.0, 10.0, 25.0]
    assert primary(values, 10, forced=[5]) == [
        NOT_AVAILABLE,
        PUBLISHED,
        SUPPRESSED,
        SUPPRESSED,
        PUBLISHED,
        SUPPRESSED,
    ]
    assert primary([None], 10, forced=[0]) == [NOT_AVAILABLE]  # nothing to hide
    as_numbers = [is_small(v, 10) for v in values]
    as_array = is_small(np.array(values, dtype=np.float64), 10).tolist()
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Float64})
    as_expr = frame.select(is_small(pl.col("v"), 10).fill_null(False)).to_series().to_list()
    assert as_numbers == as_array == as_expr == [False, False, True, True, False, False]
