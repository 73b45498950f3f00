"""Response bodies of the API: one page of a mart as JSON, CSV or SDMX-CSV, and the catalogue.

The types are the published ones, as every export writes them (issue 18): a count is an
integer (never a Decimal), a suppressed cell is `null` / empty with its flag, a rate a number
written with its decimal point, a boolean `true`/`false`, a date ISO 8601. The CSV follows the
exports' CSV rules (RFC 4180; codes of all-digit lists with their list's prefix, `nis:04000`,
so that a reader guessing types keeps them as text); JSON keeps codes bare, typed as strings by
the OpenAPI document; SDMX-CSV is the exports' SDMX-CSV (dashboard/exports/sdmx.py).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd

from dashboard import data
from dashboard.exports import sdmx
from dashboard.exports.csv import number_text
from dashboard.exports.selection import CODE_PREFIX, mart_group, neutralise, plain, value_kind

# Published columns holding codes of an all-digit list → that list's name (CODE_PREFIX).
CODE_COLUMNS: Final = {"commune_nis": "commune", "occupation_isco": "occupation"}


def kinds(path: Path, mart: str) -> dict[str, str]:
    """Column → "integer", "number", "boolean", "date" or "string" (from the published types)."""
    described = data.table_columns(path, "marts", mart)
    out: dict[str, str] = {}
    for name, kind in zip(described["column_name"], described["data_type"], strict=True):
        text = str(kind).upper()
        if text == "VARCHAR":
            out[str(name)] = "string"
        elif text == "DATE" or text.startswith("TIMESTAMP"):
            out[str(name)] = "date"
        else:
            out[str(name)] = value_kind(text)
    return out


def json_value(value: Any) -> Any:
    """A published value as JSON: int, float, bool, str, ISO date, or None (NaN included)."""
    value = plain(value)
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    return value


def records(
    frame: pd.DataFrame, column_kinds: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Rows as JSON objects; an integer column is written as integers (pandas holds a count
    column with suppressed cells as floats: 80.0 → 80, NaN → null)."""
    columns = [str(c) for c in frame.columns]
    integers = {c for c, k in (column_kinds or {}).items() if k == "integer"}
    out = []
    for row in frame.itertuples(index=False, name=None):
        item = {c: json_value(v) for c, v in zip(columns, row, strict=True)}
        for c in integers.intersection(item):
            if item[c] is not None:
                item[c] = int(item[c])
        out.append(item)
    return out


def _csv_cell(value: Any, kind: str, column: str, row: dict[str, Any]) -> str:
    value = json_value(value)
    if value is None:
        return ""
    if kind in ("integer", "number", "boolean"):
        return number_text(value, False, kind)
    text = str(value)
    code_list = CODE_COLUMNS.get(column)
    if column == "breakdown_value" and row.get("breakdown") == "commune":
        code_list = "commune"
    if code_list and text.isdigit():
        return CODE_PREFIX[code_list] + text
    return neutralise(text)


def csv_text(frame: pd.DataFrame, column_kinds: dict[str, str]) -> str:
    """The page as RFC 4180 CSV (UTF-8, `,`, CRLF) with the mart's column names."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    columns = [str(c) for c in frame.columns]
    writer.writerow(columns)
    for row in frame.to_dict("records"):
        writer.writerow([_csv_cell(row[c], column_kinds.get(c, "string"), c, row) for c in columns])
    return out.getvalue()


def sdmx_text(path: Path, mart: str, frame: pd.DataFrame) -> str:
    """The page as SDMX-CSV 2.0, the same lines as `observatory export --format sdmx-csv`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(sdmx.HEADER)
    writer.writerows(sdmx.group_lines(mart_group(path, mart, frame)))
    return out.getvalue()


def catalogue_frame(path: Path) -> pd.DataFrame:
    """The indicator catalogue as published (meta.indicator)."""
    return data.indicators(path)
