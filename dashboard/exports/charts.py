"""The charts of a selection, built from its cells with the dashboard's own figure builders.

Why the same builders (dashboard.figures): a chart in a PDF brief or a PNG looks like, and shows
the same flags as, the chart on the page. The pool page's charts for a pool, the region's for
the region; the year is the last month's year, as on the pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Final

import pandas as pd

from dashboard import data, figures
from dashboard.exports.selection import Group, Selection
from dashboard.exports.text import x
from dashboard.i18n import source_names, t

GEOJSON: Final = (
    Path(__file__).resolve().parents[2] / "data" / "reference" / "geo" / "brussels_communes.geojson"
)


@dataclass(frozen=True)
class Chart:
    """One chart: a stable id (file name), a title, the figure and its caption lines."""

    chart_id: str
    title: str
    figure: figures.Figure
    caption: tuple[str, ...]


@cache
def _geojson() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return loaded


def _rows(group: Group | None, **equal: object) -> pd.DataFrame:
    if group is None:
        return pd.DataFrame()
    frame = group.frame
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        mask &= frame[column] == value
    return frame[mask]


def _caption(sel: Selection, group: Group, column: str, period: str) -> tuple[str, ...]:
    m = next((m for m in group.measures if m.column == column), None)
    if m is None:
        return (f"{t('period', sel.lang)}: {period}",)
    version = f" — {t('version', sel.lang)} {m.indicator.version}" if m.indicator.version else ""
    return (
        f"{t('definition', sel.lang)}: {m.indicator.definition(sel.lang) or m.name(sel.lang)}",
        f"{t('period', sel.lang)}: {period}",
        f"{t('source', sel.lang)}: "
        + (source_names(m.indicator.source, sel.lang) or t("source_default", sel.lang))
        + version,
    )


def _name(group: Group | None, column: str, lang: str) -> str:
    if group is None:
        return column
    m = next((m for m in group.measures if m.column == column), None)
    return m.name(lang) if m else column


def _quarter_start(period: str) -> date:
    year, q = period.split("-Q")
    return date(int(year), 3 * (int(q) - 1) + 1, 1)


def functions_chart(sel: Selection, pool: str) -> Chart | None:
    g = sel.group("functions")
    year = str(sel.month_to.year)
    frame = _rows(g, pool_id=pool, period_type="year", period=year)
    frame = frame[frame["code"] != data.TOTAL] if not frame.empty else frame
    if g is None or frame.empty or "participant_count" not in frame:
        return None
    name = _name(g, "participant_count", sel.lang)
    fig = figures.bars(frame, "label", "participant_count", sel.lang, name, horizontal=True)
    return Chart(
        "functions", t("functions", sel.lang), fig, _caption(sel, g, "participant_count", year)
    )


def funnel_chart(sel: Selection, pool: str) -> Chart | None:
    part, place = sel.group("participation"), sel.group("placement")
    year = str(sel.month_to.year)
    a = _rows(part, pool_id=pool, period_type="year", period=year, dimension="total")
    b = _rows(place, pool_id=pool, period_type="year", period=year, code=data.TOTAL)
    stages: list[tuple[str, Any, Any]] = []
    for group, frame, cols in (
        (part, a, ("start_count", "completed_count")),
        (place, b, ("in_work_3m_count", "in_work_6m_count", "in_work_12m_count")),
    ):
        for col in cols:
            if frame.empty or col not in frame:
                continue
            stages.append(
                (_name(group, col, sel.lang), frame[col].iloc[0], frame[f"{col}_flag"].iloc[0])
            )
    values = [None if v is None or v != v else float(v) for _, v, _ in stages]
    if not any(v is not None for v in values) or part is None:
        return None
    flags = ["" if f is None or f != f else str(f) for _, _, f in stages]
    fig = figures.funnel([s[0] for s in stages], values, flags, sel.lang)
    return Chart("funnel", t("funnel", sel.lang), fig, _caption(sel, part, "start_count", year))


def cohorts_chart(sel: Selection, pool: str) -> Chart | None:
    g = sel.group("placement")
    frame = _rows(g, pool_id=pool, period_type="quarter", code=data.TOTAL)
    if g is None or frame.empty:
        return None
    starts = [_quarter_start(p) for p in frame["period"]]
    keep = [sel.month_from <= s <= sel.month_to for s in starts]
    frame = frame[keep]
    cols = [c for c in ("in_work_3m_rate", "in_work_6m_rate", "in_work_12m_rate") if c in frame]
    if frame.empty or not cols:
        return None
    long = figures.long_form(frame, "period", cols, lambda c: _name(g, c, sel.lang))
    fig = figures.lines(
        long, "period", "value", "series", sel.lang, t("rate", sel.lang), hover_format=".1%"
    )
    figures.set_yaxis(fig, tickformat=".0%")
    return Chart(
        "cohorts",
        t("cohorts", sel.lang),
        fig,
        _caption(sel, g, "in_work_6m_rate", sel.period_text()),
    )


def tension_chart(sel: Selection, pool: str) -> Chart | None:
    g = sel.group("labour_market")
    frame = _rows(g, pool_id=pool)
    if g is None or frame.empty or "tension_ratio" not in frame:
        return None
    frame = frame.assign(month=[date(int(p[:4]), int(p[5:7]), 1) for p in frame["period"]])
    name = _name(g, "tension_ratio", sel.lang)
    fig = figures.lines(frame, "month", "tension_ratio", None, sel.lang, name, hover_format=",.1f")
    return Chart(
        "sector_market",
        t("sector_market", sel.lang),
        fig,
        _caption(sel, g, "tension_ratio", sel.period_text()),
    )


def shortage_chart(sel: Selection) -> Chart | None:
    g = sel.group("shortage")
    year = str(sel.month_to.year)
    frame = _rows(g, period=year)
    if g is None or frame.empty or "tension_ratio" not in frame:
        return None
    frame = frame.assign(
        name=[f"{c} {lab}" for c, lab in zip(frame["code"], frame["label"], strict=True)]
    )
    if sel.pool is None:  # the region: the 15 tightest shortage occupations
        if "is_shortage" in frame:
            frame = frame[frame["is_shortage"] == True]  # noqa: E712
        frame = frame.sort_values("tension_ratio", ascending=False, na_position="last").head(15)
    if frame.empty:
        return None
    name = _name(g, "tension_ratio", sel.lang)
    fig = figures.bars(
        frame, "name", "tension_ratio", sel.lang, name, horizontal=True, hover_format=",.1f"
    )
    return Chart("shortage", t("shortage", sel.lang), fig, _caption(sel, g, "tension_ratio", year))


def trainees_by_pool_chart(sel: Selection) -> Chart | None:
    g = sel.group("participation")
    year = str(sel.month_to.year)
    frame = _rows(g, period_type="year", period=year, dimension="total")
    frame = frame[frame["pool_id"] != data.TOTAL] if not frame.empty else frame
    if g is None or frame.empty:
        return None
    name = _name(g, "trainee_count", sel.lang)
    fig = figures.bars(frame, "pool", "trainee_count", sel.lang, name, horizontal=True)
    return Chart(
        "trainees_by_pool",
        x("brief_trainees_by_pool", sel.lang),
        fig,
        _caption(sel, g, "trainee_count", year),
    )


def map_chart(sel: Selection, pool: str) -> Chart | None:
    g = sel.group("communes")
    year = str(sel.month_to.year)
    frame = _rows(g, pool_id=pool, period=year)
    if g is None or frame.empty or not GEOJSON.is_file():
        return None
    frame = frame[frame["code"] != "04000"]
    names = dict(zip(frame["code"], frame["label"], strict=True))
    measure = "trainee_per_1000"
    name = _name(g, measure, sel.lang)
    fig = figures.choropleth(_geojson(), frame, "code", measure, names, sel.lang, name)
    return Chart(
        "map", f"{name} — {t('by_commune', sel.lang)}", fig, _caption(sel, g, measure, year)
    )


def charts(sel: Selection) -> list[Chart]:
    """The selection's charts in reading order (those without data are left out)."""
    if sel.pool is None:
        found = [
            trainees_by_pool_chart(sel),
            cohorts_chart(sel, data.TOTAL),
            tension_chart(sel, data.TOTAL),
            functions_chart(sel, data.TOTAL),
            map_chart(sel, data.TOTAL),
            shortage_chart(sel),
        ]
    else:
        pid = sel.pool.pool_id
        found = [
            functions_chart(sel, pid),
            funnel_chart(sel, pid),
            cohorts_chart(sel, pid),
            tension_chart(sel, pid),
            shortage_chart(sel),
        ]
    return [c for c in found if c is not None]
