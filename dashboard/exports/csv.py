"""CSV: every published cell of the selection, one line each, with its flag.

Why one long file: the groups have different columns; a long layout (table, pool, period,
breakdown, indicator, value, flag) holds them all in one file that a pivot table or a tool
reads directly. Two dialects:
- Belgian Excel (fmt "csv" in French or Dutch): UTF-8 with BOM, `;`, decimal comma, headings
  in the chosen language — opens with a double click in a Belgian Excel;
- plain (fmt "csv-plain", or "csv" in English): UTF-8 without BOM, `,`, decimal point,
  RFC 4180 quoting and CRLF line ends, machine column names.

Why typed value columns (issue 18): a reader that guesses types from the first rows (polars
reads 100) must never meet a count and then a rate in one column. A value goes to
`value_integer` (counts: whole numbers, empty when suppressed), `value_number` (rates, ratios,
averages: always written with a decimal separator, `12.0`) or `value_boolean` (`true`/`false`,
the same words as the Parquet and SDMX files), by the published column's type. The period is
its first day (`2024-01-01`, with `period_type`), codes of all-digit lists carry their list's
prefix (`nis:04000`, see `selection.CODE_PREFIX`), so no column changes type from row to row.
Values are exact (shortest round-trip text, no rounding). Nothing is truncated: the writer
streams every line, whatever the size.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import IO, Any, Final

from dashboard.exports.selection import (
    KEY_COLUMNS,
    Selection,
    file_code,
    neutralise,
    period_start,
)
from dashboard.exports.text import x
from dashboard.i18n import known

COLUMNS: Final = (
    "table",
    "pool_id",
    "pool",
    "period_type",
    "period_start",
    "dimension",
    "code",
    "label",
    "indicator_id",
    "indicator",
    "unit",
    "value_integer",
    "value_number",
    "value_boolean",
    "flag",
)
HEADS: Final = {
    "table": "col_table",
    "pool_id": "col_pool_id",
    "pool": "col_pool",
    "period_type": "col_period_type",
    "period_start": "col_period_start",
    "dimension": "col_dimension",
    "code": "col_code",
    "label": "col_label",
    "indicator_id": "col_indicator_id",
    "indicator": "col_indicator",
    "unit": "col_unit",
    "value_integer": "col_value_integer",
    "value_number": "col_value_number",
    "value_boolean": "col_value_boolean",
    "flag": "col_flag",
}


def belgian(fmt: str, lang: str) -> bool:
    """Whether this request gets the Belgian Excel dialect."""
    return fmt == "csv" and lang in ("fr", "nl")


def number_text(value: Any, decimal_comma: bool, kind: str = "number") -> str:
    """An exact value as text: a count without `.0`, a number always with its decimal
    separator (`12.0`: the column's type never depends on the rows a reader samples), a
    boolean as `true`/`false`; missing → empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if kind == "boolean" or isinstance(value, bool):
        return "true" if value else "false"
    if kind == "integer":
        text = str(int(value))
    else:
        text = repr(float(value))
        if "e" in text or "inf" in text:
            text = f"{float(value):.17f}".rstrip("0")
            text += "0" if text.endswith(".") else ""
    return text.replace(".", ",") if decimal_comma else text


def _text(value: Any) -> str:
    return "" if value is None or value != value else neutralise(str(value))


def _slots(value: Any, kind: str, decimal_comma: bool) -> list[str]:
    """value_integer, value_number, value_boolean: the value in the slot of its kind."""
    slots = ["", "", ""]
    slots[("integer", "number", "boolean").index(kind)] = number_text(value, decimal_comma, kind)
    return slots


def lines(sel: Selection, decimal_comma: bool) -> Iterator[list[str]]:
    """Every cell of the selection as a CSV line (without the heading)."""
    for group in sel.groups:
        frame = group.frame
        keys = [
            [
                pool_id,
                pool,
                ptype,
                _iso(period_start(ptype, period)),
                dim,
                file_code(dim, code),
                label,
            ]
            for pool_id, pool, ptype, period, dim, code, label in frame[list(KEY_COLUMNS)]
            .to_numpy()
            .tolist()
        ]
        if decimal_comma:  # Belgian dialect: words in the reader's language
            keys = [_worded(key, sel) for key in keys]
        # Row by row, every measure of a row together: the first lines a reader samples hold
        # counts and rates alike (polars infers a column's type from its first 100 lines).
        columns = [
            (
                frame[m.column].tolist(),
                frame[m.flag].tolist() if m.flag else None,
                _text(m.indicator.indicator_id or m.column),
                _text(m.name(sel.lang)),
                known(f"unit_{m.unit}", sel.lang, m.unit) if decimal_comma else m.unit,
                m,
            )
            for m in group.measures
        ]
        for i, key in enumerate(keys):
            for values, flags, ind_id, name, unit, m in columns:
                yield [
                    group.mart,
                    *(_text(k) for k in key),
                    ind_id,
                    name,
                    unit,
                    *_slots(values[i], m.kind, decimal_comma),
                    _text(flags[i] if flags else None),
                ]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _worded(key: list[Any], sel: Selection) -> list[Any]:
    """Period type and breakdown as words (`année`, `sexe`); the code columns (pool_id, code)
    and the period's first day keep their machine form beside them."""
    lang = sel.lang
    pool_id, pool, ptype, start, dim, code, label = key
    return [
        pool_id,
        pool,
        x(f"ptype_{ptype}", lang) if ptype else ptype,
        start,
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
