"""CSV: every published cell of the selection, one line each, with its flag.

Why one long file: the groups have different columns; a long layout (table, pool, period,
breakdown, indicator, value, flag) holds them all in one file that a pivot table or a tool
reads directly. Two dialects:
- Belgian Excel (fmt "csv" in French or Dutch): UTF-8 with BOM, `;`, decimal comma, headings
  in the chosen language — opens with a double click in a Belgian Excel;
- plain (fmt "csv-plain", or "csv" in English): UTF-8 without BOM, `,`, decimal point,
  RFC 4180 quoting and CRLF line ends, machine column names.
Values are written exact (shortest round-trip text, no rounding); a boolean is 1/0. Nothing is
truncated: the writer streams every line, whatever the size.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any, Final

from dashboard.exports.selection import Selection, neutralise
from dashboard.exports.text import x
from dashboard.i18n import known

COLUMNS: Final = (
    "table",
    "pool_id",
    "pool",
    "period_type",
    "period",
    "dimension",
    "code",
    "label",
    "indicator_id",
    "indicator",
    "unit",
    "value",
    "flag",
)
HEADS: Final = {
    "table": "col_table",
    "pool_id": "col_pool_id",
    "pool": "col_pool",
    "period_type": "col_period_type",
    "period": "col_period",
    "dimension": "col_dimension",
    "code": "col_code",
    "label": "col_label",
    "indicator_id": "col_indicator_id",
    "indicator": "col_indicator",
    "unit": "col_unit",
    "value": "col_value",
    "flag": "col_flag",
}


def belgian(fmt: str, lang: str) -> bool:
    """Whether this request gets the Belgian Excel dialect."""
    return fmt == "csv" and lang in ("fr", "nl")


def number_text(value: Any, decimal_comma: bool) -> str:
    """An exact number as text: integers without `.0`, floats by their shortest repr."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        text = str(int(value))
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    return text.replace(".", ",") if decimal_comma else text


def _text(value: Any) -> str:
    return "" if value is None or value != value else neutralise(str(value))


def lines(sel: Selection, decimal_comma: bool) -> Iterator[list[str]]:
    """Every cell of the selection as a CSV line (without the heading)."""
    for group in sel.groups:
        frame = group.frame
        keys = frame[["pool_id", "pool", "period_type", "period", "dimension", "code", "label"]]
        key_rows = keys.to_numpy().tolist()
        for m in group.measures:
            values = frame[m.column].tolist()
            flags = frame[m.flag].tolist() if m.flag else [None] * len(frame)
            name = _text(m.name(sel.lang))
            ind_id = _text(m.indicator.indicator_id or m.column)
            for key, value, flag in zip(key_rows, values, flags, strict=True):
                if decimal_comma:  # Belgian dialect: words in the reader's language
                    key = _worded(key, sel)
                yield [
                    group.mart,
                    *(_text(k) for k in key),
                    ind_id,
                    name,
                    known(f"unit_{m.unit}", sel.lang, m.unit) if decimal_comma else m.unit,
                    number_text(value, decimal_comma),
                    _text(flag),
                ]


def _worded(key: list[Any], sel: Selection) -> list[Any]:
    """Period type and breakdown as words (`année`, `sexe`), a partial period with its months
    (`2026 (janv.–nov.)`); the code columns (pool_id, code) keep their codes beside their
    labels."""
    lang = sel.lang
    pool_id, pool, ptype, period, dim, code, label = key
    return [
        pool_id,
        pool,
        x(f"ptype_{ptype}", lang) if ptype else ptype,
        sel.period_label(period),
        x(f"dim_{dim}", lang) if dim else dim,
        code,
        label,
    ]


def write(sel: Selection, stream: IO[str], fmt: str) -> int:
    """Write the CSV to a text stream opened with newline=''; returns the number of data lines."""
    be = belgian(fmt, sel.lang)
    writer = csv.writer(
        stream,
        delimiter=";" if be else ",",
        quotechar='"',
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\r\n",
    )
    writer.writerow([x(HEADS[c], sel.lang) for c in COLUMNS] if be else list(COLUMNS))
    n = 0
    for line in lines(sel, decimal_comma=be):
        writer.writerow(line)
        n += 1
    return n


def encoding(fmt: str, lang: str) -> str:
    return "utf-8-sig" if belgian(fmt, lang) else "utf-8"


def render(sel: Selection, fmt: str) -> bytes:
    """The CSV as bytes (the download button)."""
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding=encoding(fmt, sel.lang), newline="") as text:
        write(sel, text, fmt)
        text.flush()
        return buffer.getvalue()
