"""Participation, placement and first-job sectors: one family of systems per year.

Why together: participation's leavers and mart_pool_placement's leavers are the same exits by
pool and sex, and mart_pool_placement_sector's ``_T`` first jobs are the placement's in-work
count of the year: one cell, one status. Participation's leaver/completed/dropped-out columns
form one system (leavers = completed + dropped out), placement's in_work_12m/own/other sector
columns another (in work = own sector + other sector); no relation crosses years.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import MartSpec
from pipelines.protection.run import Run
from pipelines.protection.systems import (
    TOTAL,
    Hidden,
    Settings,
    Table,
    hidden_by_column,
    measure_dim,
    melt,
    merge,
    period_dim,
    pool_dim,
    primary_hidden,
    small_denominator,
    solve_or_split,
)

log = logging.getLogger(__name__)

PARTICIPATION = "mart_pool_participation"
PLACEMENT = "mart_pool_placement"
SECTOR = "mart_pool_placement_sector"
PARTICIPATION_FAMILY = (PARTICIPATION, PLACEMENT, SECTOR)
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
    pool = pool_dim(spec)
    tables: dict[str, Table] = {}
    for name, part, dim in parts:
        frame = melt(part, ["_year", "pool_id", "period", name], {c: c for c in columns})
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


def _placement_table(
    sub: pl.DataFrame,
    spec: MartSpec,
    columns: Sequence[str],
    measure: dc.DimSpec,
    period: dc.DimSpec,
) -> Table:
    frame = melt(sub, ["_year", "pool_id", "period", "sex"], {c: c for c in columns})
    return Table(
        frame,
        [dc.DimSpec("_year"), pool_dim(spec), period, dc.DimSpec("sex", total=TOTAL), measure],
    )


def _sector_table(sub: pl.DataFrame, spec: MartSpec, year: int, measure: dc.DimSpec) -> Table:
    """First jobs by section as in-work cells of the cohort year (other = first job - own)."""
    frame = sub.with_columns(
        (pl.col("first_job_count") - pl.col("own_sector_count")).alias("_other"),
        pl.lit(str(year)).alias("period"),
    )
    long = melt(
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
            pool_dim(spec),
            period_dim(year, True),
            dc.DimSpec("nace_section", total=TOTAL),
            measure,
        ],
    )


def _by_year(frame: pl.DataFrame | None, year: str) -> pl.DataFrame | None:
    return None if frame is None else frame.filter(pl.col("_year") == year)


class _Job(NamedTuple):
    """A measure set protected over the tables of some marts of the family."""

    columns: Sequence[str]
    relations: Mapping[str, Sequence[str]] | None
    part: bool
    place: bool
    sector: bool


class _FamilyYear:
    """One cohort/calendar year of participation, placement and sectors."""

    def __init__(
        self,
        year: str,
        frames: dict[str, pl.DataFrame],
        specs: dict[str, MartSpec],
        cfg: Settings,
    ) -> None:
        self.year, self.y, self.cfg = year, int(year), cfg
        self.p_spec, self.c_spec, self.s_spec = (
            specs.get(PARTICIPATION),
            specs.get(PLACEMENT),
            specs.get(SECTOR),
        )
        self.p_sub = _by_year(frames.get(PARTICIPATION), year)
        self.c_sub = _by_year(frames.get(PLACEMENT), year)
        self.s_sub = _by_year(frames.get(SECTOR), year)
        # participation cut by breakdown, per period code: the same for every measure set
        self.splits: dict[str | None, list[tuple[str, pl.DataFrame, dc.DimSpec]]] = {}

    def jobs(self) -> list[_Job]:
        """The measure sets of the year, in a fixed order."""
        p_sub, c_sub, s_sub = self.p_sub, self.c_sub, self.s_sub
        jobs: list[_Job] = []
        if p_sub is not None:
            jobs += [
                _Job(
                    ["leaver_count", "completed_count", "dropped_out_count"],
                    LEAVERS,
                    True,
                    c_sub is not None,
                    False,
                ),
                _Job(["start_count"], None, True, False, False),
                _Job(["certified_count"], None, True, False, False),
                _Job(["enrolment_count"], None, True, False, False),
            ]
        if c_sub is not None:
            if p_sub is None:
                jobs.append(_Job(["leaver_count"], None, False, True, False))
            jobs += [
                _Job([c], None, False, True, False)
                for c in (
                    "in_work_3m_count",
                    "in_work_6m_count",
                    "durable_job_count",
                    "positive_exit_count",
                )
            ]
            jobs.append(
                _Job(
                    ["in_work_12m_count", "own_sector_count", "other_sector_count"],
                    IN_WORK,
                    False,
                    True,
                    s_sub is not None,
                )
            )
        return jobs

    def must(self, job: _Job) -> set[tuple[int, str]]:
        """Numerators of the job's rates with a small denominator."""
        cfg, codes = self.cfg, {c: c for c in job.columns}
        must: set[tuple[int, str]] = set()
        if job.part and self.p_sub is not None and self.p_spec is not None:
            must |= small_denominator(self.p_sub, self.p_spec.rates, cfg, codes)
        if job.place and self.c_sub is not None and self.c_spec is not None:
            must |= small_denominator(self.c_sub, self.c_spec.rates, cfg, codes)
        if job.sector and self.s_sub is not None and self.s_spec is not None:
            sector_codes = {"first_job_count": "in_work_12m_count"}
            must |= small_denominator(self.s_sub, self.s_spec.rates, cfg, sector_codes)
        return must

    def systems(self, job: _Job, measure: dc.DimSpec, additive: bool) -> list[dict[str, Table]]:
        """The job's systems: the whole year with period relations (``additive``), or one
        system per period code without them."""
        p_sub, c_sub, s_sub = self.p_sub, self.c_sub, self.s_sub
        periods: Sequence[str | None] = [None]
        if not additive:
            found: set[str] = set()
            for f in (p_sub if job.part else None, c_sub if job.place else None):
                if f is not None:
                    found |= set(f["period"].unique().to_list())
            periods = sorted(found)
        systems = []
        for code in periods:
            period = period_dim(self.y, additive)
            tables: dict[str, Table] = {}
            if job.part and p_sub is not None and self.p_spec is not None:
                if code not in self.splits:
                    self.splits[code] = _breakdown_parts(_cut(p_sub, code), self.p_spec)
                parts = self.splits[code]
                tables |= _breakdown_tables(parts, self.p_spec, job.columns, measure, period)
            if job.place and c_sub is not None and self.c_spec is not None:
                place_cols = [c for c in job.columns if c in c_sub.columns]
                tables["placement"] = _placement_table(
                    _cut(c_sub, code), self.c_spec, place_cols, measure, period
                )
            if job.sector and s_sub is not None and self.s_spec is not None and additive:
                tables["sector"] = _sector_table(s_sub, self.s_spec, self.y, measure)
            systems.append(tables)
        return systems

    def run(self, job: _Job) -> set[tuple[int, str]]:
        """Protect the job's systems; the hidden (row, measure) pairs."""
        measure = measure_dim(job.relations)

        def build(additive: bool) -> list[dict[str, Table]]:
            return self.systems(job, measure, additive)

        # Single measures over the same tables (start, certified, enrolment; in work at 3
        # and 6 months, ...) are systems with the same cells: built once, refilled after.
        layout = None
        if job.relations is None and len(job.columns) == 1:
            c_sub = self.c_sub
            placed = job.place and c_sub is not None and job.columns[0] in c_sub.columns
            layout = ("single", self.year, job.part, job.place, job.sector, placed)
        return solve_or_split(build, self.must(job), self.cfg, layout)

    def pairs(self, job: _Job) -> set[tuple[int, str]]:
        """`run`, or each mart apart when the same cell differs between marts."""
        try:
            return self.run(job)
        except ValueError as exc:  # the same cell differs between marts: protect apart
            if not (job.part and job.place) and not job.sector:
                raise
            log.info("protecting %s apart (not the same figures): %s", job.columns, exc)
            pairs = set()
            alone = job._replace(part=False, place=False, sector=False)
            if job.part:
                pairs |= self.run(alone._replace(part=True))
            pairs |= self.run(alone._replace(place=job.place))
            if job.sector:
                pairs |= self.run(alone._replace(sector=True))
            return pairs

    def protect(self, out: dict[str, Hidden], row_sets: dict[str, set[int]]) -> None:
        """Every job of the year, its hidden cells merged into ``out`` per mart."""
        self.cfg.layouts.clear()  # systems of one year only
        for job in self.jobs():
            pairs = self.pairs(job)
            for name, rows in row_sets.items():
                mine = {(r, m) for r, m in pairs if r in rows}
                codes = {c: c for c in job.columns}
                if name == SECTOR:
                    codes = {
                        "first_job_count": "in_work_12m_count",
                        "own_sector_count": "own_sector_count",
                    }
                merge(out[name], hidden_by_column(mine, codes))
        self.cfg.layouts.clear()


