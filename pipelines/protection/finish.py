"""Reading a mart, finishing it (flags of every protected column) and writing it.

`read_mart` reads a warehouse mart in a fixed order with a ``_row`` number; `finish` turns
its hidden cells into NULL + ``c``, derives the flags of rates, medians and ratios (the rules of
`pipelines.disclosure.flags`), marks provisional rows ``p``; `write_mart` writes it into
published.duckdb with the warehouse's comments. `publish_restricted` is the pool-manager tier.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence

import duckdb
import polars as pl

from pipelines import disclosure as dc
from pipelines.catalogue import CATALOGUE_PATH, MartSpec
from pipelines.duck import copy_comments, frame_to_table, quote_ident, quote_literal
from pipelines.protection.systems import Hidden, Settings

FLAG_COMMENT = "Flag of {column}: c confidential (value withheld), p provisional, NULL none"


def _mask(frame: pl.DataFrame, rows: set[int]) -> pl.Expr:
    return pl.col("_row").is_in(sorted(rows)) if rows else pl.lit(False)


def finish(frame: pl.DataFrame, spec: MartSpec, hidden: Hidden, cfg: Settings) -> pl.DataFrame:
    """Null hidden values with ``c``, derive rates/medians/ratios, ``p`` on provisional rows."""
    counts = [c for c in (*spec.person_counts, *spec.counts) if c in frame.columns]
    out = frame
    for column in counts:
        out = dc.set_flag(
            out, column, dc.FLAG_CONFIDENTIAL, _mask(frame, hidden.get(column, set()))
        )
    for rate, (numerator, denominator) in spec.rates.items():
        out = dc.flag_rate(out, rate, numerator, denominator, cfg.min_denominator)
    for median, count in spec.medians.items():
        out = dc.flag_median(out, median, count, cfg.threshold)
    for ratio, (numerator, denominator) in spec.ratios.items():
        out = dc.flag_ratio(out, ratio, numerator, denominator)
    for column in counts:
        missing = pl.col(column).is_null() & ~dc.is_confidential(column)
        out = dc.set_flag(out, column, dc.FLAG_NOT_AVAILABLE, missing)
    if spec.provisional and spec.provisional in out.columns:
        provisional = pl.col(spec.provisional).fill_null(False)
        out = dc.mark_provisional(out, [c for c in spec.protected if c in out.columns], provisional)
    ordered: list[str] = []
    for column in frame.columns:
        if column.startswith("_"):
            continue
        ordered.append(column)
        if column in spec.protected:
            ordered.append(dc.flag_column(column))
    return out.select(ordered)


def write_mart(
    dst: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, spec: MartSpec
) -> None:
    frame_to_table(dst, f"marts.{name}", frame)
    copy_comments(dst, "marts", name)
    for column in spec.protected:
        if column in frame.columns:
            text = FLAG_COMMENT.format(column=column)
            dst.execute(
                f"COMMENT ON COLUMN marts.{name}.{quote_ident(dc.flag_column(column))} "
                f"IS {quote_literal(text)}"
            )


def read_mart(
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
    listed = ", ".join(quote_ident(c) for c in order)
    frame = dst.sql(f"SELECT * FROM wh.marts.{name} ORDER BY {listed}").pl()
    frame = frame.with_row_index("_row").with_columns(pl.col("_row").cast(pl.Int64) + offset)
    if "period" in frame.columns:
        frame = frame.with_columns(pl.col("period").cast(pl.String).str.slice(0, 4).alias("_year"))
    elif "year" in frame.columns:
        frame = frame.with_columns(pl.col("year").cast(pl.String).alias("_year"))
    return frame


def tiers() -> dict[str, str]:
    """``tier`` of each mart in the catalogue: only 'public' marts go to ``marts.*`` (a
    'restricted' mart is the pool-manager tier's, published elsewhere)."""
    data = tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {name: str(raw.get("tier", "public")) for name, raw in data.get("marts", {}).items()}


def publish_restricted(
    dst: duckdb.DuckDBPyConnection, name: str, spec: MartSpec, threshold: int
) -> int:
    """A pool-manager-tier mart (finer detail of one's own pool) into table ``<name>`` of
    ``dst``, the restricted file being built (never published.duckdb).

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
        small = dc.is_small(pl.col(col), threshold)
        withheld += int(frame.select(small.sum()).item() or 0)
        ordered.append(pl.when(small).then(None).otherwise(pl.col(col)).alias(col))
        ordered.append(
            pl.when(small)
            .then(pl.lit(dc.FLAG_CONFIDENTIAL))
            .otherwise(pl.lit(None, pl.String))
            .alias(dc.flag_column(col))
        )
    frame_to_table(dst, f"main.{name}", frame.select(ordered))
    rows = dst.execute(
        "SELECT comment FROM duckdb_tables() "
        "WHERE database_name = 'wh' AND schema_name = 'marts' AND table_name = ?",
        [name],
    ).fetchall()
    text = (rows[0][0] if rows and rows[0][0] else name) + (
        " Pool-manager tier: primary suppression only (counts 1 to "
        f"{threshold - 1} withheld, flag c); served to the managers of the row's pool only."
    )
    dst.execute(f"COMMENT ON TABLE main.{name} IS {quote_literal(text)}")
    for col, comment in dst.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = 'wh' "
        "AND schema_name = 'marts' AND table_name = ? AND comment IS NOT NULL",
        [name],
    ).fetchall():
        column = quote_ident(col)
        dst.execute(f"COMMENT ON COLUMN main.{name}.{column} IS {quote_literal(comment)}")
    for col in counts:
        doc = f"Flag of {col}: c confidential (value withheld), NULL none."
        flag = quote_ident(dc.flag_column(col))
        dst.execute(f"COMMENT ON COLUMN main.{name}.{flag} IS {quote_literal(doc)}")
    return withheld
