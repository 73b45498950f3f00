"""Disclosure control of every mart while publishing: which published values become NULL + ``c``.

Why: the marts are exact counts of people; `pipelines/disclosure.py` knows how to protect one
system of additive tables, and this module knows the marts — which columns are person counts,
which relations tie their cells (``'_T'`` totals, commune → region ``04000``, month → quarter →
year, one column as the sum of others) and which cells are the same figure in two marts. It cuts
each mart into systems that share no relation, protects them, and writes ``marts.<name>`` into
published.duckdb with a ``<column>_flag`` after each protected column.

Decisions (see also docs/marts.md and the module docstring of `pipelines.disclosure`):

- Kinds come from the catalogue (`pipelines.catalogue.mart_specs`). Person counts from 1 to
  ``threshold - 1`` are suppressed. Counts of vacancies, activities and hours (kind ``count``)
  are not about persons and get no primary suppression; they are still hidden where they would
  give a hidden person count away (``gap_count``).
- Secondary suppression runs to a fixpoint on every declared relation: a relation may not have a
  single unknown member, and when its total is published the hidden members together must be at
  least ``threshold`` (else an attacker bounds each of them below it). Systems small enough are
  then audited by the LP attacker of `pipelines.disclosure` (``AUDIT_MAX_CELLS``), which adds
  suppressions until every hidden cell's interval is at least ``threshold`` wide; bigger systems
  (months x communes x pools) rely on the two rules, which is what keeps publishing within
  seconds. The relations declared are those that hold exactly: a period relation that does not
  add up on the data (``enrolment_count`` is a stock over the period) is dropped and each period
  is protected on its own.
- Systems: participation per year (all pools x all breakdowns x months/quarters/year), its
  leaver/completed/dropped-out columns as one system (leavers = completed + dropped out), jointly
  with mart_pool_placement's leaver_count (the same exits by pool and sex: one cell, one status).
  Placement per year (pool x sex x periods), its in_work_12m/own_sector/other_sector columns as
  one system (in work = own sector + other sector), jointly with mart_pool_placement_sector
  (first jobs by NACE section, whose ``_T`` is the placement's in_work_12m of the year).
  Supply-demand completers are participation's completed_count of the year: same status.
- Non-additive columns (distinct persons: trainee_count) get primary suppression only and are
  used in no equation. Averages of monthly job-seeker stocks are hidden when small or when any
  month they average is hidden (else stock = 12 x average difference gives it back).
- Rates: hidden when the denominator is under ``min_rate_denominator`` (their numerator then is
  a must-suppress cell of its system, so its totals are protected too) or when numerator or
  denominator is hidden. Medians: hidden when the count they are taken over is under the
  threshold or hidden. Ratios (tension, per-1000): hidden when numerator or denominator is
  hidden; a zero denominator gives ``:``.
- ``p`` marks every protected value of a row whose ``is_provisional`` is true (``c`` wins).
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
import numpy as np
import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import CATALOGUE_PATH, MartSpec, mart_specs
from pipelines.duck import PREVIOUS, copy_comments, frame_to_table, quote_literal
from pipelines.publish import PublishSettings

log = logging.getLogger(__name__)

AUDIT_MAX_CELLS = 150  # LP audit for systems up to this many cells (cost grows ~quadratically)
FLAG_COMMENT = "Flag of {column}: c confidential (value withheld), p provisional, NULL none"
REGION = "04000"
TOTAL = "_T"

Hidden = dict[str, set[int]]  # column -> row numbers (``_row``) of the mart whose value is hidden


@dataclass
class Table:
    """One table of a system: long frame with ``_row`` and ``_measure`` columns plus ``value``."""

    frame: pl.DataFrame
    dims: list[dc.DimSpec]


@dataclass
class Settings:
    threshold: float
    min_denominator: float
    audit_max_cells: int = AUDIT_MAX_CELLS
    stats: dict[str, int] = field(default_factory=lambda: {"systems": 0, "audited": 0})
    layouts: dict[Hashable, dc.Problem] = field(default_factory=dict)  # see `_solve`


# ---------------------------------------------------------------------------------------------
# One system of linked tables


def _solve(
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


# ---------------------------------------------------------------------------------------------
# Building tables


def _melt(frame: pl.DataFrame, dims: Sequence[str], measures: dict[str, str]) -> pl.DataFrame:
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


NO_TOTAL = "\x00"  # a total code no cell has: the dimension stays in every cell key


def _measure_dim(relations: Mapping[str, Sequence[str]] | None) -> dc.DimSpec:
    """Measures as a dimension; a single root is the total (so a leaver_count cell has the
    same key as the leaver_count of a table without the other measures)."""
    if not relations:
        return dc.DimSpec("_measure")
    hierarchy = dc.Hierarchy.tree(relations)
    total = hierarchy.total
    return dc.DimSpec("_measure", hierarchy, total if total is not None else NO_TOTAL)


def _period_dim(year: int, additive: bool) -> dc.DimSpec:
    if not additive:
        return dc.DimSpec("period")
    return dc.DimSpec("period", dc.period_hierarchy([year]), f"{year:04d}")


def _solve_or_split(
    build: Callable[[bool], list[dict[str, Table]]],
    must: set[tuple[int, str]],
    cfg: Settings,
    layout: Hashable | None = None,
) -> set[tuple[int, str]]:
    """Solve the systems ``build(True)`` (with period relations); if a period relation does not
    add up (a stock over the period), solve ``build(False)`` (each period on its own).
    ``layout``: see `_solve` (the same for builds whose systems have the same cells)."""
    hidden: set[tuple[int, str]] = set()
    try:
        for number, system in enumerate(build(True)):
            key = None if layout is None else (layout, True, number)
            hidden |= _solve(system, must, cfg, key)
    except dc.NotAdditiveError:
        hidden = set()
        for number, system in enumerate(build(False)):
            key = None if layout is None else (layout, False, number)
            hidden |= _solve(system, must, cfg, key)
    return hidden


def _small_denominator(
    frame: pl.DataFrame, rates: dict[str, tuple[str, str]], cfg: Settings, codes: dict[str, str]
) -> set[tuple[int, str]]:
    """Numerators whose rate is hidden for a small denominator: they must be hidden too."""
    must: set[tuple[int, str]] = set()
    for numerator, denominator in rates.values():
        if numerator not in codes or denominator not in frame.columns:
            continue
        rows = frame.filter(
            (pl.col(denominator) > 0) & (pl.col(denominator) < cfg.min_denominator)
        )["_row"].to_list()
        must.update((row, codes[numerator]) for row in rows)
    return must


def _hidden_by_column(pairs: Iterable[tuple[int, str]], codes: dict[str, str]) -> Hidden:
    back = {code: column for column, code in codes.items()}
    out: Hidden = {}
    for row, code in pairs:
        column = back.get(code)
        if column is not None and row >= 0:
            out.setdefault(column, set()).add(row)
    return out


def _merge(into: Hidden, other: Hidden) -> None:
    for column, rows in other.items():
        into.setdefault(column, set()).update(rows)


def _primary(frame: pl.DataFrame, columns: Iterable[str], cfg: Settings) -> Hidden:
    out: Hidden = {}
    for column in columns:
        if column in frame.columns:
            small = (pl.col(column) > 0) & (pl.col(column) < cfg.threshold)
            out[column] = set(frame.filter(small)["_row"].to_list())
    return out


def _with_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64))


# ---------------------------------------------------------------------------------------------
# Participation, placement and first-job sectors: one family of systems per year

LEAVERS = {"leaver_count": ["completed_count", "dropped_out_count"]}
IN_WORK = {"in_work_12m_count": ["own_sector_count", "other_sector_count"]}


def _breakdown_tables(
    parts: list[tuple[str, pl.DataFrame, dc.DimSpec]],
    spec: MartSpec,
    columns: Sequence[str],
    measure: dc.DimSpec,
    period: dc.DimSpec,
) -> dict[str, Table]:
    """Participation's long layout as one table per breakdown, sharing the 'total' rows.

    ``parts``: `_breakdown_parts` of the participation rows (the same for every measure set).
    The breakdown value goes into a column named after the breakdown ('sex', 'commune', ...), so
    the 'F' of the sex table is the same cell as the 'F' of mart_pool_placement.
    """
    pool = _pool_dim(spec)
    tables: dict[str, Table] = {}
    for name, part, dim in parts:
        frame = _melt(part, ["_year", "pool_id", "period", name], {c: c for c in columns})
        tables[f"participation_{name}"] = Table(
            frame, [dc.DimSpec("_year"), pool, period, dim, measure]
        )
    return tables


def _breakdown_parts(
    sub: pl.DataFrame, spec: MartSpec
) -> list[tuple[str, pl.DataFrame, dc.DimSpec]]:
    """Per breakdown: its name, the total rows and its rows (value in a column of that name),
    and its dimension."""
    assert spec.breakdown is not None
    kind, value, total = spec.breakdown.column, spec.breakdown.value_column, spec.breakdown.total
    totals = sub.filter(pl.col(kind) == total)
    parts = []
    for name in sorted(set(sub[kind].unique().to_list()) - {total}):
        part = pl.concat([totals, sub.filter(pl.col(kind) == name)]).with_columns(
            pl.col(value).alias(name)
        )
        codes = sorted(c for c in part[name].unique().to_list() if c is not None)
        commune = spec.commune
        if commune is not None and commune.when_value == name:
            communes = [c for c in codes if c != commune.region and c.isdigit()]
            others = [c for c in codes if c not in communes and c != TOTAL]
            dim = dc.DimSpec(
                name, dc.Hierarchy.tree({TOTAL: others, commune.region: communes}), TOTAL
            )
        else:
            dim = dc.DimSpec(name, total=TOTAL)
        parts.append((name, part, dim))
    return parts


def _pool_dim(spec: MartSpec) -> dc.DimSpec:
    additive = "pool_id" in spec.totals and "pool_id" not in spec.non_additive_totals
    return dc.DimSpec("pool_id", total=TOTAL if additive else None)


def _placement_table(
    sub: pl.DataFrame,
    spec: MartSpec,
    columns: Sequence[str],
    measure: dc.DimSpec,
    period: dc.DimSpec,
) -> Table:
    frame = _melt(sub, ["_year", "pool_id", "period", "sex"], {c: c for c in columns})
    return Table(
        frame,
        [dc.DimSpec("_year"), _pool_dim(spec), period, dc.DimSpec("sex", total=TOTAL), measure],
    )


def _sector_table(sub: pl.DataFrame, spec: MartSpec, year: int, measure: dc.DimSpec) -> Table:
    """First jobs by section as in-work cells of the cohort year (other = first job - own)."""
    frame = sub.with_columns(
        (pl.col("first_job_count") - pl.col("own_sector_count")).alias("_other"),
        pl.lit(str(year)).alias("period"),
    )
    long = _melt(
        frame,
        ["_year", "pool_id", "period", "nace_section"],
        {
            "first_job_count": "in_work_12m_count",
            "own_sector_count": "own_sector_count",
            "_other": "other_sector_count",
        },
    )
    long = long.with_columns(
        pl.when(pl.col("_measure") == "other_sector_count")
        .then(-1)
        .otherwise(pl.col("_row"))
        .alias("_row")
    )
    return Table(
        long,
        [
            dc.DimSpec("_year"),
            _pool_dim(spec),
            _period_dim(year, True),
            dc.DimSpec("nace_section", total=TOTAL),
            measure,
        ],
    )


def _by_year(frame: pl.DataFrame | None, year: str) -> pl.DataFrame | None:
    return None if frame is None else frame.filter(pl.col("_year") == year)


def _family_year(
    year: str,
    frames: dict[str, pl.DataFrame],
    specs: dict[str, MartSpec],
    cfg: Settings,
    out: dict[str, Hidden],
    row_sets: dict[str, set[int]],
) -> None:
    """One cohort/calendar year of participation, placement and sectors (no relation crosses
    years)."""
    part = frames.get("mart_pool_participation")
    place = frames.get("mart_pool_placement")
    sector = frames.get("mart_pool_placement_sector")
    p_spec, c_spec, s_spec = (
        specs.get("mart_pool_participation"),
        specs.get("mart_pool_placement"),
        specs.get("mart_pool_placement_sector"),
    )
    y = int(year)
    p_sub, c_sub, s_sub = _by_year(part, year), _by_year(place, year), _by_year(sector, year)
    splits: dict[str | None, list[tuple[str, pl.DataFrame, dc.DimSpec]]] = {}

    def run(
        columns: Sequence[str],
        relations: Mapping[str, Sequence[str]] | None,
        with_part: bool,
        with_place: bool,
        with_sector: bool,
    ) -> set[tuple[int, str]]:
        measure = _measure_dim(relations)
        must: set[tuple[int, str]] = set()
        if with_part and p_sub is not None and p_spec is not None:
            must |= _small_denominator(p_sub, p_spec.rates, cfg, {c: c for c in columns})
        if with_place and c_sub is not None and c_spec is not None:
            must |= _small_denominator(c_sub, c_spec.rates, cfg, {c: c for c in columns})
        if with_sector and s_sub is not None and s_spec is not None:
            must |= _small_denominator(
                s_sub, s_spec.rates, cfg, {"first_job_count": "in_work_12m_count"}
            )

        def build(additive: bool) -> list[dict[str, Table]]:
            periods: Sequence[str | None] = [None]
            if not additive:
                found: set[str] = set()
                for f in (p_sub if with_part else None, c_sub if with_place else None):
                    if f is not None:
                        found |= set(f["period"].unique().to_list())
                periods = sorted(found)
            systems = []
            for period_code in periods:
                period = _period_dim(y, additive)
                tables: dict[str, Table] = {}

                def cut(f: pl.DataFrame, code: str | None = period_code) -> pl.DataFrame:
                    return f if code is None else f.filter(pl.col("period") == code)

                if with_part and p_sub is not None and p_spec is not None:
                    if period_code not in splits:  # the same for every measure set
                        splits[period_code] = _breakdown_parts(cut(p_sub), p_spec)
                    parts = splits[period_code]
                    tables |= _breakdown_tables(parts, p_spec, columns, measure, period)
                if with_place and c_sub is not None and c_spec is not None:
                    place_cols = [c for c in columns if c in c_sub.columns]
                    tables["placement"] = _placement_table(
                        cut(c_sub), c_spec, place_cols, measure, period
                    )
                if with_sector and s_sub is not None and s_spec is not None and additive:
                    tables["sector"] = _sector_table(s_sub, s_spec, y, measure)
                systems.append(tables)
            return systems

        # Single measures over the same tables (start, certified, enrolment; in work at 3
        # and 6 months, ...) are systems with the same cells: built once, refilled after.
        layout = None
        if relations is None and len(columns) == 1:
            placed = with_place and c_sub is not None and columns[0] in c_sub.columns
            layout = ("single", year, with_part, with_place, with_sector, placed)
        return _solve_or_split(build, must, cfg, layout)

    cfg.layouts.clear()  # systems of one year only
    jobs: list[tuple[Sequence[str], Mapping[str, Sequence[str]] | None, bool, bool, bool]] = []
    if p_sub is not None:
        jobs += [
            (
                ["leaver_count", "completed_count", "dropped_out_count"],
                LEAVERS,
                True,
                c_sub is not None,
                False,
            ),
            (["start_count"], None, True, False, False),
            (["certified_count"], None, True, False, False),
            (["enrolment_count"], None, True, False, False),
        ]
    if c_sub is not None:
        if p_sub is None:
            jobs.append((["leaver_count"], None, False, True, False))
        jobs += [
            ([c], None, False, True, False)
            for c in (
                "in_work_3m_count",
                "in_work_6m_count",
                "durable_job_count",
                "positive_exit_count",
            )
        ]
        jobs.append(
            (
                ["in_work_12m_count", "own_sector_count", "other_sector_count"],
                IN_WORK,
                False,
                True,
                s_sub is not None,
            )
        )
    for columns, relations, with_part, with_place, with_sector in jobs:
        try:
            pairs = run(columns, relations, with_part, with_place, with_sector)
        except ValueError as exc:  # the same cell differs between marts: protect apart
            if not (with_part and with_place) and not with_sector:
                raise
            log.info("protecting %s apart (not the same figures): %s", columns, exc)
            pairs = set()
            if with_part:
                pairs |= run(columns, relations, True, False, False)
            pairs |= run(columns, relations, False, with_place, False)
            if with_sector:
                pairs |= run(columns, relations, False, False, True)
        for name, rows in row_sets.items():
            mine = {(r, m) for r, m in pairs if r in rows}
            codes = {c: c for c in columns}
            if name == "mart_pool_placement_sector":
                codes = {
                    "first_job_count": "in_work_12m_count",
                    "own_sector_count": "own_sector_count",
                }
            _merge(out[name], _hidden_by_column(mine, codes))
    cfg.layouts.clear()


def _participation_family(
    frames: dict[str, pl.DataFrame], specs: dict[str, MartSpec], cfg: Settings
) -> dict[str, Hidden]:
    part = frames.get("mart_pool_participation")
    place = frames.get("mart_pool_placement")
    sector = frames.get("mart_pool_placement_sector")
    out: dict[str, Hidden] = {name: {} for name in frames}
    row_sets = {name: set(frame["_row"].to_list()) for name, frame in frames.items()}
    years = sorted(
        set().union(
            *(set(f["_year"].unique().to_list()) for f in (part, place, sector) if f is not None)
        )
    )
    for year in years:
        _family_year(year, frames, specs, cfg, out, row_sets)
    return out


# ---------------------------------------------------------------------------------------------
# Pool functions, labour market, shortage, supply-demand, communes


def _pool_function(frame: pl.DataFrame, spec: MartSpec, cfg: Settings) -> Hidden:
    """Pool x function x periods per year, one system per person-count column."""
    hidden: Hidden = {}
    for year in sorted(frame["_year"].unique().to_list()):
        sub = frame.filter(pl.col("_year") == year)
        for column in spec.person_counts:

            def build(
                additive: bool, sub: pl.DataFrame = sub, column: str = column
            ) -> list[dict[str, Table]]:
                dims = [
                    dc.DimSpec("_year"),
                    _pool_dim(spec),
                    dc.DimSpec("function_id", total=TOTAL),
                    _period_dim(int(sub["_year"][0]), additive),
                    dc.DimSpec("_measure"),
                ]
                cuts = [sub] if additive else list(sub.partition_by("period"))
                return [
                    {
                        "function": Table(
                            _melt(
                                c, ["_year", "pool_id", "function_id", "period"], {column: column}
                            ),
                            dims,
                        )
                    }
                    for c in cuts
                ]

            _merge(hidden, _hidden_by_column(_solve_or_split(build, set(), cfg), {column: column}))
    return hidden


JOBSEEKER_BANDS = {
    "jobseeker_count": [
        "jobseeker_lt6m_count",
        "jobseeker_6_12m_count",
        "jobseeker_1_2y_count",
        "jobseeker_ge2y_count",
        "_band_rest",
    ],
    "jobseeker_ge1y_count": ["jobseeker_1_2y_count", "jobseeker_ge2y_count"],
}
STOCK_COLUMNS = [
    "jobseeker_count",
    "jobseeker_lt6m_count",
    "jobseeker_6_12m_count",
    "jobseeker_1_2y_count",
    "jobseeker_ge2y_count",
    "jobseeker_ge1y_count",
]


def _stock_system(frame: pl.DataFrame, key: str, key_total: bool) -> Table:
    """Monthly stocks by duration band; ``_band_rest`` and, with ``key_total``, an ``_R`` row
    (total minus the parts) make every relation exact: what the parts leave over is a cell an
    attacker can compute, so it is protected like the others and never published."""
    wide = frame.with_columns(
        (
            pl.col("jobseeker_count") - pl.sum_horizontal(JOBSEEKER_BANDS["jobseeker_count"][:4])
        ).alias("_band_rest")
    )
    columns = [*STOCK_COLUMNS, "_band_rest"]
    if key_total:
        parts = (
            wide.filter(pl.col(key) != TOTAL)
            .group_by("month")
            .agg([pl.col(c).sum() for c in columns])
        )
        totals = wide.filter(pl.col(key) == TOTAL).select("month", *columns)
        rest = totals.join(parts, on="month", how="left", suffix="_p").select(
            "month",
            *[(pl.col(c) - pl.col(f"{c}_p").fill_null(0)).alias(c) for c in columns],
        )
        rest = rest.with_columns(pl.lit("_R").alias(key), pl.lit(-1, dtype=pl.Int64).alias("_row"))
        wide = pl.concat(
            [
                wide.select(key, "month", "_row", *columns),
                rest.select(key, "month", "_row", *columns),
            ]
        )
    long = _melt(wide, [key, "month"], {c: c for c in columns})
    long = long.with_columns(
        pl.when(pl.col("_measure") == "_band_rest").then(-1).otherwise(pl.col("_row")).alias("_row")
    )
    dims = [
        dc.DimSpec("month"),
        dc.DimSpec(key, total=TOTAL if key_total else None),
        _measure_dim(JOBSEEKER_BANDS),
    ]
    return Table(long, dims)


def _window_hidden(
    frame: pl.DataFrame, key: str, hidden_rows: set[int], column: str, cfg: Settings
) -> set[int]:
    """Rows whose 12-month average covers a hidden month of stock, or is itself small."""
    flagged = frame.select(
        key,
        "month",
        "_row",
        pl.col(column),
        pl.col("_row").is_in(list(hidden_rows)).cast(pl.Int32).alias("_h"),
    ).sort(key, "month")
    flagged = flagged.with_columns(
        pl.col("_h").rolling_sum(window_size=12, min_samples=1).over(key).alias("_hw")
    )
    small = (pl.col(column) > 0) & (pl.col(column) < cfg.threshold)
    return set(flagged.filter((pl.col("_hw") > 0) | small)["_row"].to_list())


def _labour(
    occupation: pl.DataFrame | None, pool: pl.DataFrame | None, cfg: Settings
) -> dict[str, Hidden]:
    out: dict[str, Hidden] = {}
    total_hidden: dict[tuple[object, str], bool] = {}
    if occupation is not None:
        pairs = _solve({"stock": _stock_system(occupation, "occupation_isco", True)}, set(), cfg)
        hidden = _hidden_by_column(pairs, {c: c for c in STOCK_COLUMNS})
        hidden["jobseeker_avg_12m_count"] = _window_hidden(
            occupation,
            "occupation_isco",
            hidden.get("jobseeker_count", set()),
            "jobseeker_avg_12m_count",
            cfg,
        )
        out["mart_labour_market_occupation"] = hidden
        totals = occupation.filter(pl.col("occupation_isco") == TOTAL)
        for column in STOCK_COLUMNS:
            rows = hidden.get(column, set())
            for month, row in totals.select("month", "_row").iter_rows():
                total_hidden[(month, column)] = row in rows
    if pool is not None:
        parts = pool.filter(pl.col("pool_id") != TOTAL)
        pairs = _solve({"stock": _stock_system(parts, "pool_id", False)}, set(), cfg)
        hidden = _hidden_by_column(pairs, {c: c for c in STOCK_COLUMNS})
        # the whole market: the same cells as mart_labour_market_occupation's '_T'
        for column in STOCK_COLUMNS:
            for month, row, value in (
                pool.filter(pl.col("pool_id") == TOTAL).select("month", "_row", column).iter_rows()
            ):
                same = total_hidden.get((month, column))
                small = value is not None and 0 < value < cfg.threshold
                if same or (same is None and small):
                    hidden.setdefault(column, set()).add(row)
        hidden["jobseeker_avg_12m_count"] = _window_hidden(
            pool, "pool_id", hidden.get("jobseeker_count", set()), "jobseeker_avg_12m_count", cfg
        )
        out["mart_labour_market_pool"] = hidden
    return out


def _months_hidden(frame: pl.DataFrame | None, key: str, hidden: Hidden) -> set[tuple[int, str]]:
    """(year, key) pairs of which some month of job-seeker stock is hidden."""
    if frame is None:
        return set()
    rows = hidden.get("jobseeker_count", set())
    sub = frame.filter(pl.col("_row").is_in(list(rows)))
    return {(m.year, k) for k, m in sub.select(key, "month").iter_rows()}


def _average_hidden(
    frame: pl.DataFrame, key: str, column: str, months: set[tuple[int, str]], cfg: Settings
) -> set[int]:
    out = set()
    for row, year, code, value in frame.select("_row", "year", key, column).iter_rows():
        if (value is not None and 0 < value < cfg.threshold) or (int(year), code) in months:
            out.add(row)
    return out


def _commune(frame: pl.DataFrame, spec: MartSpec, cfg: Settings) -> Hidden:
    """Job-seeker averages: region = sum of the communes per year and pool; trainees primary."""
    assert spec.commune is not None
    communes = sorted(
        c for c in frame["commune_nis"].unique().to_list() if c != spec.commune.region
    )
    dims = [
        dc.DimSpec("year"),
        dc.DimSpec("pool_id"),
        dc.DimSpec(
            "commune_nis", dc.Hierarchy.flat(spec.commune.region, communes), spec.commune.region
        ),
        dc.DimSpec("_measure"),
    ]
    long = _melt(
        frame.with_columns(pl.col("year").cast(pl.String)),
        ["year", "pool_id", "commune_nis"],
        {"jobseeker_avg_count": "jobseeker_avg_count"},
    )
    hidden = _hidden_by_column(
        _solve({"commune": Table(long, dims)}, set(), cfg),
        {"jobseeker_avg_count": "jobseeker_avg_count"},
    )
    _merge(hidden, _primary(frame, ["trainee_count"], cfg))
    return hidden


def _completed_hidden(part: pl.DataFrame | None, part_hidden: Hidden) -> set[tuple[str, int]]:
    """(pool, year) whose participation completed_count of the year (total row) is hidden."""
    out: set[tuple[str, int]] = set()
    if part is not None:
        rows = part_hidden.get("completed_count", set())
        totals = part.filter((pl.col("period_type") == "year") & (pl.col("breakdown") == "total"))
        for pool, period, row in totals.select("pool_id", "period", "_row").iter_rows():
            if row in rows:
                out.add((pool, int(period)))
    return out


def _supply_demand(
    frame: pl.DataFrame,
    completed_hidden: set[tuple[str, int]],
    occ_months: set[tuple[int, str]],
    pool_months: set[tuple[int, str]],
    cfg: Settings,
) -> Hidden:
    """Completers are participation's completed_count of the year: the same status there."""
    hidden: Hidden = {"completer_count": set(), "jobseeker_avg_count": set()}
    for row, pool, occ, year, completers, avg in frame.select(
        "_row", "pool_id", "occupation_isco", "year", "completer_count", "jobseeker_avg_count"
    ).iter_rows():
        small = completers is not None and 0 < completers < cfg.threshold
        if small or (pool, int(year)) in completed_hidden:
            hidden["completer_count"].add(row)
        months = pool_months if occ == TOTAL else occ_months
        code = pool if occ == TOTAL else occ
        if (avg is not None and 0 < avg < cfg.threshold) or (int(year), code) in months:
            hidden["jobseeker_avg_count"].add(row)
    hidden["gap_count"] = hidden["completer_count"] | hidden["jobseeker_avg_count"]
    return hidden


