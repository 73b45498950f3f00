"""Helpers the pages share: indicator names and definitions from meta.indicator, captions,
value formatting by unit.

Why from the published catalogue: a definition changed in queries/indicators.toml reaches the
dashboard with the next publish, in the three languages, with its version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import data
from dashboard.components.blocks import is_missing
from dashboard.formatting import month, number, percent
from dashboard.i18n import t
from dashboard.state import ViewState


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry as a page shows it."""

    indicator_id: str
    mart: str
    column: str
    unit: str
    names: dict[str, str]
    definitions: dict[str, str]
    source: str
    version: str

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.column

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang) or ""


def _get(row: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = row.get(key)
        if value is not None and not is_missing(value):
            return str(value)
    return ""


def catalogue(path: Path) -> dict[tuple[str, str], Indicator]:
    """(mart, column) → Indicator, for the indicator's relation and every mart in `also_in`
    (the same measure published in several marts has one definition). Read once per published
    file (data.memo): every page needs it. Callers must not modify the mapping."""
    with data.session(path):
        memo = data.memo(path)
        found = memo.get(_CATALOGUE_KEY)
        if isinstance(found, dict):
            return found
        out = _read_catalogue(path)
        memo.put(_CATALOGUE_KEY, out)
        return out


_CATALOGUE_KEY = ("pages.catalogue",)


def _read_catalogue(path: Path) -> dict[tuple[str, str], Indicator]:
    frame = data.indicators(path)
    out: dict[tuple[str, str], Indicator] = {}
    for row in frame.to_dict("records"):
        column = _get(row, "column_name", "column")
        relations = [_get(row, "relation", "mart")]
        relations += [r for r in re.split(r"[^a-z0-9_]+", _get(row, "also_in").lower()) if r]
        for mart in relations:
            ind = Indicator(
                indicator_id=_get(row, "indicator_id", "id"),
                mart=mart,
                column=column,
                unit=_get(row, "unit") or "count",
                names={lang: _get(row, f"name_{lang}") for lang in ("fr", "nl", "en")},
                definitions={lang: _get(row, f"definition_{lang}") for lang in ("fr", "nl", "en")},
                source=_get(row, "source"),
                version=_get(row, "version"),
            )
            out.setdefault((mart, column), ind)
    return out


def lookup(cat: dict[tuple[str, str], Indicator], mart: str, column: str) -> Indicator:
    """The catalogue entry, or a neutral placeholder named after the column."""
    found = cat.get((mart, column))
    if found is not None:
        return found
    # Same column name in another mart = the same measure at another grain (docs/marts.md
    # naming), so its name and definition apply.
    for (_, other_column), ind in sorted(cat.items()):
        if other_column == column:
            return ind
    return Indicator(
        column, mart, column, "rate" if column.endswith("_rate") else "count", {}, {}, "", ""
    )


def fmt(value: Any, unit: str, lang: str) -> str:
    """A value formatted for its unit (rates as %, ratios with one decimal)."""
    if is_missing(value):
        return "–"
    if unit in ("rate", "share", "percent", "fraction"):
        return percent(float(value), lang)
    if unit in ("ratio", "per_1000", "average", "days"):
        return number(float(value), lang, 1)
    return number(float(value), lang, 0)


def formatter(unit: str, lang: str) -> Any:
    return lambda v: fmt(v, unit, lang)


def measure_column(
    cat: dict[tuple[str, str], Indicator], mart: str, column: str, unit: str, lang: str
) -> tuple[str, str, Any]:
    """A table column of a mart's measure: its key, the catalogue's name, the unit's format."""
    return (column, lookup(cat, mart, column).name(lang), formatter(unit, lang))


def caption(ind: Indicator, state: ViewState, period: str | None = None) -> list[str]:
    """Definition, period and source lines under a figure."""
    lang = state.lang
    period_text = period or t(
        "period_range", lang, start=month(state.month_from, lang), end=month(state.month_to, lang)
    )
    version = f" — {t('version', lang)} {ind.version}" if ind.version else ""
    return [
        f"{t('definition', lang)}: {ind.definition(lang) or ind.name(lang)}",
        f"{t('period', lang)}: {period_text}",
        f"{t('source', lang)}: {ind.source or t('source_default', lang)}{version}",
    ]


def flags_in(frame: pd.DataFrame) -> bool:
    """Whether any flag column holds a flag (then the legend is shown)."""
    return any(str(c).endswith("_flag") and frame[c].notna().any() for c in frame.columns)


def summary(
    frame: pd.DataFrame, label_col: str, value_col: str, unit: str, lang: str, name: str
) -> str:
    """A one-sentence text alternative: the highest and lowest values of a chart."""
    # Plain Python over the two columns: pandas' dropna/idxmax/loc cost ~3 ms a chart.
    usable = [
        (label, float(value), value)
        for label, value in zip(frame[label_col].tolist(), frame[value_col].tolist(), strict=True)
        if not is_missing(label) and not is_missing(value)
    ]
    if not usable:
        return t("alt_empty", lang, name=name)
    top = low = usable[0]
    for item in usable[1:]:
        if item[1] > top[1]:
            top = item
        if item[1] < low[1]:
            low = item
    return t(
        "alt_summary",
        lang,
        name=name,
        n=len(usable),
        top=str(top[0]),
        top_value=fmt(top[2], unit, lang),
        low=str(low[0]),
        low_value=fmt(low[2], unit, lang),
    )


def month_label(value: Any, lang: str) -> str:
    """A month cell (date or Timestamp) as `mars 2024`."""
    if isinstance(value, pd.Timestamp):
        return month(value.date(), lang)
    if isinstance(value, date):
        return month(value, lang)
    return str(value)
