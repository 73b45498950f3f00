"""Marts protected each on their own: pool functions, supply-demand, communes.

Pool functions: pool x function x periods per year, one system per person count. Supply-demand:
completers are participation's completed_count of the year (the same status there) and the
job-seeker averages follow the labour market's hidden months. Communes: job-seeker averages add
up from the communes to the region per year and pool; trainees get primary suppression only.
"""

from __future__ import annotations

import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import MartSpec
from pipelines.protection.labour import OCCUPATION, POOL, labour_months
from pipelines.protection.participation import PARTICIPATION
from pipelines.protection.run import Run
from pipelines.protection.systems import (
    TOTAL,
    Hidden,
    Settings,
    Table,
    hidden_by_column,
    melt,
    merge,
    period_dim,
    pool_dim,
    primary_hidden,
    solve,
    solve_or_split,
)
from pipelines.protection.versions import previous_completed

POOL_FUNCTION = "mart_pool_function"
SUPPLY_DEMAND = "mart_supply_demand"
COMMUNE = "mart_commune"


def pool_function(frame: pl.DataFrame, spec: MartSpec, cfg: Settings) -> Hidden:
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
                    pool_dim(spec),
                    dc.DimSpec("function_id", total=TOTAL),
                    period_dim(int(sub["_year"][0]), additive),
                    dc.DimSpec("_measure"),
                ]
                cuts = [sub] if additive else list(sub.partition_by("period"))
                return [
                    {
                        "function": Table(
                            melt(
                                c, ["_year", "pool_id", "function_id", "period"], {column: column}
                            ),
                            dims,
                        )
                    }
                    for c in cuts
                ]

            merge(hidden, hidden_by_column(solve_or_split(build, set(), cfg), {column: column}))
    return hidden


def commune_hidden(frame: pl.DataFrame, spec: MartSpec, cfg: Settings) -> Hidden:
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
    long = melt(
        frame.with_columns(pl.col("year").cast(pl.String)),
        ["year", "pool_id", "commune_nis"],
        {"jobseeker_avg_count": "jobseeker_avg_count"},
    )
    hidden = hidden_by_column(
        solve({"commune": Table(long, dims)}, set(), cfg),
        {"jobseeker_avg_count": "jobseeker_avg_count"},
    )
    merge(hidden, primary_hidden(frame, ["trainee_count"], cfg))
    return hidden


def completed_hidden(part: pl.DataFrame | None, part_hidden: Hidden) -> set[tuple[str, int]]:
    """(pool, year) whose participation completed_count of the year (total row) is hidden."""
    out: set[tuple[str, int]] = set()
    if part is not None:
        rows = part_hidden.get("completed_count", set())
        totals = part.filter((pl.col("period_type") == "year") & (pl.col("breakdown") == "total"))
        for pool, period, row in totals.select("pool_id", "period", "_row").iter_rows():
            if row in rows:
                out.add((pool, int(period)))
    return out


def supply_demand(
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
        small = dc.is_small(completers, cfg.threshold)
        if small or (pool, int(year)) in completed_hidden:
            hidden["completer_count"].add(row)
        months = pool_months if occ == TOTAL else occ_months
        code = pool if occ == TOTAL else occ
        if dc.is_small(avg, cfg.threshold) or (int(year), code) in months:
            hidden["jobseeker_avg_count"].add(row)
    hidden["gap_count"] = hidden["completer_count"] | hidden["jobseeker_avg_count"]
    return hidden


def protect_pool_function(run: Run) -> None:
    """Protector of mart_pool_function."""
    run.merge(
        POOL_FUNCTION, pool_function(run.frames[POOL_FUNCTION], run.specs[POOL_FUNCTION], run.cfg)
    )


def protect_supply_demand(run: Run) -> None:
    """Protector of mart_supply_demand: reads participation's and the labour market's hidden
    cells (from the previous file when those marts were copied from it)."""
    completed = (
        previous_completed(run.dst)
        if PARTICIPATION in run.reused
        else completed_hidden(run.frames.get(PARTICIPATION), run.hidden.get(PARTICIPATION, {}))
    )
    occupation_months = labour_months(run, OCCUPATION, "occupation_isco")
    pool_months = labour_months(run, POOL, "pool_id")
    found = supply_demand(
        run.frames[SUPPLY_DEMAND], completed, occupation_months, pool_months, run.cfg
    )
    run.merge(SUPPLY_DEMAND, found)


def protect_commune(run: Run) -> None:
    """Protector of mart_commune."""
    run.merge(COMMUNE, commune_hidden(run.frames[COMMUNE], run.specs[COMMUNE], run.cfg))
