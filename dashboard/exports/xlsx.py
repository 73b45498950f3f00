"""The Excel workbook: one sheet per indicator group and an "About" sheet.

Why this layout: a pool manager pastes figures into a board report, so each sheet reads on its
own — labels in the chosen language, numbers formatted by unit but stored exact, each value's
flag in the next column, the header frozen. The About sheet says what every column means, when
the data was published, how small cells are protected and how to cite the file.

Types a reader can rely on (issue 18): a period is a date cell (its first day, shown as the
year or the month), a boolean a TRUE/FALSE cell, a count a number; codes of all-digit lists
carry their list's prefix (`nis:04000`, see `selection.CODE_PREFIX`) because pandas turns a
text cell "04000" into the integer 4000.

Text cells are written as strings only (xlsxwriter's automatic formula/URL/number conversion is
off) and a text starting with = + - @ gets a leading `'` (see `selection.neutralise`).
"""

from __future__ import annotations

import io
import re
from typing import Any, Final

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from dashboard.exports.headline import placement_headline
from dashboard.exports.selection import (
    KEY_COLUMNS,
    Group,
    Selection,
    file_code,
    neutralise,
    period_start,
)
from dashboard.exports.text import flag_legend, x
from dashboard.formatting import fmt
from dashboard.headlines import change_text, provisional_text
from dashboard.i18n import known, source_names, t

NUMBER_FORMATS: Final = {
    "count": "#,##0",
    "persons": "#,##0",
    "hours": "#,##0.0",
    "days": "#,##0",
    "rate": "0.0%",
    "ratio": "#,##0.00",
}
KEY_HEADS: Final = {
    "pool_id": "col_pool_id",
    "pool": "col_pool",
    "period_type": "col_period_type",
    "period": "col_period",
    "dimension": "col_dimension",
    "code": "col_code",
    "label": "col_label",
}
MAX_WIDTH: Final = 60
PERIOD_COLUMN: Final = KEY_COLUMNS.index("period")
# A period is a date cell (its first day) shown as the period: pandas reads datetime64 in every
# sheet, where a year written "2024" was an integer beside text months (issue 18).
PERIOD_FORMATS: Final = {"year": "yyyy", "quarter": "yyyy-mm", "month": "yyyy-mm"}


def sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" {i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def measure_head(name: str, lang: str) -> str:
    return f"{name} ({x('col_flag', lang)})"


def _text(value: Any) -> str:
    return "" if value is None else neutralise(str(value))


def _group_sheet(
    book: Any, sheet: Worksheet, group: Group, sel: Selection, fmts: dict[str, Any]
) -> None:
    lang = sel.lang
    heads = [x(KEY_HEADS[k], lang) for k in KEY_COLUMNS]
    for m in group.measures:
        heads.append(m.name(lang))
        if m.flag:
            heads.append(measure_head(m.name(lang), lang))
    widths = [len(h) for h in heads]
    for col, head in enumerate(heads):
        sheet.write_string(0, col, neutralise(head), fmts["head"])
    frame = group.frame
    keys = frame[list(KEY_COLUMNS)].to_numpy().tolist()
    values = {m.column: frame[m.column].tolist() for m in group.measures}
    flags = {m.column: frame[m.flag].tolist() for m in group.measures if m.flag}
    for r, key in enumerate(keys, start=1):
        pool_id, pool, ptype, period, dim, code, label = key
        texts = [
            pool_id,
            pool,
            x(f"ptype_{ptype}", lang) if ptype else None,
            None,
            x(f"dim_{dim}", lang) if dim else None,
            file_code(dim, code),
            label,
        ]
        col = 0
        for text in texts:
            s = _text(text)
            if s:
                sheet.write_string(r, col, s)
                widths[col] = max(widths[col], len(s))
            col += 1
        start = period_start(ptype, period)
        if start is not None:  # a date cell in every sheet: one period type per column
            sheet.write_datetime(r, PERIOD_COLUMN, start, fmts[f"period_{ptype}"])
        for m in group.measures:
            value = values[m.column][r - 1]
            if value is not None and not (isinstance(value, float) and value != value):
                if m.kind == "boolean" or isinstance(value, bool):
                    sheet.write_boolean(r, col, bool(value))
                else:
                    sheet.write_number(r, col, float(value), fmts.get(m.unit, fmts["count"]))
            col += 1
            if m.flag:
                flag = flags[m.column][r - 1]
                if flag is not None and not (isinstance(flag, float) and flag != flag):
                    sheet.write_string(r, col, _text(flag), fmts["flag"])
                col += 1
    widths[PERIOD_COLUMN] = max(widths[PERIOD_COLUMN], 10)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(MAX_WIDTH, width + 2))
    sheet.freeze_panes(1, 0)
    if len(keys):
        sheet.autofilter(0, 0, len(keys), len(heads) - 1)


