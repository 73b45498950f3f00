"""Numbers, percentages, months and catalogue units as a reader of each language expects them.

Belgian usage in French and Dutch: `1.234,5` (dot for thousands, comma for decimals); English
uses `1,234.5`. Plotly gets the same convention through `layout.separators`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from dashboard.i18n import t


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA alike (a suppressed value)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def separators(lang: str) -> str:
    """Plotly's `layout.separators`: decimal mark then thousands mark."""
    return ".," if lang == "en" else ",."


def number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """`1234.5` → `1.234,5` (fr/nl) or `1,234.5` (en); None/NaN → an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{half_away_from_zero(value, decimals):,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def half_away_from_zero(value: float | int, decimals: int = 0) -> Decimal:
    """`value` rounded as statistical offices do: 4284,5 → 4285, −0,25 → −0,3 (one decimal).

    Python's round() and format() round half to even on the binary value; the decimal text of
    the value (its shortest repr) is rounded instead, so what a reader would round by hand from
    the exact figure is what every output prints."""
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def percent(rate: float | None, lang: str, decimals: int = 1) -> str:
    """A rate stored as a fraction (0.423) shown as `42,3 %` / `42.3%`."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    body = number(rate * 100, lang, decimals)
    return f"{body}%" if lang == "en" else f"{body} %"


def signed(value: float | None, lang: str, decimals: int = 0) -> str:
    """A change with an explicit sign: `+1.234` or `−12,5` (true minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    body = number(abs(value), lang, decimals)
    if value > 0:
        return f"+{body}"
    if value < 0:
        return f"−{body}"
    return body


def month(value: date | None, lang: str) -> str:
    """`2024-03-01` → `mars 2024` / `maart 2024` / `Mar 2024`."""
    if value is None:
        return "–"
    return f"{t(f'month_{value.month}', lang)} {value.year}"


def month_code(value: date) -> str:
    """The URL form of a month: `2024-03`."""
    return f"{value.year:04d}-{value.month:02d}"


def parse_month(text: str | None) -> date | None:
    """`2024-03` → date(2024, 3, 1); anything else → None (never raises on user input)."""
    if not text or len(text) != 7 or text[4] != "-":
        return None
    year, mon = text[:4], text[5:]
    if not (year.isdigit() and mon.isdigit()):
        return None
    y, m = int(year), int(mon)
    if not (1990 <= y <= 2100 and 1 <= m <= 12):
        return None
    return date(y, m, 1)


def fmt(value: Any, unit: str, lang: str) -> str:
    """A value formatted for its catalogue unit (rates as %, ratios with one decimal): the one
    rule pages and exports share."""
    if is_missing(value):
        return "–"
    if unit in ("rate", "share", "percent", "fraction"):
        return percent(float(value), lang)
    if unit in ("ratio", "per_1000", "average", "days"):
        return number(float(value), lang, 1)
    return number(float(value), lang, 0)


def formatter(unit: str, lang: str) -> Callable[[Any], str]:
    """`fmt` for one unit and language, as a table column's formatter."""
    return lambda v: fmt(v, unit, lang)


def period_start_of(period: str) -> tuple[str, date] | None:
    """('year' | 'quarter' | 'month', first day) of a period written '2026', '2026-Q4' or
    '2026-03'; None for anything else."""
    text = str(period)
    if len(text) == 4 and text.isdigit():
        return "year", date(int(text), 1, 1)
    if len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit() and text[6] in "1234":
        return "quarter", date(int(text[:4]), 3 * int(text[6]) - 2, 1)
    found = parse_month(text)
    return ("month", found) if found is not None else None


def period_text(period: str, covered_to: date | None, lang: str) -> str:
    """A period as a reader should see it: a year or quarter not yet complete is labelled with
    the months it covers, '2026 (janv.–nov.)', '2026-Q4 (oct.–nov.)'; others unchanged."""
    found = period_start_of(period)
    if found is None or covered_to is None or found[0] == "month":
        return str(period)
    kind, start = found
    length = 12 if kind == "year" else 3
    last = date(
        start.year + (start.month + length - 2) // 12, (start.month + length - 2) % 12 + 1, 1
    )
    if covered_to >= last or covered_to < start:
        return str(period)
    first_name = t(f"month_short_{start.month}", lang)
    last_name = t(f"month_short_{covered_to.month}", lang)
    months = first_name if covered_to == start else f"{first_name}–{last_name}"
    return f"{period} ({months})"
