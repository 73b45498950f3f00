"""Region: headline figures with the change on a year earlier, one panel per pool, the map."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from dash import html

from dashboard import data, figures
from dashboard.catalogue import catalogue, lookup
from dashboard.components import blocks, download, filters
from dashboard.components.shell import link_query, page
from dashboard.context import geojson
from dashboard.formatting import fmt, formatter, month, number, signed
from dashboard.headlines import (
    Cohort,
    CohortHeadline,
    change_text,
    cohort_headline,
    provisional_text,
)
from dashboard.i18n import t
from dashboard.pages.common import caption, summary, year_text
from dashboard.pages.official import (
    official_caption,
    official_jobseekers_map,
    registered_jobseekers,
    survey_unemployment,
)
from dashboard.pages.registry import path_of
from dashboard.state import MAP_MEASURES, OFFICIAL_JOBSEEKERS, Options, ViewState

PATH = path_of("region")
HEADLINES: tuple[tuple[str, str], ...] = (
    ("mart_labour_market_pool", "jobseeker_count"),
    ("mart_labour_market_pool", "vacancy_received_count"),
    ("mart_labour_market_pool", "tension_ratio"),
    ("mart_pool_participation", "trainee_count"),
    ("mart_pool_placement", "in_work_6m_rate"),
)


# The cells each pool panel shows (read with the headlines, one query per mart).
_PANEL_CELLS: tuple[tuple[str, str], ...] = (
    ("mart_pool_participation", "trainee_count"),
    ("mart_pool_placement", "in_work_6m_rate"),
    ("mart_labour_market_pool", "vacancy_received_count"),
    ("mart_labour_market_pool", "tension_ratio"),
)


def _year_before(m: date) -> date:
    return date(m.year - 1, m.month, 1)


# Where each headline mart's cell of a (pool, month) is: (date dimension, fixed dimensions).
_CELL_SOURCES: dict[str, tuple[str, dict[str, object]]] = {
    "mart_labour_market_pool": ("month", {}),
    "mart_pool_participation": (
        "period_start",
        {"period_type": "month", "breakdown": "total", "breakdown_value": data.TOTAL},
    ),
    "mart_pool_placement": ("period_start", {"period_type": "year", "sex": data.TOTAL}),
}


class _Cells:
    """The headline cells of every pool (and the region) at a month and a year earlier, read
    with one query per mart for the whole page instead of one per card (~40 on this page)."""

    def __init__(self, path: Path, when: date) -> None:
        self._path = path
        self._when = when
        self._frames: dict[tuple[str, tuple[str, ...]], dict[tuple[str, date], Any]] = {}
        self._wanted: dict[str, set[str]] = {mart: set() for mart in _CELL_SOURCES}

    def want(self, mart: str, *columns: str) -> None:
        self._wanted[mart].update(columns)

    def _rows(self, mart: str) -> dict[tuple[str, date], Any]:
        columns = tuple(sorted(self._wanted[mart]))
        found = self._frames.get((mart, columns))
        if found is not None:
            return found
        dim, fixed = _CELL_SOURCES[mart]
        low, high = _year_before(self._when), self._when
        if mart == "mart_pool_placement":
            low, high = date(low.year, 1, 1), date(high.year, 1, 1)
        frame = data.cells(self._path, mart, list(columns), fixed, between=(dim, low, high))
        rows = {(str(r["pool_id"]), _as_date(r[dim])): r for r in frame.to_dict("records")}
        self._frames[(mart, columns)] = rows
        return rows

    def get(self, mart: str, column: str, pool: str, when: date) -> tuple[Any, Any]:
        """(value, flag) of one published cell of the region or a pool at a month / year."""
        self.want(mart, column)
        if mart == "mart_pool_placement":
            when = date(when.year, 1, 1)
        row = self._rows(mart).get((pool, when))
        if row is None:
            return None, None
        return row[column], row[f"{column}_flag"]


def _as_date(value: Any) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _change(now: Any, before: Any, unit: str, lang: str) -> str | None:
    if blocks.is_missing(now) or blocks.is_missing(before):
        return None
    diff = float(now) - float(before)
    if unit == "rate":
        return signed(diff * 100, lang, 1) + " pp"
    return signed(diff, lang, 1 if unit == "ratio" else 0)


def placement_headline(path: Path, pool: str, up_to: date) -> CohortHeadline:
    """The yearly cohorts of exit to work within 6 months of the region or a pool, as the
    headline rule takes them (dashboard/headlines.py): latest complete cohort up to `up_to`."""
    frame = data.cells(
        path,
        "mart_pool_placement",
        ["in_work_6m_rate"],
        {"period_type": "year", "sex": data.TOTAL, "pool_id": pool},
        order_by=("period_start",),
    )
    rows = [
        Cohort(str(r["period"]), r["in_work_6m_rate"], r["in_work_6m_rate_flag"])
        for r in frame.to_dict("records")
    ]
    return cohort_headline(rows, str(up_to.year))


def _cohort_card(state: ViewState, path: Path, ind: Any) -> html.Div:
    """The placement headline: the latest complete cohort, its change on the complete cohort a
    year earlier, the provisional cohorts apart."""
    lang = state.lang
    head = placement_headline(path, data.TOTAL, state.month_to)
    latest = head.latest
    card = blocks.card(
        ind.name(lang),
        fmt(latest.value if latest else None, ind.unit, lang),
        blocks.flag_of(latest.flag if latest else None),
        None,
        lang,
        (t("cohort_complete", lang, period=latest.period) + " — " if latest else "")
        + ind.definition(lang),
    )
    extra = [
        html.P(text, className=name)
        for text, name in (
            (change_text(head, ind.unit, lang), "card-change"),
            (provisional_text(head, ind.unit, lang), "card-provisional"),
        )
        if text
    ]
    card.children = [*card.children[:2], *extra, *card.children[2:]]
    return card


def _cards(
    state: ViewState, cells: _Cells, cat: dict[Any, Any], path: Path | None = None
) -> html.Section:
    lang = state.lang
    cards = []
    for mart, column in HEADLINES:
        ind = lookup(cat, mart, column)
        if mart == "mart_pool_placement" and path is not None:
            cards.append(_cohort_card(state, path, ind))
            continue
        when = state.month_to
        value, flag = cells.get(mart, column, data.TOTAL, when)
        before, _ = cells.get(mart, column, data.TOTAL, _year_before(when))
        period = str(when.year) if mart == "mart_pool_placement" else month(when, lang)
        cards.append(
            blocks.card(
                ind.name(lang),
                fmt(value, ind.unit, lang),
                blocks.flag_of(flag),
                _change(value, before, ind.unit, lang),
                lang,
                f"{period} — {ind.definition(lang)}",
            )
        )
    return html.Section(
        [html.H2(t("headline", lang)), html.Div(cards, className="cards")], className="block"
    )


def _pool_panels(
    state: ViewState, options: Options, cells: _Cells, cat: dict[Any, Any], path: Path
) -> html.Section:
    lang = state.lang
    panels = []
    trainees = lookup(cat, "mart_pool_participation", "trainee_count")
    placed = lookup(cat, "mart_pool_placement", "in_work_6m_rate")
    vac = lookup(cat, "mart_labour_market_pool", "vacancy_received_count")
    tension = lookup(cat, "mart_labour_market_pool", "tension_ratio")
    for pool in options.pools:
        lines: list[Any] = [
            html.P(
                [
                    t(f"status_{pool.status}", lang),
                    " — ",
                    t("opened", lang, when=month(pool.opening_month, lang))
                    if pool.opening_month
                    else t("not_open", lang),
                ],
                className="pool-status",
            ),
            html.P(f"{t('sector', lang)}: {pool.sector(lang)}"),
        ]
        if pool.status != "planned":
            v, f = cells.get(
                "mart_pool_participation", "trainee_count", pool.pool_id, state.month_to
            )
            # the headline rule (dashboard/headlines.py): the latest complete cohort, named
            cohort = placement_headline(path, pool.pool_id, state.month_to).latest
            r, rf = (cohort.value, cohort.flag) if cohort else (None, None)
            lines.append(
                html.P(
                    f"{trainees.name(lang)}: {fmt(v, 'count', lang)}"
                    f"{' (' + blocks.flag_of(f) + ')' if blocks.flag_of(f) else ''}"
                )
            )
            lines.append(
                html.P(
                    f"{placed.name(lang)}"
                    + (f" ({t('cohort', lang).lower()} {cohort.period})" if cohort else "")
                    + f": {fmt(r, 'rate', lang)}"
                    + (f" ({blocks.flag_of(rf)})" if blocks.flag_of(rf) else "")
                )
            )
        v, f = cells.get(
            "mart_labour_market_pool", "vacancy_received_count", pool.pool_id, state.month_to
        )
        ts, _ = cells.get("mart_labour_market_pool", "tension_ratio", pool.pool_id, state.month_to)
        lines.append(html.P(f"{vac.name(lang)}: {fmt(v, 'count', lang)}"))
        lines.append(html.P(f"{tension.name(lang)}: {fmt(ts, 'ratio', lang)}"))
        panels.append(
            html.Article(
                [
                    html.H3(
                        html.A(pool.name(lang), href=f"/pool/{pool.pool_id}" + link_query(state))
                    ),
                    *lines,
                ],
                className=f"pool-panel {pool.status}",
            )
        )
    return html.Section(
        [
            html.H2(t("pools", lang)),
            html.P(t("pools_note", lang, month=month(state.month_to, lang))),
            html.Div(panels, className="panels"),
        ],
        className="block",
    )


def _official_cards(rate: pd.DataFrame, registered: pd.DataFrame, lang: str) -> list[Any]:
    """The survey rate and the registered job seekers of the last year, with their change."""
    cards = []
    if not rate.empty:
        last = rate.iloc[-1]
        before = rate.iloc[-2] if len(rate) > 1 else None
        change = (
            None
            if before is None
            or blocks.is_missing(last["unemployment_rate"])
            or blocks.is_missing(before["unemployment_rate"])
            else signed(
                float(last["unemployment_rate"]) - float(before["unemployment_rate"]), lang, 1
            )
            + " pp"
        )
        cards.append(
            blocks.card(
                t("survey_rate", lang),
                number(float(last["unemployment_rate"]), lang, 1) + " %"
                if not blocks.is_missing(last["unemployment_rate"])
                else "–",
                blocks.flag_of(last["unemployment_rate_flag"]),
                change,
                lang,
                f"{int(last['year'])} — "
                + t(
                    "source_line",
                    lang,
                    source=t("source_eurostat", lang, dataset=last["dataset"]),
                ),
            )
        )
    if not registered.empty:
        last = registered.iloc[-1]
        before = registered.iloc[-2] if len(registered) > 1 else None
        cards.append(
            blocks.card(
                t("registered_jobseekers", lang),
                number(float(last["jobseeker_count"]), lang),
                "",
                None
                if before is None
                else signed(
                    float(last["jobseeker_count"]) - float(before["jobseeker_count"]), lang
                ),
                lang,
                f"{int(last['year'])} — "
                + t("source_line", lang, source=t("source_actiris", lang)),
            )
        )
    return cards


def _official(state: ViewState, path: Path) -> html.Section:
    """Survey unemployment rate of BE10 (Eurostat) next to the job seekers registered at
    Actiris, each with its source and flags, and one line on why the two differ."""
    lang = state.lang
    rate = survey_unemployment(path)
    registered = registered_jobseekers(path)
    cards = _official_cards(rate, registered, lang)
    if rate.empty:
        fig = None
    else:
        fig = figures.lines(
            rate,
            "year",
            "unemployment_rate",
            None,
            lang,
            t("survey_rate", lang),
            hover_format=",.1f",
        )
    years = (
        t("years_range", lang, start=int(rate["year"].min()), end=int(rate["year"].max()))
        if not rate.empty
        else "–"
    )
    table = blocks.table(
        rate,
        [
            ("year", t("year", lang), lambda v: str(int(v))),
            ("unemployment_rate", t("survey_rate", lang), lambda v: fmt(v, "ratio", lang) + " %"),
        ],
        t("table_caption", lang, name=t("survey_rate", lang)),
        {"unemployment_rate": "unemployment_rate_flag"},
    )
    dataset = str(rate["dataset"].iloc[-1]) if not rate.empty else "lfst_r_lfu3rt"
    block = blocks.figure_block(
        "official",
        t("survey_rate_series", lang),
        fig,
        official_caption(
            t("survey_rate_definition", lang),
            years,
            t("source_eurostat", lang, dataset=dataset),
            rate,
            lang,
        ),
        t("alt_official_rate", lang, period=years)
        if not rate.empty
        else t("alt_empty", lang, name=t("survey_rate", lang)),
        table,
        lang,
    )
    return html.Section(
        [
            html.H2(t("official_title", lang)),
            html.P(t("survey_vs_registered", lang), className="note", id="survey-vs-registered"),
            html.Div(cards, className="cards"),
            *block.children,
        ],
        className="block official",
        id="official-context",
    )


def _map(state: ViewState, options: Options, path: Path, cat: dict[Any, Any]) -> html.Section:
    lang = state.lang
    if state.map_measure == OFFICIAL_JOBSEEKERS:
        return official_jobseekers_map(state, options, path, geojson())
    pool = state.pool or data.TOTAL
    measure = state.map_measure
    frame = data.cells(path, "mart_commune", [measure], {"year": state.year, "pool_id": pool})
    frame = frame[frame["commune_nis"].isin(list(options.communes))]
    names = {k: (v[1] if lang == "nl" else v[0]) for k, v in options.communes.items()}
    ind = lookup(cat, "mart_commune", measure)
    frame = frame.assign(name=frame["commune_nis"].map(names)).sort_values("name")
    fig = (
        figures.choropleth(geojson(), frame, "commune_nis", measure, names, lang, ind.name(lang))
        if not frame.empty
        else None
    )
    table = blocks.table(
        frame,
        [("name", t("commune", lang), str), (measure, ind.name(lang), formatter(ind.unit, lang))],
        t("table_caption", lang, name=ind.name(lang)),
        {measure: f"{measure}_flag"},
    )
    return blocks.figure_block(
        "map",
        f"{ind.name(lang)} — {t('by_commune', lang)}",
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "name", measure, ind.unit, lang, ind.name(lang)),
        table,
        lang,
    )


def render(state: ViewState, options: Options, path: Path, _: dict[str, str]) -> Any:
    lang = state.lang
    cat = catalogue(path)
    measure_opts = [
        {
            "label": t("official_jobseekers", lang)
            if m == OFFICIAL_JOBSEEKERS
            else lookup(cat, "mart_commune", m).name(lang),
            "value": m,
        }
        for m in MAP_MEASURES
    ]
    controls = filters.bar(
        [
            *filters.period(state, options),
            filters.dropdown(
                "pool", t("pool_map", lang), filters.pool_options(options, lang), state.pool, lang
            ),
            filters.dropdown(
                "map",
                t("map_measure", lang),
                measure_opts,
                state.map_measure,
                lang,
                clearable=False,
            ),
        ],
        lang,
    )
    cells = _Cells(path, state.month_to)
    for mart, column in (*HEADLINES, *_PANEL_CELLS):
        cells.want(mart, column)
    body = [
        _cards(state, cells, cat, path),
        _official(state, path),
        _pool_panels(state, options, cells, cat, path),
        _map(state, options, path, cat),
        blocks.flag_legend(lang),
    ]
    return page(
        state, PATH, t("region_title", lang), body, controls, download.buttons("region", state)
    )