# ---------------------------------------------------------------------------------------------
# Flags and writing


def _mask(frame: pl.DataFrame, rows: set[int]) -> pl.Expr:
    return pl.col("_row").is_in(sorted(rows)) if rows else pl.lit(False)


def _finish(frame: pl.DataFrame, spec: MartSpec, hidden: Hidden, cfg: Settings) -> pl.DataFrame:
    """Null hidden values with ``c``, derive rates/medians/ratios, ``p`` on provisional rows."""
    counts = [c for c in (*spec.person_counts, *spec.counts) if c in frame.columns]
    out = frame
    for column in counts:
        out = dc.set_flag(
            out, column, dc.FLAG_CONFIDENTIAL, _mask(frame, hidden.get(column, set()))
        )
    flag = dc.flag_column
    is_c = lambda column: (pl.col(flag(column)) == dc.FLAG_CONFIDENTIAL).fill_null(False)  # noqa: E731
    for rate, (numerator, denominator) in spec.rates.items():
        small = (pl.col(denominator) > 0) & (pl.col(denominator) < cfg.min_denominator)
        hide = (small.fill_null(False) | is_c(numerator) | is_c(denominator)).fill_null(False)
        out = dc.set_flag(out, rate, dc.FLAG_CONFIDENTIAL, hide)
        out = dc.set_flag(out, rate, dc.FLAG_NOT_AVAILABLE, pl.col(rate).is_null() & ~hide)
    for median, count in spec.medians.items():
        small = (pl.col(count) > 0) & (pl.col(count) < cfg.threshold)
        hide = (small.fill_null(False) | is_c(count)).fill_null(False)
        out = dc.set_flag(out, median, dc.FLAG_CONFIDENTIAL, hide)
        out = dc.set_flag(out, median, dc.FLAG_NOT_AVAILABLE, pl.col(median).is_null() & ~hide)
    for ratio, (numerator, denominator) in spec.ratios.items():
        hide = pl.lit(False)
        for part in (numerator, denominator):
            if flag(part) in out.columns:
                hide = hide | is_c(part)
        out = dc.set_flag(out, ratio, dc.FLAG_CONFIDENTIAL, hide)
        out = dc.set_flag(out, ratio, dc.FLAG_NOT_AVAILABLE, pl.col(ratio).is_null() & ~hide)
    for column in counts:
        out = dc.set_flag(
            out, column, dc.FLAG_NOT_AVAILABLE, pl.col(column).is_null() & ~is_c(column)
        )
    if spec.provisional and spec.provisional in out.columns:
        provisional = pl.col(spec.provisional).fill_null(False)
        out = dc.mark_provisional(out, [c for c in spec.protected if c in out.columns], provisional)
    ordered: list[str] = []
    for column in frame.columns:
        if column.startswith("_"):
            continue
        ordered.append(column)
        if column in spec.protected:
            ordered.append(flag(column))
    return out.select(ordered)


