"""The PDF brief: a few pages for one pool or the region, to attach to board minutes.

Why this content: a board member reads the title and period, the key figures with what they
mean, a few charts, two small tables, and must find on the last page what a flag means, where
the data comes from, when it was published and how to cite it. Values are formatted as the
dashboard formats them (`pages.common.fmt`), from the same published cells.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dashboard import data
from dashboard.exports.charts import Chart, charts
from dashboard.exports.headline import placement_headline
from dashboard.exports.png import figure_png
from dashboard.exports.selection import Group, Selection
from dashboard.exports.text import flag_legend, x
from dashboard.formatting import fmt
from dashboard.headlines import change_text, provisional_text
from dashboard.i18n import t

FONT_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")
CHART_WIDTH: Final = 17 * cm
CHART_HEIGHT: Final = 7.2 * cm
TABLE_ROWS: Final = 12


def _fonts() -> tuple[str, str]:
    """DejaVu Sans when installed (every French/Dutch character, →, −), else Helvetica."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.is_file() and bold.is_file():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle


def _styles() -> Styles:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12, alignment=TA_LEFT)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=17, leading=21),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4
        ),
        body=body,
        small=ParagraphStyle(
            "small", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")
        ),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
    )


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _flagged(value: Any, flag: Any, unit: str, lang: str) -> str:
    text = fmt(value, unit, lang)
    if flag is not None and flag == flag and str(flag):
        text += f" ({flag})"
    return text


def _cell(group: Group | None, column: str, **equal: object) -> tuple[Any, Any, Any]:
    """(measure, value, flag) of one cell of a group, or Nones."""
    if group is None:
        return None, None, None
    m = next((m for m in group.measures if m.column == column), None)
    if m is None:
        return None, None, None
    frame = group.frame
    mask = pd.Series(True, index=frame.index)
    for key, value in equal.items():
        mask &= frame[key] == value
    rows = frame[mask]
    if rows.empty:
        return m, None, None
    return m, rows[column].iloc[0], rows[m.flag].iloc[0] if m.flag else None


def key_figures(sel: Selection) -> list[tuple[str, str, str, str]]:
    """(name, period, value with flag, definition) of the headline figures."""
    pool = sel.pool.pool_id if sel.pool else data.TOTAL
    year = str(sel.month_to.year)
    month = f"{sel.month_to:%Y-%m}"
    specs: list[tuple[str, str, dict[str, object]]] = [
        (
            "participation",
            "trainee_count",
            {"period_type": "year", "period": year, "dimension": "total"},
        ),
        (
            "participation",
            "start_count",
            {"period_type": "year", "period": year, "dimension": "total"},
        ),
        (
            "participation",
            "completion_rate",
            {"period_type": "year", "period": year, "dimension": "total"},
        ),
        (
            "placement",
            "durable_job_rate",
            {"period_type": "year", "period": year, "code": data.TOTAL},
        ),
        (
            "functions",
            "participant_count",
            {"period_type": "year", "period": year, "code": data.TOTAL},
        ),
        ("labour_market", "vacancy_received_count", {"period": month}),
        ("labour_market", "jobseeker_count", {"period": month}),
        ("labour_market", "tension_ratio", {"period": month}),
    ]
    out = []
    for key, column, where in specs:
        m, value, flag = _cell(sel.group(key), column, pool_id=pool, **where)
        if m is None:
            continue
        period = sel.period_label(where["period"])
        out.append(
            (
                m.name(sel.lang),
                period,
                _flagged(value, flag, m.unit, sel.lang),
                m.indicator.definition(sel.lang),
            )
        )
        if key == "participation" and column == "completion_rate":
            out += _placement_rows(sel)
    return out


def _placement_rows(sel: Selection) -> list[tuple[str, str, str, str]]:
    """The placement headline on the latest complete cohort (its change on the complete cohort
    a year earlier), then the provisional cohorts apart (dashboard/headlines.py)."""
    found = placement_headline(sel)
    if found is None:
        return []
    m, head = found
    lang = sel.lang
    rows = []
    if head.latest is not None:
        change = change_text(head, m.unit, lang)
        rows.append(
            (
                m.name(lang),
                head.latest.period,
                _flagged(head.latest.value, head.latest.flag, m.unit, lang)
                + (f" — {change}" if change else ""),
                m.indicator.definition(lang),
            )
        )
    provisional = provisional_text(head, m.unit, lang)
    if provisional:
        rows.append(
            (
                f"{m.name(lang)} ({t('flag_p', lang)})",
                ", ".join(c.period for c in head.provisional),
                provisional,
                "",
            )
        )
    return rows


def _table(rows: list[list[Any]], widths: list[float], st: Styles) -> Table:
    _, bold = _fonts()
    body = [[Paragraph(_esc(c), st.cell) for c in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF4")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, 0), bold),
            ]
        )
    )
    return table


