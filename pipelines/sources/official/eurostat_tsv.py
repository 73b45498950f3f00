"""Eurostat bulk-download TSV, old (`age,sex,geo\\time`) and new (`…,geo\\TIME_PERIOD`) layouts.

The first column is a comma-joined key whose dimension names sit in the header before the
backslash; every other column is a period, labelled with a trailing space in the old files and
in ascending or descending order. A cell is `value flag` (`19.2 `, `9.1 u`, `7.6 bu`, `: u`), with
`:` for missing. Eurostat serves these files gzipped, so `.tsv.gz` is read the same way.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pipelines.sources.official.common import (
    EUROSTAT,
    ContextRead,
    UnrecognisedFile,
    dataset_from_name,
    finish,
    parse_period,
)

FORMAT = "eurostat_tsv"

HEADER_KEY = re.compile(r"^([a-z][a-z0-9_]*(?:,[a-z][a-z0-9_]*)*)\\(time|TIME_PERIOD)$")
CELL = re.compile(r"^\s*(?P<value>\S+?)(?:\s+(?P<flag>[a-zA-Z]{1,3}))?\s*$")


def looks_like(first_line: str) -> bool:
    """A tab-separated header whose first cell is `dims\\time` or `dims\\TIME_PERIOD`."""
    first_cell = first_line.split("\t", 1)[0].strip()
    return "\t" in first_line and bool(HEADER_KEY.match(first_cell))


def read_eurostat_tsv(text: str, file_name: str, last_update: date | None = None) -> ContextRead:
    """Read a decoded bulk TSV. The file states no last-update date; the caller may pass one."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise UnrecognisedFile(file_name, "empty file")
    header = lines[0].split("\t")
    key_match = HEADER_KEY.match(header[0].strip())
    if not key_match or len(header) < 2:
        raise UnrecognisedFile(
            file_name, f"not a Eurostat bulk TSV header (first cell '{header[0][:60]}')"
        )
    dimensions = key_match.group(1).split(",")
    period_labels = [label.strip() for label in header[1:]]
    for label in period_labels:
        if parse_period(label) is None:
            raise UnrecognisedFile(file_name, f"column '{label}' is not a period label")
    if len(set(period_labels)) != len(period_labels):
        raise UnrecognisedFile(file_name, "a period column appears twice")

    dataset = dataset_from_name(file_name)
    rows: list[list[str]] = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise UnrecognisedFile(
                file_name, f"line {number} has {len(cells)} cells, the header {len(header)}"
            )
        key = cells[0].strip().split(",")
        if len(key) != len(dimensions):
            raise UnrecognisedFile(
                file_name, f"line {number} key '{cells[0]}' does not match '{header[0]}'"
            )
        rows.append([str(number), line, *key, *cells[1:]])
    if not rows:
        raise UnrecognisedFile(file_name, "empty: a header but no data rows")

    wide = pl.DataFrame(
        rows,
        schema=["_line", "raw", *dimensions, *period_labels],
        orient="row",
    )
    long = wide.unpivot(
        index=["_line", "raw", *dimensions],
        on=period_labels,
        variable_name="period_raw",
        value_name="cell",
    )
    parts = pl.col("cell").str.extract_groups(CELL.pattern)
    long = long.with_columns(
        pl.lit(dataset).alias("dataset"),
        (pl.lit("line ") + pl.col("_line") + pl.lit(", ") + pl.col("period_raw")).alias("location"),
        pl.when(parts.struct.field("value").is_null())
        .then(pl.col("cell"))  # unreadable cell: kept whole so finish() rejects it
        .otherwise(parts.struct.field("value"))
        .alias("value_raw"),
        parts.struct.field("flag").alias("flag_raw"),
        (pl.col("raw").str.split("\t").list.first() + pl.lit("\t") + pl.col("cell")).alias("raw"),
    )
    observations, rejected = finish(
        long,
        dimensions=dimensions,
        source=EUROSTAT,
        file_name=file_name,
        last_update=last_update,
    )
    return ContextRead(
        file_name=file_name,
        file_format=FORMAT,
        observations=observations,
        rejected=rejected,
        rows_read=len(rows),
        last_update=last_update,
    )
