"""Helpers the pages share: table columns of measures, captions under figures, text
alternatives of charts. The catalogue itself is `dashboard.catalogue`, value formatting
`dashboard.formatting` (the exports use both too).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.catalogue import Indicator, lookup
from dashboard.formatting import fmt, formatter, is_missing, month, period_text
from dashboard.i18n import source_names, t
from dashboard.state import ViewState, load_options


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
        f"{t('source', lang)}: {source_names(ind.source, lang) or t('source_default', lang)}"
        + version,
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


def year_text(state: ViewState, path: Path) -> str:
    """The chosen year as captions name it, with the months it covers while it is not yet
    complete ('2026 (janv.–nov.)'): a partial year must not read as a whole one."""
    months = load_options(path).months
    return period_text(str(state.year), months[-1] if months else None, state.lang)


def covered_to(path: Path) -> date | None:
    """The last month the published file covers."""
    months = load_options(path).months
    return months[-1] if months else None
