"""The engine's entry points: primary rule, secondary suppression and audit, write-back.

One path for every caller: `primary` gives each cell its first status (rule 1), `solve` adds
the complementary suppressions (the two rules of `pipelines.disclosure.secondary`, then the
LP audit of `pipelines.disclosure.solver` when asked), and `hidden_rows` / `write_back` read
the result back per table. `pipelines.protection` drives it for the marts; `protect_consistently`
and `protect` are the same path for polars tables with `CellKey`s (and the tests' way in).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.disclosure.flags import (
    FLAG_CONFIDENTIAL,
    FLAG_NOT_AVAILABLE,
    combine_flags,
    flag_column,
    is_small,
)
from pipelines.disclosure.model import (
    NOT_AVAILABLE,
    PUBLISHED,
    SUPPRESSED,
    CellInterval,
    CellKey,
    DimSpec,
    TableSpec,
)
from pipelines.disclosure.problem import Problem
from pipelines.disclosure.secondary import secondary
from pipelines.disclosure.solver import Solver


@dataclass(frozen=True)
class Rules:
    """How hard to protect one system.

    ``threshold``: counts ``0 < v < threshold`` are hidden. ``min_width``: the narrowest
    interval an attacker may reach for a hidden cell (default: threshold). ``sum_rule``: the
    hidden-sum rule of secondary suppression (off: the singleton rule only). ``audit``: the LP
    attacker then adds suppressions until every interval is wide enough (off: the rules only,
    for systems too big for it), with at most ``max_trials`` candidates per repair and
    ``max_rounds`` repairs (default: one per cell).
    """

    threshold: float = 10
    min_width: float | None = None
    sum_rule: bool = True
    audit: bool = True
    max_trials: int = 25
    max_rounds: int | None = None

    @property
    def width(self) -> float:
        return self.threshold if self.min_width is None else self.min_width


def primary(
    values: Sequence[float | None], threshold: float, forced: Iterable[int] = ()
) -> list[int]:
    """Rule 1: each cell's status before secondary suppression. A NULL count is not available;
    a small count (`is_small`) or a ``forced`` cell (suppressed elsewhere, the numerator of a
    small-denominator rate) is suppressed; the rest is published."""
    value = np.array(values, dtype=np.float64)  # None -> nan
    small = is_small(value, threshold)
    wanted = np.fromiter(forced, dtype=np.int64)
    if len(wanted):
        small[wanted] = True
    return np.where(np.isnan(value), NOT_AVAILABLE, np.where(small, SUPPRESSED, PUBLISHED)).tolist()


def solve(problem: Problem, status: list[int], rules: Rules) -> None:
    """Secondary suppression of ``status`` (in place): the rules to a fixpoint, then the audit."""
    if rules.sum_rule:
        secondary(problem, status, rules.width)
    if rules.sum_rule and not rules.audit:
        return  # `secondary` already applied the singleton rule to a fixpoint
    solver = Solver(problem, status, rules.width)
    solver.heuristic()
    if rules.audit:
        rounds = rules.max_rounds if rules.max_rounds is not None else len(status) + 1
        solver.repair(rules.max_trials, rounds)


def hidden_rows(problem: Problem, status: Sequence[int], name: str) -> np.ndarray:
    """Which rows of table ``name`` are suppressed (a boolean per row)."""
    return np.asarray(status)[np.asarray(problem.rows[name], dtype=np.int64)] == SUPPRESSED


def write_back(spec: TableSpec, indexes: list[int], status: list[int]) -> pl.DataFrame:
    """The frame with its count nulled where hidden and its flag column (``c`` suppressed,
    ``:`` not available; a stronger flag already there is kept)."""
    frame = spec.frame
    flags = flag_column(spec.count_col)
    old = frame.get_column(flags).to_list() if flags in frame.columns else [None] * frame.height
    new_flags = []
    hidden = []
    for index, previous in zip(indexes, old, strict=True):
        state = status[index]
        new = (
            FLAG_CONFIDENTIAL
            if state == SUPPRESSED
            else FLAG_NOT_AVAILABLE
            if state == NOT_AVAILABLE
            else None
        )
        new_flags.append(combine_flags(previous, new))
        hidden.append(state != PUBLISHED)
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
    sum_rule: bool = True,
    max_trials: int = 25,
    max_rounds: int | None = None,
    check_additivity: bool = True,
) -> dict[str, pl.DataFrame]:
    """Protect linked tables as one system: a cell shared by two tables is hidden in both.

    Returns each frame with its count column nulled where suppressed and a ``<count>_flag``
    column (``c`` suppressed, ``:`` count was null, existing flags kept unless outranked).
    ``must_suppress``: cell keys hidden whatever their value (suppressed elsewhere, numerators
    of small-denominator rates). The other settings: `Rules`.
    """
    rules = Rules(threshold, min_width, sum_rule, audit, max_trials, max_rounds)
    problem = Problem(tables, check_additivity=check_additivity)
    forced = {problem.index[key] for key in must_suppress if key in problem.index}
    status = primary(problem.values, threshold, sorted(forced))
    solve(problem, status, rules)
    return {name: write_back(spec, problem.rows[name], status) for name, spec in tables.items()}


def protect(
    frame: pl.DataFrame,
    dims: Sequence[DimSpec],
    count_col: str,
    threshold: float = 10,
    *,
    min_width: float | None = None,
    must_suppress: Collection[CellKey] = (),
    audit: bool = True,
    sum_rule: bool = True,
    max_trials: int = 25,
    max_rounds: int | None = None,
    check_additivity: bool = True,
) -> pl.DataFrame:
    """`protect_consistently` of one table."""
    protected = protect_consistently(
        {"table": TableSpec(frame, dims, count_col)},
        threshold,
        min_width=min_width,
        must_suppress=must_suppress,
        audit=audit,
        sum_rule=sum_rule,
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
    problem = Problem({"table": spec}, check_additivity=False)
    flags_name = flag_column(count_col)
    flags = (
        frame.get_column(flags_name).to_list()
        if flags_name in frame.columns
        else [None] * frame.height
    )
    status = [PUBLISHED] * len(problem.values)
    for index, flag in zip(problem.rows["table"], flags, strict=True):
        if problem.values[index] is None:
            status[index] = NOT_AVAILABLE if flag == FLAG_NOT_AVAILABLE else SUPPRESSED
    solver = Solver(problem, status, 0.0)
    columns = [dim.column for dim in dims]
    coords = frame.select(columns).rows()
    result = []
    for row, index in zip(coords, problem.rows["table"], strict=True):
        if status[index] == SUPPRESSED:
            lo, hi = solver.interval(index)
            result.append(CellInterval(tuple(row), lo, hi))
    return result
