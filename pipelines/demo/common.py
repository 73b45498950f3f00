"""Shared pieces of the demo generator: calendar arithmetic on numpy day numbers, INSZ numbers,
file styles (Belgian CSV, UTF-8 CSV, XLSX) and the deliberate defects.

Dates are handled as int64 day numbers (days since 1970-01-01) so that hundreds of thousands of
rows are drawn with vectorised numpy; they become polars `Date` columns only when written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
import xlsxwriter

# A fixed creation time for the XLSX document properties: otherwise xlsxwriter stamps "now" and
# two runs with the same seed would not be byte-identical.
XLSX_CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

IntArray = np.ndarray


def abs_month(d: dt.date) -> int:
    """Months since year 0: a single integer for month arithmetic."""
    return d.year * 12 + d.month - 1


def month_date(m: int) -> dt.date:
    return dt.date(m // 12, m % 12 + 1, 1)


def month_start_day(months: IntArray) -> IntArray:
    """Day number of the first day of each absolute month."""
    return (
        (np.asarray(months, dtype=np.int64) - 1970 * 12)
        .astype("datetime64[M]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def days_in_month(months: IntArray) -> IntArray:
    return month_start_day(np.asarray(months) + 1) - month_start_day(months)


def day_number(d: dt.date) -> int:
    return (d - dt.date(1970, 1, 1)).days


def weekday(days: IntArray) -> IntArray:
    """0 = Monday ... 6 = Sunday (1 January 1970 was a Thursday)."""
    return (np.asarray(days) + 3) % 7


def working_day_in_month(rng: np.random.Generator, months: IntArray) -> IntArray:
    """A random day of each month, moved off the weekend (offices receive vacancies and start
    sessions on working days), staying inside the month."""
    start = month_start_day(months)
    length = days_in_month(months)
    days = start + np.floor(rng.random(len(start)) * length).astype(np.int64)
    wd = weekday(days)
    last = start + length - 1
    days = np.where(wd == 5, np.where(days - 1 >= start, days - 1, days + 2), days)
    days = np.where(wd == 6, np.where(days + 1 <= last, days + 1, days - 2), days)
    return days


def date_series(name: str, days: IntArray, valid: IntArray | None = None) -> pl.Series:
    """A polars Date column from day numbers; rows where `valid` is False become null."""
    values = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    series = pl.Series(name, values).cast(pl.Date)
    if valid is not None:
        series = pl.select(
            pl.when(pl.Series(np.asarray(valid, dtype=bool))).then(series).otherwise(None)
        ).to_series()
        series = series.alias(name)
    return series


def weighted_choice(
    rng: np.random.Generator, weights: Sequence[float] | IntArray, size: int
) -> IntArray:
    w = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(w), size=size, p=w / w.sum())


def split_total(rng: np.random.Generator, total: int, weights: IntArray) -> IntArray:
    """Split an exact total over cells proportionally to weights (multinomial), so the
    requested volumes are met exactly."""
    w = np.asarray(weights, dtype=np.float64)
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    return rng.multinomial(total, w / w.sum()).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# INSZ / NISS


def _ymd(days: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    mdays = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return years, months, mdays


def insz_numbers(birth_days: IntArray, serial: IntArray) -> IntArray:
    """INSZ as integers: YYMMDD + 3-digit serial + mod-97 check digits. For births from 2000 on
    the check is computed on "2" followed by the nine digits (the official rule)."""
    years, months, mdays = _ymd(birth_days)
    base = ((years % 100) * 10000 + months * 100 + mdays) * 1000 + np.asarray(serial)
    check = 97 - (base + np.where(years >= 2000, 2_000_000_000, 0)) % 97
    return base * 100 + check


def insz_text(numbers: IntArray) -> pl.Series:
    """Eleven digits, leading zeros kept (born 2000-2009 -> "0...")."""
    return pl.Series(np.asarray(numbers, dtype=np.int64)).cast(pl.String).str.zfill(11)


def bad_checksum(insz: str) -> str:
    """The same number with check digits that fit neither the pre- nor the post-2000 rule."""
    base = int(insz[:9])
    good = {97 - base % 97, 97 - (2_000_000_000 + base) % 97}
    check = int(insz[9:])
    for step in range(1, 97):
        candidate = (check + step - 1) % 97 + 1
        if candidate not in good:
            return f"{insz[:9]}{candidate:02d}"
    raise AssertionError("unreachable")


def unique_serials(rng: np.random.Generator, birth_days: IntArray, male: IntArray) -> IntArray:
    """Serial numbers (odd for men, even for women) such that no two people share an INSZ:
    collisions among tens of thousands of draws are re-drawn."""
    n = len(birth_days)
    male = np.asarray(male, dtype=bool)
    serial = np.zeros(n, dtype=np.int64)
    todo = np.arange(n)
    for _ in range(50):
        if len(todo) == 0:
            break
        k = rng.integers(0, 498, size=len(todo))  # 0..497 -> 1..995 odd / 2..996 even
        serial[todo] = np.where(male[todo], 2 * k + 1, 2 * k + 2)
        key = np.asarray(birth_days, dtype=np.int64) * 1000 + serial
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        todo = np.flatnonzero(dup)
    return serial


# ---------------------------------------------------------------------------------------------
# Deliberate defects


@dataclass(frozen=True)
class Defect:
    """A bad row written on purpose: `row` is the 1-based data row of the file (the header not
    counted), `reason` the quarantine reason code the validator should give."""

    source: str
    file_name: str
    row: int
    column: str
    reason: str


@dataclass
class DefectLog:
    items: list[Defect] = field(default_factory=list)

    def add(
        self, source: str, file_name: str, rows: Sequence[int], column: str, reason: str
    ) -> None:
        self.items.extend(Defect(source, file_name, int(r) + 1, column, reason) for r in rows)


def set_cells(
    frame: pl.DataFrame, column: str, rows: Sequence[int], values: Sequence[object]
) -> pl.DataFrame:
    if len(rows) == 0:
        return frame
    series = frame.get_column(column).clone()
    series.scatter(list(rows), list(values))
    return frame.with_columns(series)


def pick_rows(rng: np.random.Generator, candidates: IntArray, used: set[int], k: int) -> list[int]:
    """Up to k rows among candidates not already given a defect."""
    pool = np.asarray(candidates, dtype=np.int64)
    if used:
        pool = pool[~np.isin(pool, np.fromiter(used, dtype=np.int64))]
    if len(pool) == 0 or k <= 0:
        return []
    chosen = rng.choice(len(pool), size=min(k, len(pool)), replace=False)
    rows = sorted(int(pool[i]) for i in chosen)
    used.update(rows)
    return rows


# ---------------------------------------------------------------------------------------------
# File styles

Style = Literal["be", "iso", "xlsx"]


@dataclass(frozen=True)
class FileStyle:
    """How one delivered file looks: Belgian CSV (`;`, Windows-1252, DD/MM/YYYY, decimal comma,
    CRLF), UTF-8 CSV (`,`, ISO dates) or an Excel workbook."""

    kind: Style
    headers: dict[str, str] = field(default_factory=dict)  # contract name -> delivered header
    bom: bool = False
    separator: str | None = None
    date_format: str | None = None

    @property
    def sep(self) -> str:
        return self.separator or (";" if self.kind == "be" else ",")

    @property
    def dates(self) -> str:
        return self.date_format or ("%d/%m/%Y" if self.kind == "be" else "%Y-%m-%d")

    def impossible_date(self, year: int) -> str:
        """A day that does not exist, written the way this file writes dates."""
        if self.dates.startswith("%d"):
            sep = self.dates[2]
            return f"31{sep}02{sep}{year}"
        return f"{year}-02-30"


def as_text(frame: pl.DataFrame, style: FileStyle) -> pl.DataFrame:
    """Every column as the text the file will hold, so defects can be written into any cell."""
    exprs: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            exprs.append(col.dt.strftime(style.dates))
        elif dtype.is_float():
            text = col.round(2).cast(pl.String).str.replace(r"\.0$", "")
            exprs.append(text.str.replace(".", ",", literal=True) if style.kind == "be" else text)
        else:
            exprs.append(col.cast(pl.String))
    return frame.select(exprs)


def write_text_csv(frame: pl.DataFrame, path: Path, style: FileStyle) -> None:
    out = frame.rename({k: v for k, v in style.headers.items() if k in frame.columns})
    if style.kind == "be":
        text = out.write_csv(separator=style.sep, line_terminator="\r\n", null_value="")
        path.write_bytes(text.encode("cp1252"))
    else:
        out.write_csv(path, separator=style.sep, include_bom=style.bom, null_value="")


def write_xlsx(frame: pl.DataFrame, path: Path, style: FileStyle, sheet: str) -> None:
    out = frame.rename({k: v for k, v in style.headers.items() if k in frame.columns})
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": XLSX_CREATED.replace(tzinfo=None)})
    out.write_excel(workbook=workbook, worksheet=sheet, autofit=False, float_precision=2)
    workbook.close()
