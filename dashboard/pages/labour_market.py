"""Labour market: occupations × months tension, the shortage list, a sector's series; filters
by pool sector, NACE, occupation and commune that narrow each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from dash import html

from dashboard import data, figures
from dashboard.catalogue import catalogue, lookup
from dashboard.components import attrs, blocks, download, filters
from dashboard.components.shell import page
from dashboard.formatting import formatter
from dashboard.i18n import t
from dashboard.pages.common import caption, measure_column, month_label, summary, year_text
from dashboard.pages.official import job_vacancy_block
from dashboard.pages.registry import path_of
from dashboard.state import Options, ViewState

PATH = path_of("labour_market")


def _occupations(state: ViewState, options: Options) -> tuple[str, ...]:
    if state.occupation:
        return (state.occupation,)
    if state.sector:
        return options.pool_occupations.get(state.sector, ())
    return tuple(options.occupations)


TOP_N = 20  # occupations drawn in the heatmap when no occupation is chosen


def top_occupations(frame: pd.DataFrame, n: int) -> tuple[pd.DataFrame, int | None]:
    """The `n` occupations with the highest tension in the last month shown (a heatmap of 100+
    occupations is a 50-pixel strip), and how many there were; (frame, None) when all fit.
    The occupation filter (searchable) reaches every other occupation."""
    codes = frame["occupation_isco"].unique().tolist() if not frame.empty else []
    if len(codes) <= n:
        return frame, None
    last = frame[frame["month"] == frame["month"].max()]
    ranked = last.sort_values(
        ["tension_ratio", "occupation_isco"], ascending=[False, True], na_position="last"
    )["occupation_isco"].tolist()
    keep = set((ranked + [c for c in codes if c not in ranked])[:n])
    return frame[frame["occupation_isco"].isin(keep)], len(codes)


def _heatmap(state: ViewState, options: Options, path: Path, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    i = {"fr": 0, "nl": 1, "en": 2}[lang]
    codes = list(_occupations(state, options))
    frame = data.cells(
        path,
        "mart_labour_market_occupation",
        ["tension_ratio"],
        {"occupation_isco": codes or ["-"]},
        between=("month", state.month_from, state.month_to),
        order_by=("occupation_isco", "month"),
    )
    ind = lookup(cat, "mart_labour_market_occupation", "tension_ratio")
    labels = {c: f"{c} {v[i]}" for c, v in options.occupations.items()}
    frame, shown_of = top_occupations(frame, TOP_N)
    if frame.empty:
        fig = None
    else:
        frame = frame.assign(m=[month_label(v, lang) for v in frame["month"]])
        order = list(dict.fromkeys(frame["m"]))
        matrix = frame.pivot(index="occupation_isco", columns="m", values="tension_ratio")[order]
        flags = frame.pivot(index="occupation_isco", columns="m", values="tension_ratio_flag")[
            order
        ]
        fig = figures.heatmap(matrix, flags, lang, ind.name(lang), labels)
        figures.set_layout(fig, height=max(260, 40 * len(matrix) + 120))
    table_frame = (
        frame.assign(label=frame["occupation_isco"].map(labels)) if not frame.empty else frame
    )
    table = (
        blocks.table(
            table_frame,
            [
                ("label", t("occupation", lang), str),
                ("m", t("month", lang), str),
                ("tension_ratio", ind.name(lang), formatter("ratio", lang)),
            ],
            t("table_caption", lang, name=ind.name(lang)),
            {"tension_ratio": "tension_ratio_flag"},
        )
        if not frame.empty
        else None
    )
    alt = (
        summary(
            table_frame.assign(key=table_frame["label"] + " " + table_frame["m"]),
            "key",
            "tension_ratio",
            "ratio",
            lang,
            ind.name(lang),
        )
        if not frame.empty
        else t("alt_empty", lang, name=ind.name(lang))
    )
    lines = caption(ind, state)
    if shown_of is not None:
        lines = [t("top_occupations", lang, n=TOP_N, total=shown_of), *lines]
    return blocks.figure_block("tension", t("tension_heatmap", lang), fig, lines, alt, table, lang)


def _shortage_list(state: ViewState, options: Options, path: Path, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    i = {"fr": 0, "nl": 1, "en": 2}[lang]
    frame = data.cells(
        path,
        "mart_shortage_occupation",
        ["vacancy_received_count", "fill_rate", "tension_ratio", "is_shortage", "median_days_open"],
        {"year": state.year, "occupation_isco": list(_occupations(state, options)) or ["-"]},
        order_by=("occupation_isco",),
    )
    frame = frame[frame["is_shortage"].fillna(False).astype(bool)]
    frame = frame.assign(
        label=[
            f"{c} {options.occupations.get(str(c), ('', '', ''))[i]}"
            for c in frame["occupation_isco"]
        ]
    )
    ind = lookup(cat, "mart_shortage_occupation", "tension_ratio")
    cols = [
        ("label", t("occupation", lang), str),
        measure_column(cat, "mart_shortage_occupation", "vacancy_received_count", "count", lang),
        measure_column(cat, "mart_shortage_occupation", "fill_rate", "rate", lang),
        ("median_days_open", t("median_days_open", lang), formatter("days", lang)),
        ("tension_ratio", ind.name(lang), formatter("ratio", lang)),
    ]
    table = blocks.table(
        frame,
        cols,
        t("shortage_caption", lang, year=year_text(state, path)),
        {c: f"{c}_flag" for c in ("vacancy_received_count", "fill_rate", "tension_ratio")},
    )
    return html.Section(
        [
            html.H3(t("shortage", lang), id="shortage-title"),
            html.P(t("shortage_rule", lang)),
            table if not frame.empty else html.P(t("no_data", lang)),
            html.Div(
                [html.P(x) for x in caption(ind, state, year_text(state, path))],
                className="caption",
            ),
        ],
        className="block",
        id="shortage",
        **attrs({"aria-labelledby": "shortage-title"}),
    )


def _sector_series(state: ViewState, options: Options, path: Path, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    cols = ["vacancy_received_count", "jobseeker_count"]
    pool_id = state.sector or data.TOTAL
    frame = data.cells(
        path,
        "mart_labour_market_pool",
        cols,
        {"pool_id": pool_id},
        between=("month", state.month_from, state.month_to),
        order_by=("month",),
    )

    long = figures.long_form(
        frame, "month", cols, lambda c: lookup(cat, "mart_labour_market_pool", c).name(lang)
    )
    ind = lookup(cat, "mart_labour_market_pool", "vacancy_received_count")
    fig = (
        figures.lines(long, "month", "value", "series", lang, t("value", lang))
        if not long.empty
        else None
    )
    frame = frame.assign(label=[month_label(v, lang) for v in frame["month"]])
    table = blocks.table(
        frame,
        [("label", t("month", lang), str)]
        + [measure_column(cat, "mart_labour_market_pool", c, "count", lang) for c in cols],
        t("table_caption", lang, name=t("sector_market", lang)),
        {c: f"{c}_flag" for c in cols},
    )
    pool = options.pool(pool_id)
    title = f"{t('sector_market', lang)} — {pool.sector(lang) if pool else t('all_market', lang)}"
    return blocks.figure_block(
        "sector-series",
        title,
        fig,
        caption(ind, state),
        summary(frame, "label", "vacancy_received_count", "count", lang, ind.name(lang)),
        table,
        lang,
    )


def _commune(state: ViewState, options: Options, path: Path, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    if not state.commune:
        return None
    frame = data.cells(
        path,
        "mart_commune",
        ["jobseeker_avg_count", "vacancy_received_count"],
        {"commune_nis": state.commune, "year": state.year},
    )
    names = {p.pool_id: p.sector(lang) for p in options.pools}
    frame = frame.assign(label=[names.get(str(p), t("all_market", lang)) for p in frame["pool_id"]])
    ind = lookup(cat, "mart_commune", "jobseeker_avg_count")
    fig = (
        figures.bars(frame, "label", "jobseeker_avg_count", lang, ind.name(lang), horizontal=True)
        if not frame.empty
        else None
    )
    cols = [("label", t("sector", lang), str)] + [
        measure_column(cat, "mart_commune", c, "count", lang)
        for c in ("jobseeker_avg_count", "vacancy_received_count")
    ]
    table = blocks.table(
        frame,
        cols,
        t("table_caption", lang, name=ind.name(lang)),
        {c: f"{c}_flag" for c, _, _ in cols[1:]},
    )
    commune = options.communes[state.commune][1 if lang == "nl" else 0]
    return blocks.figure_block(
        "commune",
        f"{t('commune', lang)}: {commune}",
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "label", "jobseeker_avg_count", "count", lang, ind.name(lang)),
        table,
        lang,
    )


def render(state: ViewState, options: Options, path: Path, _: dict[str, str]) -> Any:
    lang = state.lang
    cat = catalogue(path)
    sectors: tuple[str, ...] | None = None
    if state.nace:
        sectors = tuple(data.pools_for_nace(path, state.nace))
    nace_allowed = options.pool_nace.get(state.sector) if state.sector else None
    occ_allowed = options.pool_occupations.get(state.sector) if state.sector else None
    controls = filters.bar(
        [
            *filters.period(state, options),
            filters.dropdown(
                "sector",
                t("sector", lang),
                filters.sector_options(options, lang, sectors),
                state.sector,
                lang,
            ),
            filters.dropdown(
                "nace",
                t("nace", lang),
                [
                    {"label": f"{o['value']} {o['label']}", "value": o["value"]}
                    for o in filters.code_options(options.nace, lang, nace_allowed)
                ],
                state.nace,
                lang,
            ),
            filters.dropdown(
                "occ",
                t("occupation", lang),
                filters.occupation_options(options, lang, occ_allowed),
                state.occupation,
                lang,
            ),
            filters.dropdown(
                "commune",
                t("commune", lang),
                filters.commune_options(options, lang),
                state.commune,
                lang,
            ),
        ],
        lang,
    )
    body = [
        _heatmap(state, options, path, cat),
        _shortage_list(state, options, path, cat),
        _sector_series(state, options, path, cat),
        _commune(state, options, path, cat),
        job_vacancy_block(state, path),
        blocks.flag_legend(lang),
    ]
    return page(
        state,
        PATH,
        t("labour_market_title", lang),
        [b for b in body if b is not None],
        controls,
        download.buttons("labour_market", state),
    )