def _write(dst: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, spec: MartSpec) -> None:
    frame_to_table(dst, f"marts.{name}", frame)
    copy_comments(dst, "marts", name)
    for column in spec.protected:
        if column in frame.columns:
            text = FLAG_COMMENT.format(column=column)
            dst.execute(
                f'COMMENT ON COLUMN marts.{name}."{dc.flag_column(column)}" '
                f"IS {quote_literal(text)}"
            )


def _read(
    dst: duckdb.DuckDBPyConnection, name: str, offset: int, dims: Sequence[str] = ()
) -> pl.DataFrame:
    columns = [
        r[0]
        for r in dst.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' "
            "AND schema_name = 'marts' AND table_name = ? ORDER BY column_index",
            [name],
        ).fetchall()
    ]
    # A fixed order, by the grain first: the cells' order (and so which of two equally cheap
    # cells secondary suppression picks) depends on the grain and the person counts only, not
    # on how the build wrote the table or on its other columns; the same input then always gets
    # the same protection, which lets a publish reuse it.
    order = [c for c in columns if c in dims] + [c for c in columns if c not in dims]
    listed = ", ".join(f'"{c}"' for c in order)
    frame = dst.sql(f"SELECT * FROM wh.marts.{name} ORDER BY {listed}").pl()
    frame = frame.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64) + offset)
    if "period" in frame.columns:
        frame = frame.with_columns(pl.col("period").cast(pl.String).str.slice(0, 4).alias("_year"))
    elif "year" in frame.columns:
        frame = frame.with_columns(pl.col("year").cast(pl.String).alias("_year"))
    return frame