def _headline_rows(sel: Selection) -> list[tuple[str, str]]:
    """The placement headline by the rule of the region page and the PDF brief: the latest
    complete cohort and its change, the provisional cohorts apart (dashboard/headlines.py)."""
    found = placement_headline(sel)
    if found is None or found[1].latest is None:
        return []
    m, head = found
    lang = sel.lang
    latest = head.latest
    assert latest is not None
    value = fmt(latest.value, m.unit, lang)
    change = change_text(head, m.unit, lang)
    rows = [
        (
            m.name(lang),
            t("cohort_complete", lang, period=latest.period)
            + f": {value}"
            + (f" — {change}" if change else ""),
        )
    ]
    provisional = provisional_text(head, m.unit, lang)
    if provisional:
        rows.append(("", provisional))
    return rows


def _about(sheet: Worksheet, sel: Selection, fmts: dict[str, Any]) -> None:
    lang = sel.lang
    scope = sel.pool.name(lang) if sel.pool else x("region", lang)
    rows: list[tuple[str, str]] = [
        (x("about_title", lang), sel.title()),
        (x("about_scope", lang), scope),
        (t("period", lang), sel.period_text()),
        ("", x("about_periods", lang)),
        (x("about_published", lang), sel.published_text()),
        (x("about_exported", lang), sel.exported_on.isoformat()),
        (x("about_protection", lang), sel.protection_text()),
        (x("about_citation", lang), sel.citation()),
        *_headline_rows(sel),
    ]
    r = 0
    sheet.write_string(r, 0, neutralise(sel.title()), fmts["title"])
    r += 2
    for head, value in rows:
        sheet.write_string(r, 0, neutralise(head), fmts["bold"])
        sheet.write_string(r, 1, neutralise(value), fmts["wrap"])
        r += 1
    r += 1
    sheet.write_string(r, 0, x("about_flags", lang), fmts["head"])
    r += 1
    for code, meaning in flag_legend(lang):
        sheet.write_string(r, 0, neutralise(code), fmts["flag"])
        sheet.write_string(r, 1, neutralise(meaning))
        r += 1
    r += 1
    sheet.write_string(r, 0, x("about_sources", lang), fmts["head"])
    r += 1
    for line in sel.source_lines():
        sheet.write_string(r, 1, neutralise(line))
        r += 1
    r += 1
    sheet.write_string(r, 0, x("about_definitions", lang), fmts["head"])
    r += 1
    heads = [
        t("indicator", lang),
        t("definition", lang),
        x("col_unit", lang),
        t("source", lang),
        t("version", lang),
        t("table_column", lang),
    ]
    for col, head in enumerate(heads):
        sheet.write_string(r, col, head, fmts["head"])
    r += 1
    for group in sel.groups:
        for m in group.measures:
            ind = m.indicator
            cells = [
                m.name(lang),
                ind.definition(lang),
                x(f"unit_{m.unit}", lang)
                if f"unit_{m.unit}" in _UNITS
                else known(f"unit_{m.unit}", lang, m.unit),
                source_names(ind.source, lang),
                ind.version,
                f"{group.mart}.{m.column}",
            ]
            for col, cell in enumerate(cells):
                if cell:
                    sheet.write_string(r, col, neutralise(cell), fmts["wrap"] if col == 1 else None)
            r += 1
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 90)
    sheet.set_column(2, 5, 18)


_UNITS: Final = {
    "unit_count",
    "unit_persons",
    "unit_rate",
    "unit_ratio",
    "unit_days",
    "unit_hours",
    "unit_flag",
}


def render(sel: Selection) -> bytes:
    """The workbook as bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": sel.title(),
            "subject": sel.period_text(),
            "author": t("app_title", sel.lang),
            "comments": sel.citation(),
        }
    )
    fmts: dict[str, Any] = {
        unit: book.add_format({"num_format": code}) for unit, code in NUMBER_FORMATS.items()
    }
    for ptype, code in PERIOD_FORMATS.items():
        fmts[f"period_{ptype}"] = book.add_format({"num_format": code, "align": "left"})
    fmts["period_None"] = fmts["period_month"]
    fmts["head"] = book.add_format({"bold": True, "bg_color": "#E8EEF4", "text_wrap": True})
    fmts["bold"] = book.add_format({"bold": True, "valign": "top"})
    fmts["wrap"] = book.add_format({"text_wrap": True, "valign": "top"})
    fmts["flag"] = book.add_format({"align": "center", "font_color": "#9C2F00"})
    fmts["title"] = book.add_format({"bold": True, "font_size": 14})
    used: set[str] = set()
    about = book.add_worksheet(sheet_name(x("about", sel.lang), used))
    for group in sel.groups:
        sheet = book.add_worksheet(sheet_name(group.title(sel.lang), used))
        _group_sheet(book, sheet, group, sel, fmts)
    _about(about, sel, fmts)
    book.close()
    return buffer.getvalue()
