"""Data: every indicator's definition, source and version; freshness per source; the last
load's quality report. What a reader needs to trust (or question) a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from dash import html

from dashboard import data
from dashboard.catalogue import Indicator, catalogue
from dashboard.components import blocks
from dashboard.components.shell import page
from dashboard.formatting import number
from dashboard.i18n import known, source_names, t
from dashboard.pages.official import licences
from dashboard.pages.registry import path_of
from dashboard.state import Options, ViewState

PATH = path_of("data")


def _text(value: Any) -> str:
    if blocks.is_missing(value):
        return "–"
    if isinstance(value, pd.Timestamp):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if (value.hour or value.minute)
            else value.strftime("%Y-%m-%d")
        )
    return str(value)


def _indicator_table(cat: dict[Any, Indicator], lang: str) -> Any:
    """The catalogue: every published measure with its definition, unit, source, version."""
    ind_frame = pd.DataFrame(
        [
            {
                "name": i.name(lang),
                "definition": i.definition(lang),
                "unit": known(f"unit_{i.unit}", lang, i.unit),
                "source": source_names(i.source, lang),
                "version": i.version,
            }
            # one row per indicator: a measure published in several marts has one entry
            for i in sorted(
                {i.indicator_id: i for i in cat.values()}.values(), key=lambda i: i.name(lang)
            )
        ]
    )
    indicators = blocks.table(
        ind_frame,
        [
            ("name", t("indicator", lang), str),
            ("definition", t("definition", lang), str),
            ("unit", t("unit", lang), str),
            ("source", t("source", lang), str),
            ("version", t("version", lang), str),
        ],
        t("indicators_caption", lang),
    )
    return indicators


def _quality(path: Path, lang: str) -> tuple[Any, Any]:
    """The last processing of each file and the rows set aside, per file and reason."""
    loads = data.load_summary(path)
    load_table = (
        blocks.table(
            loads,
            [
                ("file_name", t("file", lang), str),
                ("source", t("source", lang), lambda v: source_names(str(v), lang)),
                ("status", t("status", lang), lambda v: known(f"load_status_{v}", lang, str(v))),
                ("reason", t("reason", lang), _text),
                ("rows_read", t("rows_read", lang), lambda v: number(v, lang)),
                ("rows_loaded", t("rows_loaded", lang), lambda v: number(v, lang)),
                ("rows_quarantined", t("rows_quarantined", lang), lambda v: number(v, lang)),
                ("loaded_at", t("loaded_at", lang), _text),
            ],
            t("loads_caption", lang),
        )
        if not loads.empty
        else html.P(t("no_data", lang))
    )
    quarantine = data.quarantine_summary(path)
    q_table = (
        blocks.table(
            quarantine,
            [
                ("file_name", t("file", lang), str),
                ("source", t("source", lang), lambda v: source_names(str(v), lang)),
                ("reason_code", t("reason", lang), lambda v: known(f"reason_{v}", lang, str(v))),
                ("row_count", t("rows", lang), lambda v: number(v, lang)),
            ],
            t("quarantine_caption", lang),
        )
        if not quarantine.empty
        else html.P(t("no_quarantine", lang))
    )
    return load_table, q_table


def _publication(path: Path, lang: str) -> list[Any]:
    """When the file was published and under which protection rule."""
    pub = data.publication(path)
    pub_lines = (
        [html.P(t("published_at", lang, when=_text(pub.get("published_at"))))] if pub else []
    )
    if pub.get("suppression_threshold") is not None:
        pub_lines.append(
            html.P(
                t(
                    "protection_rule",
                    lang,
                    n=int(pub["suppression_threshold"]),
                    d=int(pub.get("min_rate_denominator") or 0),
                )
            )
        )
    return pub_lines


def render(state: ViewState, options: Options, path: Path, _: dict[str, str]) -> Any:
    lang = state.lang
    cat = catalogue(path)
    indicators = _indicator_table(cat, lang)
    fresh = data.freshness(path)
    freshness = (
        blocks.table(
            fresh,
            [
                ("source", t("source", lang), lambda v: source_names(str(v), lang)),
                ("period_from", t("period_from", lang), _text),
                ("period_to", t("period_to", lang), _text),
                ("last_load_at", t("last_load", lang), _text),
                ("row_count", t("rows", lang), lambda v: number(v, lang)),
            ],
            t("freshness_caption", lang),
        )
        if not fresh.empty
        else html.P(t("no_data", lang))
    )
    load_table, q_table = _quality(path, lang)
    pub_lines = _publication(path, lang)
    body = [
        html.Section(
            [html.H2(t("publication", lang)), *pub_lines, blocks.flag_legend(lang)],
            className="block",
        ),
        html.Section([html.H2(t("indicators", lang)), indicators], className="block"),
        html.Section([html.H2(t("freshness", lang)), freshness], className="block"),
        html.Section([html.H2(t("quality", lang)), load_table, q_table], className="block"),
        licences(path, lang),
    ]
    return page(state, PATH, t("data_title", lang), body)