def _tiers() -> dict[str, str]:
    """``tier`` of each mart in the catalogue: only 'public' marts go to ``marts.*`` (a
    'restricted' mart is the pool-manager tier's, published elsewhere)."""
    data = tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {name: str(raw.get("tier", "public")) for name, raw in data.get("marts", {}).items()}


PARTICIPATION_FAMILY = (
    "mart_pool_participation",
    "mart_pool_placement",
    "mart_pool_placement_sector",
)
LABOUR_FAMILY = ("mart_labour_market_occupation", "mart_labour_market_pool")
# mart -> the marts whose protection decides its own: a family is protected as one system (its
# cells are the same figures), and a mart that copies another's hidden cells reads that family.
PROTECTION_INPUTS: dict[str, tuple[str, ...]] = {
    **{name: PARTICIPATION_FAMILY for name in PARTICIPATION_FAMILY},
    **{name: LABOUR_FAMILY for name in LABOUR_FAMILY},
    "mart_shortage_occupation": ("mart_shortage_occupation", *LABOUR_FAMILY),
    "mart_supply_demand": ("mart_supply_demand", *PARTICIPATION_FAMILY, *LABOUR_FAMILY),
}
_CODE_PATHS = ("protection.py", "disclosure", "catalogue.py")  # under pipelines/
VERSION_DOC = (
    "Per protected mart: the versions of its protection's inputs. hidden_version covers what "
    "decides which cells are hidden (grain and person counts of the marts its protection reads, "
    "settings, code); version adds the mart's whole content. The next publish copies a mart whose "
    "version is unchanged, and takes the hidden cells from this file's flags when only "
    "hidden_version is."
)


