"""Eurostat SDMX-CSV (1.0 `DATAFLOW,LAST UPDATE,…` and 2.0 `STRUCTURE,STRUCTURE_ID,…`).

One observation per line; the dimension columns sit between the identification columns and
`TIME_PERIOD`. The Data Browser offers the file "with codes" or "with labels": labels such as
`Seasonally adjusted data, not calendar adjusted data` are quoted because they hold a comma, and
are mapped back to codes through the committed code lists (unmapped labels are rejected rows,
reason `unknown_label`). Lines end in CRLF; the csv module reads both.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import polars as pl

from pipelines.sources.official.common import (
    EUROSTAT,
    ContextRead,
    UnrecognisedFile,
    dataset_from_name,
    finish,
    label_to_code,
    parse_day_month_year,
    rejected_frame,
)

FORMAT = "eurostat_sdmx_csv"

ID_COLUMNS = ("DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "LAST UPDATE")
REQUIRED = ("TIME_PERIOD", "OBS_VALUE")
AFTER_TIME = ("OBS_VALUE", "OBS_FLAG", "CONF_STATUS")


def looks_like(first_line: str) -> bool:
    first = first_line.lstrip("\ufeff").split(",", 1)[0].strip('"')
    return first in ("DATAFLOW", "STRUCTURE")


def _dataset(flow: str, file_name: str) -> str:
    """`ESTAT:UNE_RT_M(1.0)` -> `une_rt_m`; the file name when the flow is not stated."""
    match = re.match(r"^(?:[A-Z0-9_]+:)?([A-Za-z0-9_]+)(?:\([^)]*\))?$", flow.strip())
    return match.group(1).lower() if match else dataset_from_name(file_name)


def read_eurostat_sdmx_csv(text: str, file_name: str) -> ContextRead:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise UnrecognisedFile(file_name, "empty file") from None
    time_at, dimensions = _layout(header, file_name)
    position = {name: i for i, name in enumerate(header)}
    flow_column = "DATAFLOW" if "DATAFLOW" in position else "STRUCTURE_ID"

    records: list[dict[str, str | None]] = []
    rejected: list[dict[str, str | None]] = []
    update_dates: set[date] = set()
    rows_read = 0
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        rows_read += 1
        raw = ",".join(cells)
        if len(cells) != len(header):
            raise UnrecognisedFile(
                file_name, f"line {number} has {len(cells)} fields, the header {len(header)}"
            )
        flow = cells[position[flow_column]] if flow_column in position else ""
        dataset = _dataset(flow, file_name)
        if "LAST UPDATE" in position:
            stated = parse_day_month_year(cells[position["LAST UPDATE"]])
            if stated:
                update_dates.add(stated)
        record: dict[str, str | None] = {
            "dataset": dataset,
            "location": f"line {number}",
            "raw": raw,
        }
        unknown: list[str] = []
        for dim in dimensions:
            cell = cells[position[dim]]
            code = label_to_code(dim, cell)
            if code is None:
                unknown.append(f"{dim} '{cell}'")
            record[dim] = code
        if unknown:
            rejected.append(
                {
                    "dataset": dataset,
                    "file_name": file_name,
                    "location": f"line {number}",
                    "raw": raw,
                    "reason": "unknown_label",
                    "detail": "; ".join(unknown),
                }
            )
            continue
        flags = cells[position["OBS_FLAG"]] if "OBS_FLAG" in position else ""
        if "CONF_STATUS" in position:
            flags += cells[position["CONF_STATUS"]]
        record["period_raw"] = cells[time_at]
        record["value_raw"] = cells[position["OBS_VALUE"]]
        record["flag_raw"] = flags
        records.append(record)

    last_update = max(update_dates) if update_dates else None
    return _read_result(file_name, records, rejected, dimensions, rows_read, last_update)


def _layout(header: list[str], file_name: str) -> tuple[int, list[str]]:
    """Where TIME_PERIOD is and the dimension columns before it; a header that is not
    SDMX-CSV as Eurostat writes it is refused."""
    missing = [column for column in REQUIRED if column not in header]
    if missing or header[0] not in ("DATAFLOW", "STRUCTURE"):
        raise UnrecognisedFile(
            file_name, f"SDMX-CSV header lacks {', '.join(missing) or 'DATAFLOW/STRUCTURE'}"
        )
    time_at = header.index("TIME_PERIOD")
    dimensions = [c for c in header[:time_at] if c not in ID_COLUMNS]
    unknown_after = [c for c in header[time_at + 1 :] if c not in AFTER_TIME]
    if unknown_after:
        raise UnrecognisedFile(
            file_name, f"unexpected column '{unknown_after[0]}' after TIME_PERIOD"
        )
    if not dimensions:
        raise UnrecognisedFile(file_name, "no dimension column before TIME_PERIOD")
    return time_at, dimensions


def _read_result(
    file_name: str,
    records: list[dict[str, str | None]],
    rejected: list[dict[str, str | None]],
    dimensions: list[str],
    rows_read: int,
    last_update: date | None,
) -> ContextRead:
    """The records read, finished into observations (and the rows `finish` refuses)."""
    schema = {
        name: pl.String
        for name in (
            "dataset",
            "location",
            "raw",
            *dimensions,
            "period_raw",
            "value_raw",
            "flag_raw",
        )
    }
    frame = pl.DataFrame(records, schema=schema)
    observations, bad = finish(
        frame,
        dimensions=dimensions,
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
