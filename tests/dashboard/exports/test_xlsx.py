"""The workbook read back with openpyxl: sheets, values and flags as the data layer gives them,
number formats, frozen header, the About sheet, and formula neutralising."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from dashboard import data
from dashboard.exports import xlsx
from dashboard.exports.selection import build, period_start
from dashboard.exports.text import x
from dashboard.i18n import source_names, t
from tests.dashboard.exports.conftest import (
    HOSTILE_CODE_LABEL,
    HOSTILE_FUNCTION,
    HOSTILE_OCCUPATION,
    HOSTILE_POOL,
)


def _book(path: Path, pool: str, lang: str, start: str | None = None, end: str | None = None):
    sel = build(path, pool, start, end, lang)
    return sel, openpyxl.load_workbook(io.BytesIO(xlsx.render(sel)))


def _records(sheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    head = rows[0]
    return [dict(zip(head, r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_sheets_in_the_language(published: Path, lang: str) -> None:
    sel, book = _book(published, "technicity", lang, "2024-01", "2024-12")
    assert book.sheetnames[0] == x("about", lang)
    assert [g.title(lang)[:31] for g in sel.groups] == book.sheetnames[1:]
    sheet = book[x("participation", lang)]
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(1, 2).value == x("col_pool", lang)
    about = [c for row in book[x("about", lang)].iter_rows(values_only=True) for c in row if c]
    assert t("protection_rule", lang, n=10, d=20) in about
    assert sel.citation() in about
    assert "2025-01-12 06:00" in about  # meta.publication
    # freshness, the source named for the reader (issue 13)
    named = source_names("enrolments", lang)
    assert any(named in str(c) and "2025-01-10" in str(c) for c in about)
    assert t("flag_c", lang) in about
    assert (
        "Definition of trainees." in about
        or "Définition de trainees." in about
        or ("Definitie van trainees." in about)
    )


def test_values_and_flags_equal_the_data_layer(published: Path) -> None:
    sel, book = _book(published, "technicity", "en", "2024-01", "2024-12")
    group = sel.group("placement")
    assert group is not None
    sheet = book[group.title("en")]
    records = _records(sheet)
    name = next(m for m in group.measures if m.column == "in_work_6m_rate").name("en")
    flag_head = xlsx.measure_head(name, "en")
    shown = data.cells(
        published,
        "mart_pool_placement",
        ["in_work_6m_rate"],
        {"pool_id": "technicity", "period_type": "quarter"},
        between=("period_start", date(2024, 1, 1), date(2024, 12, 1)),
    )
    for row in shown.to_dict("records"):
        match = [
            r
            for r in records
            if _day(r[x("col_period", "en")]) == period_start("quarter", row["period"])
            and r[x("col_period_type", "en")] == x("ptype_quarter", "en")
            and r[x("col_code", "en")] == row["sex"]
        ]
        assert len(match) == 1
        value, flag = match[0][name], match[0][flag_head]
        if data_missing(row["in_work_6m_rate"]):
            assert value is None
        else:
            assert value == pytest.approx(row["in_work_6m_rate"], rel=0, abs=0)
        expected = row["in_work_6m_rate_flag"]
        assert (flag or None) == (None if data_missing(expected) else expected)
    # a provisional cohort carries p, a suppressed one c, in their own column
    flags = {r[flag_head] for r in records}
    assert {"p", "c"} <= flags
    # number formats follow the unit
    col = [c.value for c in sheet[1]].index(name) + 1
    assert sheet.cell(2, col).number_format == "0.0%"


def _day(cell: object) -> date | None:
    """A period cell is a date cell: openpyxl gives a datetime."""
    return cell.date() if isinstance(cell, datetime) else None


def data_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def test_full_workbook_has_every_row(published: Path) -> None:
    sel, book = _book(published, "region", "fr")
    for group in sel.groups:
        sheet = book[group.title("fr")[:31]]
        assert sheet.max_row - 1 == len(group.frame), group.key


def test_formula_looking_text_is_neutralised(hostile: Path) -> None:
    _, book = _book(hostile, "technicity", "fr")
    found: dict[str, str] = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    for hostile_text in (
                        HOSTILE_POOL,
                        HOSTILE_FUNCTION,
                        HOSTILE_OCCUPATION,
                        HOSTILE_CODE_LABEL,
                    ):
                        if cell.value.endswith(hostile_text):
                            found[hostile_text] = cell.value
                    assert not cell.value.startswith(("=", "+", "@")), cell.value
    for hostile_text in (HOSTILE_POOL, HOSTILE_FUNCTION, HOSTILE_OCCUPATION, HOSTILE_CODE_LABEL):
        assert found[hostile_text] == "'" + hostile_text


def test_sheet_names_follow_excel_rules() -> None:
    used: set[str] = set()
    a = xlsx.sheet_name("A very long sheet title with [brackets] and / slashes", used)
    b = xlsx.sheet_name("A very long sheet title with [brackets] and / slashes", used)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set("[]:*?/\\") & set(a)