def code_version() -> str:
    """Hash of the code and catalogue that decide protection: a change protects everything."""
    from pathlib import Path

    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _CODE_PATHS:
        path = here / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.relative_to(here).as_posix().encode())
            h.update(file.read_bytes())
    h.update(CATALOGUE_PATH.read_bytes())
    return h.hexdigest()


def _digest(dst: duckdb.DuckDBPyConnection, name: str, columns: Sequence[str] | None) -> str:
    """Rows and a sum of row hashes of a warehouse mart (over `columns`, or every column)."""
    listed = "t" if columns is None else ", ".join(f't."{c}"' for c in columns)
    expr = f"hash({listed})"
    rows, total = dst.execute(
        f"SELECT count(*), coalesce(sum({expr}::HUGEINT), 0)::VARCHAR FROM wh.marts.{name} AS t"
    ).fetchall()[0]
    return f"{rows}:{total}"


@dataclass(frozen=True)
class Versions:
    hidden: str  # what decides the hidden cells
    full: str  # ... and the whole content


def mart_versions(
    dst: duckdb.DuckDBPyConnection,
    names: Sequence[str],
    specs: Mapping[str, MartSpec],
    settings: PublishSettings,
) -> dict[str, Versions]:
    """Versions of each mart's protected output. Which cells are hidden is a function of the
    grain and person counts of the marts its protection reads (read in a fixed order), the
    settings and the code: vacancy counts, rates and flags only go through `_finish`."""
    base = (
        f"{code_version()}|{settings.suppression_threshold}|{settings.min_rate_denominator}"
        f"|{AUDIT_MAX_CELLS}"
    )
    columns = {
        n: [c for c in (*specs[n].dimensions, *specs[n].person_counts) if c in _columns(dst, n)]
        for n in names
    }
    person = {n: _digest(dst, n, columns[n]) for n in names}
    out: dict[str, Versions] = {}
    for name in names:
        parts = [base, name]
        for dep in sorted(set(PROTECTION_INPUTS.get(name, ())) | {name}):
            parts.append(f"{dep}:{person.get(dep, 'absent')}")
        hidden = hashlib.sha256("|".join(parts).encode()).hexdigest()
        full = hashlib.sha256(f"{hidden}|{_digest(dst, name, None)}".encode()).hexdigest()
        out[name] = Versions(hidden, full)
    return out