def _functions_table(sel: Selection, st: Styles) -> Table | None:
    g = sel.group("functions")
    pool = sel.pool.pool_id if sel.pool else data.TOTAL
    if g is None:
        return None
    year = str(sel.month_to.year)
    frame = g.frame[
        (g.frame["pool_id"] == pool)
        & (g.frame["period_type"] == "year")
        & (g.frame["period"] == year)
    ]
    if frame.empty:
        return None
    lang = sel.lang
    head = [t("function", lang)] + [m.name(lang) for m in g.measures]
    rows = [head]
    for r in frame.to_dict("records"):
        rows.append(
            [r["label"]]
            + [
                _flagged(r[m.column], r.get(m.flag) if m.flag else None, m.unit, lang)
                for m in g.measures
            ]
        )
    n = len(g.measures)
    return _table(rows, [5 * cm] + [12 * cm / max(n, 1)] * n, st)


def _cohorts_table(sel: Selection, st: Styles) -> Table | None:
    g = sel.group("placement")
    pool = sel.pool.pool_id if sel.pool else data.TOTAL
    if g is None:
        return None
    frame = g.frame[
        (g.frame["pool_id"] == pool)
        & (g.frame["period_type"] == "year")
        & (g.frame["code"] == data.TOTAL)
    ]
    cols = [
        c
        for c in (
            "leaver_count",
            "in_work_3m_rate",
            "in_work_6m_rate",
            "in_work_12m_rate",
            "durable_job_rate",
        )
        if c in frame
    ]
    if frame.empty or not cols:
        return None
    lang = sel.lang
    measures = {m.column: m for m in g.measures}
    rows = [[t("cohort", lang)] + [measures[c].name(lang) for c in cols]]
    for r in frame.tail(TABLE_ROWS).to_dict("records"):
        rows.append(
            [sel.period_label(r["period"])]
            + [_flagged(r[c], r.get(f"{c}_flag"), measures[c].unit, lang) for c in cols]
        )
    return _table(rows, [2.5 * cm] + [14.5 * cm / len(cols)] * len(cols), st)


def _chart_flowable(chart: Chart, st: Styles) -> KeepTogether:
    png = figure_png(chart.figure, 1000, 430)
    image = Image(io.BytesIO(png), width=CHART_WIDTH, height=CHART_HEIGHT)
    parts: list[Any] = [Paragraph(_esc(chart.title), st.h2), image]
    parts += [Paragraph(_esc(line), st.small) for line in chart.caption]
    parts.append(Spacer(1, 6))
    return KeepTogether(parts)


def render(sel: Selection) -> bytes:
    """The brief as PDF bytes."""
    st = _styles()
    lang = sel.lang
    story: list[Any] = [
        Paragraph(_esc(sel.title()), st.title),
        Spacer(1, 4),
        Paragraph(_esc(f"{t('period', lang)}: {sel.period_text()}"), st.body),
        Paragraph(_esc(f"{x('about_published', lang)} {sel.published_text()}"), st.body),
        Paragraph(_esc(x("brief_intro", lang)), st.small),
        Spacer(1, 6),
        Paragraph(_esc(x("brief_key_figures", lang)), st.h2),
    ]
    figures_rows = [
        [t("indicator", lang), t("period", lang), t("value", lang), t("definition", lang)]
    ]
    figures_rows += [list(r) for r in key_figures(sel)]
    story.append(_table(figures_rows, [4 * cm, 1.8 * cm, 2.4 * cm, 8.8 * cm], st))
    for chart in charts(sel):
        story.append(_chart_flowable(chart, st))
    tables = [tb for tb in (_functions_table(sel, st), _cohorts_table(sel, st)) if tb is not None]
    if tables:
        story.append(Paragraph(_esc(x("brief_tables", lang)), st.h2))
        for tb in tables:
            story += [tb, Spacer(1, 8)]
    legend = "; ".join(f"{code} = {meaning}" for code, meaning in flag_legend(lang))
    story += [
        Paragraph(_esc(x("about_flags", lang)), st.h2),
        Paragraph(_esc(legend), st.body),
        Paragraph(_esc(sel.protection_text()), st.body),
        Paragraph(_esc(x("about_sources", lang)), st.h2),
        *[Paragraph(_esc(line), st.small) for line in sel.source_lines()],
        Paragraph(_esc(f"{x('about_published', lang)} {sel.published_text()}"), st.small),
        Spacer(1, 6),
        Paragraph(_esc(x("about_citation", lang)), st.h2),
        Paragraph(_esc(sel.citation()), st.small),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=sel.title(),
        author=t("app_title", lang),
        subject=sel.period_text(),
        lang=lang,
    )
    regular, _ = _fonts()

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(2 * cm, 1 * cm, f"{t('app_title', lang)} — {sel.period_text()}")
        canvas.drawRightString(A4[0] - 2 * cm, 1 * cm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
