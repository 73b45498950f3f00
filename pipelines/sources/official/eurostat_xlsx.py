"""Eurostat Data Browser XLSX download: a `Summary` sheet and one sheet per slice.

Each slice sheet has extraction lines (`Dataset: … [ei_lmjv_q_r2$defaultview]`, `Last updated:`),
a filter block (dimension label in column A, value label in column C) that fixes the slice, a
`TIME` row in which each period is merged over a value column and a flag column, a `GEO (Labels)`
row, one row per geo, then a blank row and a legend. Values are numbers, `:` is not available,
flags are inline strings (empty flag cells are empty strings). Every sheet is read; the slice's
dimensions come from its own filter block, so a sheet is never misattributed by its position.
"""

from __future__ import annotations

import re
from datetime import date

import fastexcel
import polars as pl

from pipelines.sources.official.common import (
    EUROSTAT,
    ContextRead,
    UnrecognisedFile,
    codelist,
    finish,
    label_to_code,
    normalise_label,
    parse_day_month_year,
    parse_period,
    rejected_frame,
)

FORMAT = "eurostat_xlsx"


def looks_like(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


# A sheet's cells as Python rows, taken once: indexing a polars frame cell by cell cost ~0.4 s
# for a few thousand cells (a third of loading the official statistics).
Grid = list[tuple[object, ...]]


def _cell(grid: Grid, row: int, column: int) -> str:
    if row >= len(grid) or column >= len(grid[row]):
        return ""
    value = grid[row][column]
    return "" if value is None else str(value).strip()


def _summary_last_update(frame: pl.DataFrame) -> date | None:
    grid = frame.rows()
    for row in range(frame.height):
        if _cell(grid, row, 0).lower().startswith("last update of data"):
            for column in range(1, frame.width):
                stated = parse_day_month_year(_cell(grid, row, column))
                if stated:
                    return stated
    return None


def read_eurostat_xlsx(data: bytes, file_name: str) -> ContextRead:
    try:
        workbook = fastexcel.read_excel(data)
    except Exception as error:  # fastexcel raises its own error types for any unreadable file
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no detail"
        raise UnrecognisedFile(file_name, f"not a readable XLSX workbook ({first_line})") from None
    names = workbook.sheet_names
    if "Summary" not in names or len(names) < 2:
        raise UnrecognisedFile(file_name, "XLSX without a Summary sheet and data sheets")
    summary = workbook.load_sheet("Summary", header_row=None, dtypes="string").to_polars()
    last_update = _summary_last_update(summary)

    frames: list[pl.DataFrame] = []
    rejected: list[dict[str, str | None]] = []
    all_dimensions: list[str] = []
    rows_read = 0
    for name in names:
        if name == "Summary":
            continue
        sheet = workbook.load_sheet(name, header_row=None, dtypes="string").to_polars()
        frame, sheet_rejected, dimensions, count = _read_sheet(sheet, name, file_name)
        rows_read += count
        rejected.extend(sheet_rejected)
        for dim in dimensions:
            if dim not in all_dimensions:
                all_dimensions.append(dim)
        frames.append(frame)

    combined = pl.concat(frames, how="diagonal_relaxed")
    for dim in all_dimensions:
        if dim not in combined.columns:
            combined = combined.with_columns(pl.lit(None, dtype=pl.String).alias(dim))
    observations, bad = finish(
        combined,
        dimensions=all_dimensions,
        source=EUROSTAT,
        file_name=file_name,
        last_update=last_update,
    )
    return ContextRead(
        file_name=file_name,
        file_format=FORMAT,
        observations=observations,
        rejected=pl.concat([rejected_frame(rejected), bad]),
        rows_read=rows_read,
        last_update=last_update,
    )


def _read_sheet(
    sheet: pl.DataFrame, name: str, file_name: str
) -> tuple[pl.DataFrame, list[dict[str, str | None]], list[str], int]:
    """One slice sheet -> (intermediate frame, rejected rows, dimension names, data rows)."""
    where = f"{file_name} [{name}]"
    grid = sheet.rows()
    first_column = [_cell(grid, row, 0) for row in range(sheet.height)]
    time_row, dataset_row, dataset = _layout(first_column, grid, where)
    geo_row = time_row + 1
    geo_header = first_column[geo_row]
    fixed, unknown = _filters(first_column, grid, dataset_row, time_row)
    periods = _periods(grid, sheet.width, time_row, where)

    geo_is_label = "label" in geo_header.lower()
    records: list[dict[str, str | None]] = []
    rejected: list[dict[str, str | None]] = []
    count = 0
    for row in range(geo_row + 1, sheet.height):
        geo_text = first_column[row]
        if not geo_text:
            break  # the blank row before the legend ends the table
        count += 1
        cells = [_cell(grid, row, c) for c in range(sheet.width)]
        raw = "\t".join(cells).rstrip("\t")
        location = f"{name} row {row + 1}"
        geo = label_to_code("geo", geo_text) if geo_is_label else geo_text
        problems = [*unknown, *([] if geo else [f"geo '{geo_text}'"])]
        if problems:
            rejected.append(
                {
                    "dataset": dataset,
                    "file_name": file_name,
                    "location": location,
                    "raw": raw,
                    "reason": "unknown_label",
                    "detail": "; ".join(problems),
                }
            )
            continue
        for column, label, flag_at in periods:
            records.append(
                {
                    "dataset": dataset,
                    "location": f"{location}, {label}",
                    "raw": raw,
                    **fixed,
                    "geo": geo,
                    "period_raw": label,
                    "value_raw": cells[column],
                    "flag_raw": cells[flag_at] if flag_at is not None else None,
                }
            )
    dimensions = [*fixed, "geo"]
    schema = {
        n: pl.String
        for n in ("dataset", "location", "raw", *dimensions, "period_raw", "value_raw", "flag_raw")
    }
    return pl.DataFrame(records, schema=schema), rejected, dimensions, count


def _layout(first_column: list[str], grid: Grid, where: str) -> tuple[int, int, str]:
    """The TIME row, the 'Dataset:' row and the dataset code of a slice sheet (refused when
    the sheet is not laid out as Eurostat writes it)."""
    try:
        time_row = first_column.index("TIME")
    except ValueError:
        raise UnrecognisedFile(where, "no TIME row above the table") from None
    geo_row = time_row + 1
    geo_header = first_column[geo_row] if geo_row < len(first_column) else ""
    if not geo_header.startswith("GEO"):
        raise UnrecognisedFile(where, f"row {geo_row + 1} should be 'GEO (Labels)'")
    dataset_row = next((r for r, c in enumerate(first_column[:time_row]) if c == "Dataset:"), None)
    if dataset_row is None:
        raise UnrecognisedFile(where, "no 'Dataset:' line")
    match = re.search(r"\[([A-Za-z0-9_]+)(?:\$[^\]]*)?\]", _cell(grid, dataset_row, 1))
    if not match:
        raise UnrecognisedFile(where, "the 'Dataset:' line names no dataset code")
    dataset = match.group(1).lower()
    return time_row, dataset_row, dataset


def _filters(
    first_column: list[str], grid: Grid, dataset_row: int, time_row: int
) -> tuple[dict[str, str], list[str]]:
    """The dimensions fixed by the filter block (code per dimension) and what is unknown there."""
    # Filter block: the rows between the extraction lines and TIME with a label in A, value in C.
    dimension_names = codelist("dimensions")
    fixed: dict[str, str] = {}
    unknown: list[str] = []
    for row in range(dataset_row + 1, time_row):
        label, value = first_column[row], _cell(grid, row, 2)
        if not label or not value or label.endswith(":"):
            continue
        dim = dimension_names.get(normalise_label(label))
        if dim is None:
            unknown.append(f"dimension '{label}'")
            continue
        code = label_to_code(dim, value)
        if code is None:
            unknown.append(f"{dim} '{value}'")
            continue
        fixed[dim] = code
    return fixed, unknown


def _periods(
    grid: Grid, width: int, time_row: int, where: str
) -> list[tuple[int, str, int | None]]:
    """(column, period label, its flag column or None) of each period of the TIME row."""
    # Periods: each label in the TIME row; the next column is its flag column when it is blank
    # in the TIME row (merged cell) and not itself a period.
    periods: list[tuple[int, str, int | None]] = []
    for column in range(1, width):
        label = _cell(grid, time_row, column)
        if not label:
            continue
        if parse_period(label) is None:
            raise UnrecognisedFile(where, f"TIME row cell '{label}' is not a period")
        flag_column = column + 1
        has_flag = flag_column < width and not _cell(grid, time_row, flag_column)
        periods.append((column, label, flag_column if has_flag else None))
    if not periods:
        raise UnrecognisedFile(where, "TIME row holds no period")
    return periods