def _columns(dst: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    return {
        r[0]
        for r in dst.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'wh' "
            "AND schema_name = 'marts' AND table_name = ?",
            [name],
        ).fetchall()
    }


def _attached(dst: duckdb.DuckDBPyConnection, database: str) -> bool:
    rows = dst.execute(
        "SELECT count(*) FROM duckdb_databases() WHERE database_name = ?", [database]
    ).fetchall()
    return bool(rows[0][0])


def _previous_versions(dst: duckdb.DuckDBPyConnection) -> dict[str, Versions]:
    """Versions recorded in the previous published file (attached as ``prev`` by publish),
    for the marts it holds."""
    if not _attached(dst, PREVIOUS):
        return {}
    tables = {
        (r[0], r[1])
        for r in dst.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ?",
            [PREVIOUS],
        ).fetchall()
    }
    if ("meta", "mart_version") not in tables:
        return {}
    try:
        rows = dst.execute(
            f"SELECT mart, hidden_version, version FROM {PREVIOUS}.meta.mart_version"
        ).fetchall()
    except duckdb.Error:  # a file from before hidden_version: protect afresh
        return {}
    return {str(m): Versions(str(h), str(v)) for m, h, v in rows if ("marts", m) in tables}


def _previous_hidden(
    dst: duckdb.DuckDBPyConnection, frame: pl.DataFrame, name: str, spec: MartSpec
) -> Hidden:
    """The hidden cells of a mart whose hidden_version is unchanged: the previous file's ``c``
    flags of its counts (a count's flag is ``c`` exactly when it was hidden), matched to the
    new rows by the grain."""
    counts = [c for c in (*spec.person_counts, *spec.counts) if c in frame.columns]
    dims = [d for d in spec.dimensions if d in frame.columns]
    flags = ", ".join(
        f'"{dc.flag_column(c)}" = {quote_literal(dc.FLAG_CONFIDENTIAL)} AS "{c}"' for c in counts
    )
    keys = ", ".join(f'"{d}"' for d in dims)
    before = dst.sql(f"SELECT {keys}, {flags} FROM {PREVIOUS}.marts.{name}").pl()
    joined = frame.select("_row", *dims).join(before, on=dims, how="left", nulls_equal=True)
    return {c: set(joined.filter(pl.col(c).fill_null(False))["_row"].to_list()) for c in counts}


