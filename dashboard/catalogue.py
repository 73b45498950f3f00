"""The indicator catalogue as the dashboard reads it: names, definitions, units, sources and
versions of every published measure, from `meta.indicator` in the published file.

Why its own module: pages and exports both name and define measures, and must say the same
thing; a definition changed in queries/indicators.toml reaches both with the next publish, in
the three languages, with its version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard import data
from dashboard.formatting import is_missing
from dashboard.i18n import known


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
        """The catalogue's name; a measure the catalogue does not hold (a count a mart carries
        for its rates) is named by `measure_<column>` of the interface texts, never by code."""
        return self.names.get(lang) or known(f"measure_{self.column}", lang, self.column)

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


_CATALOGUE_KEY = ("catalogue",)


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