def _cut(frame: pl.DataFrame, code: str | None) -> pl.DataFrame:
    return frame if code is None else frame.filter(pl.col("period") == code)


def participation_family(
    frames: dict[str, pl.DataFrame], specs: dict[str, MartSpec], cfg: Settings
) -> dict[str, Hidden]:
    """Hidden cells of the family's marts in ``frames``, year by year."""
    out: dict[str, Hidden] = {name: {} for name in frames}
    row_sets = {name: set(frame["_row"].to_list()) for name, frame in frames.items()}
    present = [frames.get(name) for name in PARTICIPATION_FAMILY]
    years = sorted(
        set().union(*(set(f["_year"].unique().to_list()) for f in present if f is not None))
    )
    for year in years:
        _FamilyYear(year, frames, specs, cfg).protect(out, row_sets)
    return out


def _all_sections(sector: pl.DataFrame, first_jobs: set[int]) -> set[int]:
    """Rows whose all_sections_count (the ``_T`` first jobs of their pool and year) is hidden."""
    hidden_totals = {
        (pool, year)
        for pool, year, row, section in sector.select(
            "pool_id", "year", "_row", "nace_section"
        ).iter_rows()
        if section == TOTAL and row in first_jobs
    }
    return {
        row
        for pool, year, row in sector.select("pool_id", "year", "_row").iter_rows()
        if (pool, year) in hidden_totals
    }


def protect_participation(run: Run) -> None:
    """Protector of the family: its systems, then participation's distinct trainees (primary
    only) and the sectors' all_sections_count (hidden with its pool and year's ``_T``)."""
    family = run.fresh_frames(PARTICIPATION_FAMILY)
    if family:
        for name, found in participation_family(family, run.specs, run.cfg).items():
            run.merge(name, found)
    if PARTICIPATION in run.fresh:
        run.merge(
            PARTICIPATION, primary_hidden(run.frames[PARTICIPATION], ["trainee_count"], run.cfg)
        )
    if SECTOR in run.fresh:
        first_jobs = run.hidden[SECTOR].get("first_job_count", set())
        run.hidden[SECTOR]["all_sections_count"] = _all_sections(run.frames[SECTOR], first_jobs)
