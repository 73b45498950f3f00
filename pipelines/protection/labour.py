"""The job-seeker marts: monthly stocks by duration band, 12-month averages, shortage.

Why together: mart_labour_market_pool's ``_T`` (the whole market) is the same figure as
mart_labour_market_occupation's ``_T``: one cell, one status. Monthly stocks by duration band
add up (with the part the bands leave over as a cell of its own); an average of monthly stocks
is hidden when small or when any month it averages is hidden (else stock = 12 x average
difference gives it back), which is also how mart_shortage_occupation's yearly averages are
protected.
"""

from __future__ import annotations

import polars as pl

from pipelines import disclosure as dc
from pipelines.protection.run import Run
from pipelines.protection.systems import (
    TOTAL,
    Hidden,
    Settings,
    Table,
    hidden_by_column,
    measure_dim,
    melt,
    solve,
)
from pipelines.protection.versions import previous_months

OCCUPATION = "mart_labour_market_occupation"
POOL = "mart_labour_market_pool"
LABOUR_FAMILY = (OCCUPATION, POOL)
SHORTAGE = "mart_shortage_occupation"

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
    long = melt(wide, [key, "month"], {c: c for c in columns})
    long = long.with_columns(
        pl.when(pl.col("_measure") == "_band_rest").then(-1).otherwise(pl.col("_row")).alias("_row")
    )
    dims = [
        dc.DimSpec("month"),
        dc.DimSpec(key, total=TOTAL if key_total else None),
        measure_dim(JOBSEEKER_BANDS),
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
    small = dc.is_small(pl.col(column), cfg.threshold)
    return set(flagged.filter((pl.col("_hw") > 0) | small)["_row"].to_list())


def labour_hidden(
    occupation: pl.DataFrame | None, pool: pl.DataFrame | None, cfg: Settings
) -> dict[str, Hidden]:
    out: dict[str, Hidden] = {}
    total_hidden: dict[tuple[object, str], bool] = {}
    if occupation is not None:
        pairs = solve({"stock": _stock_system(occupation, "occupation_isco", True)}, set(), cfg)
        hidden = hidden_by_column(pairs, {c: c for c in STOCK_COLUMNS})
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
        pairs = solve({"stock": _stock_system(parts, "pool_id", False)}, set(), cfg)
        hidden = hidden_by_column(pairs, {c: c for c in STOCK_COLUMNS})
        # the whole market: the same cells as mart_labour_market_occupation's '_T'
        for column in STOCK_COLUMNS:
            for month, row, value in (
                pool.filter(pl.col("pool_id") == TOTAL).select("month", "_row", column).iter_rows()
            ):
                same = total_hidden.get((month, column))
                small = dc.is_small(value, cfg.threshold)
                if same or (same is None and small):
                    hidden.setdefault(column, set()).add(row)
        hidden["jobseeker_avg_12m_count"] = _window_hidden(
            pool, "pool_id", hidden.get("jobseeker_count", set()), "jobseeker_avg_12m_count", cfg
        )
        out["mart_labour_market_pool"] = hidden
    return out


def months_hidden(frame: pl.DataFrame | None, key: str, hidden: Hidden) -> set[tuple[int, str]]:
    """(year, key) pairs of which some month of job-seeker stock is hidden."""
    if frame is None:
        return set()
    rows = hidden.get("jobseeker_count", set())
    sub = frame.filter(pl.col("_row").is_in(list(rows)))
    return {(m.year, k) for k, m in sub.select(key, "month").iter_rows()}


def average_hidden(
    frame: pl.DataFrame, key: str, column: str, months: set[tuple[int, str]], cfg: Settings
) -> set[int]:
    out = set()
    for row, year, code, value in frame.select("_row", "year", key, column).iter_rows():
        if dc.is_small(value, cfg.threshold) or (int(year), code) in months:
            out.add(row)
    return out


def labour_months(run: Run, mart: str, key: str) -> set[tuple[int, str]]:
    """(year, key) pairs of which some month of a labour mart's stock is hidden: read back from
    the previous file when that mart was copied from it."""
    if mart in run.reused:
        return previous_months(run.dst, mart, key)
    return months_hidden(run.frames.get(mart), key, run.hidden.get(mart, {}))


def protect_labour(run: Run) -> None:
    """Protector of the two labour-market marts (one family)."""
    labour = run.fresh_frames(LABOUR_FAMILY)
    for name, found in labour_hidden(labour.get(OCCUPATION), labour.get(POOL), run.cfg).items():
        run.merge(name, found)


def protect_shortage(run: Run) -> None:
    """Protector of mart_shortage_occupation: averages of the occupation's monthly stock."""
    months = labour_months(run, OCCUPATION, "occupation_isco")
    run.hidden[SHORTAGE]["jobseeker_avg_count"] = average_hidden(
        run.frames[SHORTAGE], "occupation_isco", "jobseeker_avg_count", months, run.cfg
    )
