"""The old Eurostat Data Explorer CSV export (`<dataset>_1_Data.csv`) and its `_Label.csv` sidecar.

The data file is long, every field quoted, ISO-8859-1: `"TIME","GEO","GEO_LABEL","AGE","SEX",
"Value","Flag and Footnotes"`. Dimensions are given as codes (`GEO`) or as labels (`AGE` =
`15 years or over`); a `<DIM>_LABEL` column only repeats a code in words and is not needed.
The sidecar (`<dataset>_Label.csv`, same folder) is not tabular: quoted lines separated by blank
lines, with the dataset title, `LAST UPDATE: 15.04.14 02:02:08`, the extraction date, each
dimension's code list (`"BE10 - Région de Bruxelles-Capitale / …"` or a bare label) and the flag
legend. It gives the last-update date and codes for the labels it lists.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.sources.official.common import (
    EUROSTAT,
    ContextRead,
    UnrecognisedFile,
    dataset_from_name,
    decode_text,
    finish,
    label_to_code,
    normalise_label,
    parse_day_month_year,
    rejected_frame,
)

FORMAT = "eurostat_explorer_csv"
ENCODINGS = ("utf-8", "iso-8859-1")
VALUE = "Value"
FLAG = "Flag and Footnotes"


def looks_like(first_line: str) -> bool:
    cells = next(csv.reader([first_line.lstrip("\ufeff")]), [])
    return bool(cells) and cells[0] == "TIME" and VALUE in cells


def looks_like_sidecar(first_line: str) -> bool:
    return first_line.lstrip("\ufeff").startswith('"DATASET:')


def sidecar_path(data_path: Path) -> Path:
    """`lfst_r_lfu3rt_1_Data.csv` -> `lfst_r_lfu3rt_Label.csv` in the same folder."""
    stem = re.sub(r"_\d+_Data$", "", data_path.stem, flags=re.IGNORECASE)
    return data_path.with_name(f"{stem}_Label.csv")


@dataclass
class Sidecar:
    """What the `_Label.csv` file states."""

    file_name: str
    dataset: str | None = None
    title: str | None = None
    last_update: date | None = None
    extraction_date: date | None = None
    # dimension (lower case) -> folded label -> code, for entries written "CODE - label"
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)


def read_sidecar(data: bytes, file_name: str) -> Sidecar:
    text, _ = decode_text(data, file_name, ENCODINGS)
    if not looks_like_sidecar(text.split("\n", 1)[0]):
        raise UnrecognisedFile(file_name, "not a Data Explorer _Label.csv (no DATASET line)")
    sidecar = Sidecar(file_name=file_name)
    section: str | None = None
    for cells in csv.reader(io.StringIO(text, newline="")):
        if not cells or not "".join(cells).strip():
            continue
        first = cells[0].strip()
        if first.startswith("DATASET:"):
            sidecar.title = first.removeprefix("DATASET:").strip()
            code = re.search(r"\[([^\]]+)\]\s*$", first)
            sidecar.dataset = code.group(1).lower() if code else None
        elif first.startswith("LAST UPDATE:"):
            sidecar.last_update = parse_day_month_year(first)
        elif first.startswith("EXTRACTION DATE:"):
            sidecar.extraction_date = parse_day_month_year(first)
        elif first.startswith("SOURCE OF DATA:"):
            continue
        elif first in ("Available flags:", "Special value:"):
            section = "flags"
        elif len(cells) == 2 and section == "flags":
            sidecar.flags[first] = cells[1].strip()
        elif len(cells) == 1 and re.fullmatch(r"[A-Z][A-Z0-9_]*", first):
            section = first.lower()
            sidecar.labels.setdefault(section, {})
        elif len(cells) == 1 and section and section != "flags":
            entry = re.match(r"^([A-Z0-9][A-Z0-9_\-]*) - (.+)$", first)
            if entry:
                sidecar.labels[section][normalise_label(entry.group(2))] = entry.group(1)
    if sidecar.last_update is None:
        raise UnrecognisedFile(file_name, "sidecar states no LAST UPDATE")
    return sidecar


def read_eurostat_explorer_csv(
    data: bytes, file_name: str, sidecar: Sidecar | None = None
) -> ContextRead:
    text, _ = decode_text(data, file_name, ENCODINGS)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise UnrecognisedFile(file_name, "empty file") from None
    dimensions = _dimensions(header, file_name)
    position = {name: i for i, name in enumerate(header)}
    dataset = (sidecar.dataset if sidecar and sidecar.dataset else None) or dataset_from_name(
        re.sub(r"_\d+_Data(\.csv)?$", "", file_name, flags=re.IGNORECASE)
    )
    extra = sidecar.labels if sidecar else {}

    records: list[dict[str, str | None]] = []
    rejected: list[dict[str, str | None]] = []
    rows_read = 0
    for number, cells in enumerate(reader, start=2):
        if not cells or all(not c.strip() for c in cells):
            continue
        rows_read += 1
        if len(cells) != len(header):
            raise UnrecognisedFile(
                file_name, f"line {number} has {len(cells)} fields, the header {len(header)}"
            )
        raw = ",".join(f'"{c}"' for c in cells)
        record: dict[str, str | None] = {
            "dataset": dataset,
            "location": f"line {number}",
            "raw": raw,
        }
        unknown: list[str] = []
        for dim in dimensions:
            cell = cells[position[dim]]
            code = label_to_code(dim.lower(), cell, extra.get(dim.lower()))
            if code is None:
                unknown.append(f"{dim.lower()} '{cell}'")
            record[dim.lower()] = code
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
        # Thousands may be written with a space or a comma; `.` is the decimal point.
        record["value_raw"] = re.sub(r"[\s,]", "", cells[position[VALUE]])
        record["period_raw"] = cells[position["TIME"]]
        record["flag_raw"] = cells[position[FLAG]]
        records.append(record)

    dims = [d.lower() for d in dimensions]
    return _read_result(file_name, records, rejected, dims, rows_read, sidecar)


def _dimensions(header: list[str], file_name: str) -> list[str]:
    """The dimension columns of a Data Explorer CSV header (refused without TIME, value, flag
    or any dimension)."""
    missing = [c for c in ("TIME", VALUE, FLAG) if c not in header]
    if missing:
        raise UnrecognisedFile(file_name, f"Data Explorer CSV lacks column '{missing[0]}'")
    dimensions = [c for c in header if c not in ("TIME", VALUE, FLAG) and not c.endswith("_LABEL")]
    if not dimensions:
        raise UnrecognisedFile(file_name, "Data Explorer CSV has no dimension column")
    return dimensions


def _read_result(
    file_name: str,
    records: list[dict[str, str | None]],
    rejected: list[dict[str, str | None]],
    dims: list[str],
    rows_read: int,
    sidecar: Sidecar | None,
) -> ContextRead:
    """The records read, finished into observations (and the rows `finish` refuses)."""
    schema = {
        name: pl.String
        for name in ("dataset", "location", "raw", *dims, "period_raw", "value_raw", "flag_raw")
    }
    last_update = sidecar.last_update if sidecar else None
    observations, bad = finish(
        pl.DataFrame(records, schema=schema),
        dimensions=dims,
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
        sidecar=sidecar.file_name if sidecar else None,
    )
