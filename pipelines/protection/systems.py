"""Systems of linked tables: the marts' cells in long form, handed to `pipelines.disclosure`.

A system is one or several `Table`s whose cells are tied by additive relations; a mart is cut
into systems that share no relation (one per year, per measure set), each protected by the
engine's one path (`disclosure.primary`, `disclosure.solve`). Hidden cells come back as
``(_row, _measure)`` pairs and, per mart column, as row numbers (`Hidden`).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import MartSpec

AUDIT_MAX_CELLS = 150  # LP audit for systems up to this many cells (cost grows ~quadratically)
TOTAL = "_T"
NO_TOTAL = "\x00"  # a total code no cell has: the dimension stays in every cell key

Hidden = dict[str, set[int]]  # column -> row numbers (``_row``) of the mart whose value is hidden


@dataclass
class Table:
    """One table of a system: long frame with ``_row`` and ``_measure`` columns plus ``value``."""

    frame: pl.DataFrame
    dims: list[dc.DimSpec]


@dataclass
class Settings:
    """Protection settings of one publish, and what its systems share (statistics, layouts)."""

    threshold: float
    min_denominator: float
    audit_max_cells: int = AUDIT_MAX_CELLS
    stats: dict[str, int] = field(default_factory=lambda: {"systems": 0, "audited": 0})
    layouts: dict[Hashable, dc.Problem] = field(default_factory=dict)  # see `solve`


def solve(
    tables: dict[str, Table],
    must: set[tuple[int, str]],
    cfg: Settings,
    layout: Hashable | None = None,
) -> set[tuple[int, str]]:
    """Protect linked tables; return the hidden (``_row``, ``_measure``) pairs as tagged keys.

    ``must``: (row, measure) pairs hidden whatever their value (rates with small denominators,
    cells hidden in another mart). Raises `dc.NotAdditiveError` when a declared relation does
    not add up, so that the caller can drop it. ``layout``: a key the caller gives to systems
    with the very same cells (same tables, rows, dimension codes; another measure): the first
    one built is reused for the others with their counts (`dc.Problem.refilled`).
    """
    # A frame holding only its dimensions, value and ``_row`` (the usual case) is taken as it
    # is: another column could be read as a dimension of another table, ``_row`` never is.
    specs = {
        name: dc.TableSpec(
            t.frame
            if set(t.frame.columns) <= {d.column for d in t.dims} | {"value", "_row"}
            else t.frame.select([d.column for d in t.dims] + ["value"]),
            t.dims,
            "value",
        )
        for name, t in tables.items()
    }
    base = cfg.layouts.get(layout) if layout is not None else None
    if base is not None:
        problem = base.refilled(specs, check_additivity=True)
    else:
        problem = dc.Problem(specs, check_additivity=True)
        if layout is not None:
            cfg.layouts[layout] = problem
    forced: list[int] = []
    if must:
        wanted = pl.DataFrame(
            list(must), schema={"_row": pl.Int64, "_measure": pl.String}, orient="row"
        )
        for name, t in tables.items():
            keys = t.frame.select(pl.col("_row").cast(pl.Int64), pl.col("_measure").cast(pl.String))
            hit = keys.with_row_index("_i").join(wanted, on=["_row", "_measure"], how="semi")
            cells = np.asarray(problem.rows[name], dtype=np.int64)
            forced.extend(cells[hit.get_column("_i").to_numpy()].tolist())
    status = dc.primary(problem.values, cfg.threshold, forced)
    audit = len(problem.values) <= cfg.audit_max_cells
    dc.solve(problem, status, dc.Rules(cfg.threshold, audit=audit))
    cfg.stats["systems"] += 1
    if audit and dc.SUPPRESSED in status:
        cfg.stats["audited"] += 1
    result: set[tuple[int, str]] = set()
    for name, t in tables.items():
        rows = t.frame.filter(pl.Series(dc.hidden_rows(problem, status, name), dtype=pl.Boolean))
        result.update(zip(rows["_row"].to_list(), rows["_measure"].to_list(), strict=True))
    return result


def melt(frame: pl.DataFrame, dims: Sequence[str], measures: dict[str, str]) -> pl.DataFrame:
    """Long form: one row per (mart row, measure); ``measures`` maps column -> measure code."""
    parts = [
        frame.select(
            *dims,
            "_row",
            pl.lit(code).alias("_measure"),
            pl.col(column).cast(pl.Float64).alias("value"),
        )
        for column, code in measures.items()
    ]
    return pl.concat(parts)


def measure_dim(relations: Mapping[str, Sequence[str]] | None) -> dc.DimSpec:
    """Measures as a dimension; a single root is the total (so a leaver_count cell has the
    same key as the leaver_count of a table without the other measures)."""
    if not relations:
        return dc.DimSpec("_measure")
    hierarchy = dc.Hierarchy.tree(relations)
    total = hierarchy.total
    return dc.DimSpec("_measure", hierarchy, total if total is not None else NO_TOTAL)


def period_dim(year: int, additive: bool) -> dc.DimSpec:
    """Periods of a year; with ``additive``, year = quarters = months."""
    if not additive:
        return dc.DimSpec("period")
    return dc.DimSpec("period", dc.period_hierarchy([year]), f"{year:04d}")


def solve_or_split(
    build: Callable[[bool], list[dict[str, Table]]],
    must: set[tuple[int, str]],
    cfg: Settings,
    layout: Hashable | None = None,
) -> set[tuple[int, str]]:
    """Solve the systems ``build(True)`` (with period relations); if a period relation does not
    add up (a stock over the period), solve ``build(False)`` (each period on its own).
    ``layout``: see `solve` (the same for builds whose systems have the same cells)."""
    hidden: set[tuple[int, str]] = set()
    try:
        for number, system in enumerate(build(True)):
            key = None if layout is None else (layout, True, number)
            hidden |= solve(system, must, cfg, key)
    except dc.NotAdditiveError:
        hidden = set()
        for number, system in enumerate(build(False)):
            key = None if layout is None else (layout, False, number)
            hidden |= solve(system, must, cfg, key)
    return hidden


def small_denominator(
    frame: pl.DataFrame, rates: dict[str, tuple[str, str]], cfg: Settings, codes: dict[str, str]
) -> set[tuple[int, str]]:
    """Numerators whose rate is hidden for a small denominator: they must be hidden too."""
    must: set[tuple[int, str]] = set()
    for numerator, denominator in rates.values():
        if numerator not in codes or denominator not in frame.columns:
            continue
        rows = frame.filter(dc.is_small(pl.col(denominator), cfg.min_denominator))["_row"].to_list()
        must.update((row, codes[numerator]) for row in rows)
    return must


def hidden_by_column(pairs: Iterable[tuple[int, str]], codes: dict[str, str]) -> Hidden:
    """``(_row, _measure)`` pairs as hidden rows per mart column (``codes``: column -> measure);
    rows below 0 are cells no mart row holds (parts an attacker could compute)."""
    back = {code: column for column, code in codes.items()}
    out: Hidden = {}
    for row, code in pairs:
        column = back.get(code)
        if column is not None and row >= 0:
            out.setdefault(column, set()).add(row)
    return out


def merge(into: Hidden, other: Hidden) -> None:
    """Add the hidden rows of ``other`` to ``into``, column by column."""
    for column, rows in other.items():
        into.setdefault(column, set()).update(rows)


def primary_hidden(frame: pl.DataFrame, columns: Iterable[str], cfg: Settings) -> Hidden:
    """Primary suppression only (columns in no equation, e.g. distinct persons)."""
    out: Hidden = {}
    for column in columns:
        if column in frame.columns:
            small = dc.is_small(pl.col(column), cfg.threshold)
            out[column] = set(frame.filter(small)["_row"].to_list())
    return out


def pool_dim(spec: MartSpec) -> dc.DimSpec:
    """Pools as a dimension; its ``_T`` is their sum unless pools overlap."""
    additive = "pool_id" in spec.totals and "pool_id" not in spec.non_additive_totals
    return dc.DimSpec("pool_id", total=TOTAL if additive else None)
