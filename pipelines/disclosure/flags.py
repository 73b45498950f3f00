"""Flags and the rules on single values: which value is small, which derived value is hidden.

Why here: the primary rule (a count of 1 to ``threshold - 1`` persons is hidden), the
small-denominator rule and the rules for rates, medians and ratios are each written once, for
polars expressions, numpy arrays and Python numbers alike, and every caller (the secondary
suppression of `pipelines.disclosure.api`, the marts' protection in `pipelines.protection`,
the pool-manager tier) goes through them.

One flag per value, in a ``<column>_flag`` column: ``c`` confidential, ``:`` not available,
``b`` break in series, ``e`` estimated, ``p`` provisional, NULL for none. When several apply the
strongest wins in that order; ``c`` and ``:`` always come with a NULL value, never the true one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

import numpy as np
import polars as pl

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
FLAG_RANK = {flag: rank for rank, flag in enumerate(FLAG_PRECEDENCE)}
NULLING_FLAGS = frozenset({FLAG_CONFIDENTIAL, FLAG_NOT_AVAILABLE})


def flag_column(value_col: str) -> str:
    """Name of the flag column that goes with a value column."""
    return f"{value_col}_flag"


Small = TypeVar("Small", pl.Expr, np.ndarray)


@overload
def is_small(value: Small, threshold: float) -> Small: ...
@overload
def is_small(value: float | None, threshold: float) -> bool: ...
def is_small(value: Any, threshold: float) -> Any:
    """The primary rule: ``0 < value < threshold`` (a count of 1 to 9 persons at 10).

    Zeros are published (nobody to point at); NULL is not small (it is not available). Works
    on a polars expression, a numpy array or a Python number; for a rate's denominator
    ``threshold`` is the minimum denominator.
    """
    if value is None:
        return False
    if isinstance(value, pl.Expr):
        return (value > 0) & (value < threshold)
    if isinstance(value, np.ndarray):
        return (value > 0) & (value < threshold)
    return bool(0 < value < threshold)


def is_confidential(value_col: str) -> pl.Expr:
    """True where ``value_col`` is flagged ``c`` (its flag column must exist)."""
    return (pl.col(flag_column(value_col)) == FLAG_CONFIDENTIAL).fill_null(False)


def combine_flags(old: str | None, new: str | None) -> str | None:
    if old is None:
        return new
    if new is None:
        return old
    return (
        old
        if FLAG_RANK.get(old, len(FLAG_PRECEDENCE)) <= FLAG_RANK.get(new, len(FLAG_PRECEDENCE))
        else new
    )


def set_flag(frame: pl.DataFrame, value_col: str, flag: str, where: pl.Expr) -> pl.DataFrame:
    """Set ``flag`` on the rows matching ``where`` unless a stronger flag is already there.

    ``c`` and ``:`` also null the value (a confidential cell is published as NULL, never as its
    true value); ``p``, ``e`` and ``b`` keep it.
    """
    if flag not in FLAG_RANK:
        raise ValueError(f"unknown flag {flag!r}; expected one of {FLAG_PRECEDENCE}")
    flags = flag_column(value_col)
    existing = pl.col(flags) if flags in frame.columns else pl.lit(None, dtype=pl.String)
    rank = existing.replace_strict(FLAG_RANK, default=len(FLAG_PRECEDENCE), return_dtype=pl.Int64)
    takes = where & (existing.is_null() | (rank > FLAG_RANK[flag]))
    frame = frame.with_columns(
        pl.when(takes).then(pl.lit(flag)).otherwise(existing).cast(pl.String).alias(flags)
    )
    if flag in NULLING_FLAGS:
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


def _hide_derived(frame: pl.DataFrame, column: str, hide: pl.Expr) -> pl.DataFrame:
    """``c`` where ``hide``, ``:`` where the value is NULL otherwise."""
    frame = set_flag(frame, column, FLAG_CONFIDENTIAL, hide)
    return set_flag(frame, column, FLAG_NOT_AVAILABLE, pl.col(column).is_null() & ~hide)


def flag_rate(
    frame: pl.DataFrame, rate: str, numerator: str, denominator: str, min_denominator: float
) -> pl.DataFrame:
    """A rate is hidden when its denominator is small (under ``min_denominator``) or when its
    numerator or denominator is hidden (either one recovers the other through the rate); a
    NULL rate otherwise (zero denominator) is ``:``. Both counts must have their flag column.

    The numerator of a small-denominator rate must be hidden too, or numerator/denominator
    give the rate back: pass the rows `is_small(denominator, min_denominator)` as cells to
    suppress to the secondary suppression of the numerator's system before this.
    """
    small = is_small(pl.col(denominator), min_denominator).fill_null(False)
    hide = (small | is_confidential(numerator) | is_confidential(denominator)).fill_null(False)
    return _hide_derived(frame, rate, hide)


def flag_median(frame: pl.DataFrame, median: str, count: str, threshold: float) -> pl.DataFrame:
    """A median is hidden when the count it is taken over is small or hidden."""
    small = is_small(pl.col(count), threshold).fill_null(False)
    hide = (small | is_confidential(count)).fill_null(False)
    return _hide_derived(frame, median, hide)


def flag_ratio(frame: pl.DataFrame, ratio: str, numerator: str, denominator: str) -> pl.DataFrame:
    """A ratio (tension, per 1,000) is hidden when a protected part of it is hidden (a part
    without a flag column is not protected); a NULL ratio otherwise is ``:``."""
    hide = pl.lit(False)
    for part in (numerator, denominator):
        if flag_column(part) in frame.columns:
            hide = hide | is_confidential(part)
    return _hide_derived(frame, ratio, hide)