def _previous_months(dst: duckdb.DuckDBPyConnection, name: str, key: str) -> set[tuple[int, str]]:
    """`_months_hidden` read back from the previous file: its flags are the hidden cells."""
    rows = dst.execute(
        f"SELECT month, {key} FROM {PREVIOUS}.marts.{name} "
        f"WHERE {dc.flag_column('jobseeker_count')} = ?",
        [dc.FLAG_CONFIDENTIAL],
    ).fetchall()
    return {(m.year, k) for m, k in rows}


def _previous_completed(dst: duckdb.DuckDBPyConnection) -> set[tuple[str, int]]:
    """`_completed_hidden` read back from the previous file's participation flags."""
    rows = dst.execute(
        f"SELECT pool_id, period FROM {PREVIOUS}.marts.mart_pool_participation "
        "WHERE period_type = 'year' AND breakdown = 'total' "
        f"AND {dc.flag_column('completed_count')} = ?",
        [dc.FLAG_CONFIDENTIAL],
    ).fetchall()
    return {(str(pool), int(period)) for pool, period in rows}


def _copy_previous(dst: duckdb.DuckDBPyConnection, name: str) -> None:
    dst.execute(f"CREATE OR REPLACE TABLE marts.{name} AS SELECT * FROM {PREVIOUS}.marts.{name}")
    copy_comments(dst, "marts", name, source=PREVIOUS)


def _write_versions(dst: duckdb.DuckDBPyConnection, versions: Mapping[str, Versions]) -> None:
    frame = pl.DataFrame(
        {
            "mart": list(versions),
            "hidden_version": [v.hidden for v in versions.values()],
            "version": [v.full for v in versions.values()],
        },
        schema={"mart": pl.String, "hidden_version": pl.String, "version": pl.String},
    )
    frame_to_table(dst, "meta.mart_version", frame)
    dst.execute(f"COMMENT ON TABLE meta.mart_version IS {quote_literal(VERSION_DOC)}")
    for column, doc in (
        ("mart", "Protected mart (marts.<mart>)."),
        ("hidden_version", "SHA-256 of what decided its hidden cells."),
        ("version", "SHA-256 of hidden_version and the mart's whole content."),
    ):
        dst.execute(f"COMMENT ON COLUMN meta.mart_version.{column} IS {quote_literal(doc)}")


def protect_all(dst: duckdb.DuckDBPyConnection, settings: PublishSettings) -> list[str]:
    """Protect every mart of the attached warehouse ``wh`` into ``marts.*`` of ``dst``.

    Returns the names of the marts written. Marts missing from the warehouse are skipped. When
    the previous published file is attached as ``prev`` (publish does it), a mart whose version
    is the one recorded there is copied from it as it is; one whose hidden_version only is the
    same gets the previous hidden cells and is finished again (new vacancy counts, rates); the
    others are protected, a family always as a whole (its members share one hidden_version),
    reading the hidden cells of a reused family back from its flags.
    """
    cfg = Settings(float(settings.suppression_threshold), float(settings.min_rate_denominator))
    specs = mart_specs()
    present = {
        row[0]
        for row in dst.sql(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = 'wh' AND schema_name = 'marts'"
        ).fetchall()
    }
    tiers = _tiers()
    names = [name for name in specs if name in present and tiers.get(name, "public") == "public"]
    versions = mart_versions(dst, names, specs, settings)
    previous = _previous_versions(dst)
    reused = {n for n in names if n in previous and previous[n].full == versions[n].full}
    refinished = {
        n
        for n in names
        if n not in reused and n in previous and previous[n].hidden == versions[n].hidden
    }
    fresh = [n for n in names if n not in reused and n not in refinished]
    frames = {
        name: _read(dst, name, 10**8 * i, specs[name].dimensions)
        for i, name in enumerate(names)
        if name not in reused
    }
    hidden: dict[str, Hidden] = {name: {} for name in frames}
    for name in refinished:
        hidden[name] = _previous_hidden(dst, frames[name], name, specs[name])
    family: dict[str, pl.DataFrame] = {n: frames[n] for n in PARTICIPATION_FAMILY if n in fresh}
    if family:
        for name, found in _participation_family(family, specs, cfg).items():
            _merge(hidden[name], found)
    if "mart_pool_participation" in fresh:
        _merge(
            hidden["mart_pool_participation"],
            _primary(frames["mart_pool_participation"], ["trainee_count"], cfg),
        )
    if "mart_pool_placement_sector" in fresh:
        sector = frames["mart_pool_placement_sector"]
        rows = hidden["mart_pool_placement_sector"].get("first_job_count", set())
        hidden_totals = {
            (pool, year)
            for pool, year, row, section in sector.select(
                "pool_id", "year", "_row", "nace_section"
            ).iter_rows()
            if section == TOTAL and row in rows
        }
        hidden["mart_pool_placement_sector"]["all_sections_count"] = {
            row
            for pool, year, row in sector.select("pool_id", "year", "_row").iter_rows()
            if (pool, year) in hidden_totals
        }
    if "mart_pool_function" in fresh:
        _merge(
            hidden["mart_pool_function"],
            _pool_function(frames["mart_pool_function"], specs["mart_pool_function"], cfg),
        )
    labour = {n: frames[n] for n in LABOUR_FAMILY if n in fresh}
    if labour:
        found_labour = _labour(
            labour.get("mart_labour_market_occupation"), labour.get("mart_labour_market_pool"), cfg
        )
        for name, found in found_labour.items():
            _merge(hidden[name], found)
    occupation = frames.get("mart_labour_market_occupation")
    pool = frames.get("mart_labour_market_pool")
    occ_months: set[tuple[int, str]] = set()
    pool_months: set[tuple[int, str]] = set()
    if "mart_shortage_occupation" in fresh or "mart_supply_demand" in fresh:
        occ_months = _months_hidden(
            occupation, "occupation_isco", hidden.get("mart_labour_market_occupation", {})
        )
        pool_months = _months_hidden(pool, "pool_id", hidden.get("mart_labour_market_pool", {}))
        if "mart_labour_market_occupation" in reused:
            occ_months = _previous_months(dst, "mart_labour_market_occupation", "occupation_isco")
        if "mart_labour_market_pool" in reused:
            pool_months = _previous_months(dst, "mart_labour_market_pool", "pool_id")
    if "mart_shortage_occupation" in fresh:
        hidden["mart_shortage_occupation"]["jobseeker_avg_count"] = _average_hidden(
            frames["mart_shortage_occupation"],
            "occupation_isco",
            "jobseeker_avg_count",
            occ_months,
            cfg,
        )
    if "mart_supply_demand" in fresh:
        completed = (
            _previous_completed(dst)
            if "mart_pool_participation" in reused
            else _completed_hidden(
                frames.get("mart_pool_participation"), hidden.get("mart_pool_participation", {})
            )
        )
        _merge(
            hidden["mart_supply_demand"],
            _supply_demand(frames["mart_supply_demand"], completed, occ_months, pool_months, cfg),
        )
    if "mart_commune" in fresh:
        _merge(hidden["mart_commune"], _commune(frames["mart_commune"], specs["mart_commune"], cfg))
    restricted = [n for n in specs if n in present and tiers.get(n) == "restricted"]
    # One transaction for every table and comment written: all or nothing, and one commit
    # instead of one per statement (a COMMENT ON each is most of the writing time otherwise).
    dst.execute("BEGIN TRANSACTION")
    try:
        for name in names:
            if name in reused:
                _copy_previous(dst, name)
            else:
                finished = _finish(frames[name], specs[name], hidden[name], cfg)
                _write(dst, name, finished, specs[name])
        _write_versions(dst, versions)
        for name in restricted:
            publish_restricted(dst, name, specs[name], settings.suppression_threshold)
        dst.execute("COMMIT")
    except BaseException:
        dst.execute("ROLLBACK")
        raise
    log.info(
        "protected %d marts, finished %d again with their previous hidden cells, copied %d: %s",
        len(fresh),
        len(refinished),
        len(reused),
        cfg.stats,
    )
    return names + [f"restricted.{n}" for n in restricted]


def publish_restricted(
    dst: duckdb.DuckDBPyConnection, name: str, spec: MartSpec, threshold: int
) -> int:
    """A pool-manager-tier mart (finer detail of one's own pool) into ``restricted.<name>``.

    Only primary suppression applies (the issue: "still under primary suppression"): a person
    count from 1 to threshold - 1 becomes NULL with flag ``c``. It never goes into ``marts.*``,
    which the public tier and the exports read; the dashboard serves it to the managers of the
    row's pool only. Returns the number of values withheld."""
    frame = dst.sql(f"SELECT * FROM wh.marts.{name}").pl()
    counts = [c for c in spec.person_counts if c in frame.columns]
    withheld = 0
    ordered: list[pl.Expr] = []
    for col in frame.columns:
        if col not in counts:
            ordered.append(pl.col(col))
            continue
        small = pl.col(col).is_between(1, threshold - 1, closed="both")
        withheld += int(frame.select(small.sum()).item() or 0)
        ordered.append(pl.when(small).then(None).otherwise(pl.col(col)).alias(col))
        ordered.append(
            pl.when(small).then(pl.lit("c")).otherwise(pl.lit(None, pl.String)).alias(f"{col}_flag")
        )
    dst.execute("CREATE SCHEMA IF NOT EXISTS restricted")
    frame_to_table(dst, f"restricted.{name}", frame.select(ordered))
    rows = dst.execute(
        "SELECT comment FROM duckdb_tables() "
        "WHERE database_name = 'wh' AND schema_name = 'marts' AND table_name = ?",
        [name],
    ).fetchall()
    text = (rows[0][0] if rows and rows[0][0] else name) + (
        " Pool-manager tier: primary suppression only (counts 1 to "
        f"{threshold - 1} withheld, flag c); served to the managers of the row's pool only."
    )
    dst.execute(f"COMMENT ON TABLE restricted.{name} IS {quote_literal(text)}")
    for col, comment in dst.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'wh' "
        "AND schema_name = 'marts' AND table_name = ? AND comment IS NOT NULL",
        [name],
    ).fetchall():
        dst.execute(f'COMMENT ON COLUMN restricted.{name}."{col}" IS {quote_literal(comment)}')
    for col in counts:
        doc = f"Flag of {col}: c confidential (value withheld), NULL none."
        dst.execute(f'COMMENT ON COLUMN restricted.{name}."{col}_flag" IS {quote_literal(doc)}')
    return withheld
