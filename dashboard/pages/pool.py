"""One pool: status, the six functions, the trainee funnel, cohorts, who the trainees are,
its sector's labour market, shortage occupations and the supply–demand fit."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from dash import html

from dashboard import data, figures
from dashboard.auth import current_user
from dashboard.catalogue import Indicator, catalogue, lookup
from dashboard.components import blocks, download, filters
from dashboard.components.shell import page
from dashboard.formatting import formatter, month, month_code, period_text
from dashboard.i18n import t
from dashboard.pages.common import (
    caption,
    covered_to,
    measure_column,
    month_label,
    summary,
    year_text,
)
from dashboard.pages.registry import path_of
from dashboard.state import Options, ViewState

PATH = path_of("pool")


def _functions(state: ViewState, path: Path, pool_id: str, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    frame = data.cells(
        path,
        "mart_pool_function",
        ["activity_count", "participant_count", "hours", "hire_count"],
        {"pool_id": pool_id, "period_type": "year", "period_start": date(state.year, 1, 1)},
    )
    frame = frame[frame["function_id"] != data.TOTAL]
    fn = data.functions(path).set_index("function_id")
    names = {str(k): str(v) for k, v in fn[f"name_{lang}"].items()}
    frame = frame.assign(name=frame["function_id"].map(names).fillna(frame["function_id"]))
    ind = lookup(cat, "mart_pool_function", "participant_count")
    fig = (
        figures.bars(frame, "name", "participant_count", lang, ind.name(lang), horizontal=True)
        if not frame.empty
        else None
    )
    cols = [("name", t("function", lang), str)] + [
        measure_column(cat, "mart_pool_function", c, "count", lang)
        for c in ("activity_count", "participant_count", "hours", "hire_count")
    ]
    table = blocks.table(
        frame,
        cols,
        t("table_caption", lang, name=t("functions", lang)),
        {c: f"{c}_flag" for c, _, _ in cols[1:]},
    )
    return blocks.figure_block(
        "functions",
        t("functions", lang),
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "name", "participant_count", "count", lang, ind.name(lang)),
        table,
        lang,
    )


def _funnel(state: ViewState, path: Path, pool_id: str, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    year = date(state.year, 1, 1)
    part = data.cells(
        path,
        "mart_pool_participation",
        ["start_count", "completed_count"],
        {
            "pool_id": pool_id,
            "period_type": "year",
            "period_start": year,
            "breakdown": "total",
            "breakdown_value": data.TOTAL,
        },
    )
    place = data.cells(
        path,
        "mart_pool_placement",
        ["leaver_count", "in_work_3m_count", "in_work_6m_count", "in_work_12m_count"],
        {
            "pool_id": pool_id,
            "period_type": "year",
            "period_start": year,
            "sex": state.sex or data.TOTAL,
        },
    )
    stages: list[tuple[Indicator, Any, Any]] = []
    for mart, frame, cols in (
        ("mart_pool_participation", part, ("start_count", "completed_count")),
        (
            "mart_pool_placement",
            place,
            ("in_work_3m_count", "in_work_6m_count", "in_work_12m_count"),
        ),
    ):
        for col in cols:
            ind = lookup(cat, mart, col)
            if frame.empty:
                stages.append((ind, None, None))
            else:
                stages.append((ind, frame[col].iloc[0], frame[f"{col}_flag"].iloc[0]))
    rows = pd.DataFrame(
        {
            "stage": [s[0].name(lang) for s in stages],
            "value": [None if blocks.is_missing(s[1]) else float(s[1]) for s in stages],
            "value_flag": [blocks.flag_of(s[2]) or None for s in stages],
        }
    )
    fig = (
        figures.funnel(
            rows["stage"].tolist(),
            rows["value"].tolist(),
            [blocks.flag_of(f) for f in rows["value_flag"]],
            lang,
        )
        if rows["value"].notna().any()
        else None
    )
    table = blocks.table(
        rows,
        [("stage", t("stage", lang), str), ("value", t("value", lang), formatter("count", lang))],
        t("table_caption", lang, name=t("funnel", lang)),
        {"value": "value_flag"},
    )
    first = stages[0][0]
    lines = caption(first, state, year_text(state, path))
    lines[0] = f"{t('definition', lang)}: " + " → ".join(
        f"{s[0].name(lang)} ({s[0].definition(lang)})" for s in stages
    )
    return blocks.figure_block(
        "funnel",
        t("funnel", lang),
        fig,
        lines,
        summary(rows, "stage", "value", "count", lang, t("funnel", lang)),
        table,
        lang,
    )


def _cohorts(state: ViewState, path: Path, pool_id: str, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    cols = ["in_work_3m_rate", "in_work_6m_rate", "in_work_12m_rate"]
    frame = data.cells(
        path,
        "mart_pool_placement",
        cols,
        {"pool_id": pool_id, "period_type": "quarter", "sex": state.sex or data.TOTAL},
        between=("period_start", state.month_from, state.month_to),
        order_by=("period_start",),
    )
    covered = covered_to(path)  # a quarter not yet over is named with its months
    frame = frame.assign(period=[period_text(p, covered, lang) for p in frame["period"]])
    long = figures.long_form(
        frame, "period", cols, lambda c: lookup(cat, "mart_pool_placement", c).name(lang)
    )
    ind = lookup(cat, "mart_pool_placement", "in_work_6m_rate")
    fig = (
        figures.lines(long, "period", "value", "series", lang, t("rate", lang), hover_format=".1%")
        if not long.empty
        else None
    )
    if fig is not None:
        figures.set_yaxis(fig, tickformat=".0%")
    table = blocks.table(
        frame,
        [("period", t("cohort", lang), str)]
        + [measure_column(cat, "mart_pool_placement", c, "rate", lang) for c in cols],
        t("table_caption", lang, name=t("cohorts", lang)),
        {c: f"{c}_flag" for c in cols},
    )
    return blocks.figure_block(
        "cohorts",
        t("cohorts", lang),
        fig,
        caption(ind, state),
        summary(frame, "period", "in_work_6m_rate", "rate", lang, ind.name(lang))
        if not frame.empty
        else t("alt_empty", lang, name=ind.name(lang)),
        table,
        lang,
    )


def _profile(
    state: ViewState, options: Options, path: Path, pool_id: str, cat: dict[Any, Any]
) -> Any:
    lang = state.lang
    i = {"fr": 0, "nl": 1, "en": 2}[lang]
    frame = data.cells(
        path,
        "mart_pool_participation",
        ["trainee_count"],
        {
            "pool_id": pool_id,
            "period_type": "year",
            "period_start": date(state.year, 1, 1),
            "breakdown": ["sex", "target_group"],
        },
    )
    labels = {
        **{k: v[i] for k, v in options.sexes.items()},
        **{k: v[i] for k, v in options.target_groups.items()},
    }
    frame = frame.assign(
        label=frame["breakdown_value"].map(labels).fillna(frame["breakdown_value"]),
        group=frame["breakdown"].map(
            {"sex": t("sex", lang), "target_group": t("target_group", lang)}
        ),
    )
    ind = lookup(cat, "mart_pool_participation", "trainee_count")
    fig = (
        figures.bars(frame, "label", "trainee_count", lang, ind.name(lang), color_by="group")
        if not frame.empty
        else None
    )
    table = blocks.table(
        frame,
        [
            ("label", t("group", lang), str),
            ("group", t("breakdown", lang), str),
            ("trainee_count", ind.name(lang), formatter("count", lang)),
        ],
        t("table_caption", lang, name=ind.name(lang)),
        {"trainee_count": "trainee_count_flag"},
    )
    return blocks.figure_block(
        "profile",
        t("profile", lang),
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "label", "trainee_count", "count", lang, ind.name(lang)),
        table,
        lang,
    )


def _labour_market(state: ViewState, path: Path, pool_id: str, cat: dict[Any, Any]) -> Any:
    lang = state.lang
    cols = ["vacancy_received_count", "jobseeker_count", "tension_ratio"]
    frame = data.cells(
        path,
        "mart_labour_market_pool",
        cols,
        {"pool_id": pool_id},
        between=("month", state.month_from, state.month_to),
        order_by=("month",),
    )
    frame = frame.assign(label=[month_label(m, lang) for m in frame["month"]])
    ind = lookup(cat, "mart_labour_market_pool", "tension_ratio")
    fig = (
        figures.lines(
            frame, "month", "tension_ratio", None, lang, ind.name(lang), hover_format=",.1f"
        )
        if not frame.empty
        else None
    )
    table = blocks.table(
        frame,
        [("label", t("month", lang), str)]
        + [
            (
                c,
                lookup(cat, "mart_labour_market_pool", c).name(lang),
                formatter(lookup(cat, "mart_labour_market_pool", c).unit, lang),
            )
            for c in cols
        ],
        t("table_caption", lang, name=t("sector_market", lang)),
        {c: f"{c}_flag" for c in cols},
    )
    return blocks.figure_block(
        "sector-market",
        t("sector_market", lang),
        fig,
        caption(ind, state),
        summary(frame, "label", "tension_ratio", "ratio", lang, ind.name(lang)),
        table,
        lang,
    )


def _shortage(
    state: ViewState, options: Options, path: Path, pool_id: str, cat: dict[Any, Any]
) -> Any:
    lang = state.lang
    i = {"fr": 0, "nl": 1, "en": 2}[lang]
    codes = list(options.pool_occupations.get(pool_id, ()))
    frame = data.cells(
        path,
        "mart_shortage_occupation",
        ["vacancy_received_count", "fill_rate", "tension_ratio", "is_shortage"],
        {"year": state.year, "occupation_isco": codes or ["-"]},
        order_by=("occupation_isco",),
    )
    frame = frame.assign(
        label=[
            f"{c} {options.occupations.get(str(c), ('', '', ''))[i]}"
            for c in frame["occupation_isco"]
        ],
        shortage=[t("yes", lang) if bool(v) else t("no", lang) for v in frame["is_shortage"]],
    )
    ind = lookup(cat, "mart_shortage_occupation", "tension_ratio")
    fig = (
        figures.bars(
            frame,
            "label",
            "tension_ratio",
            lang,
            ind.name(lang),
            horizontal=True,
            hover_format=",.1f",
        )
        if not frame.empty
        else None
    )
    table = blocks.table(
        frame,
        [
            ("label", t("occupation", lang), str),
            ("shortage", t("is_shortage", lang), str),
            measure_column(
                cat, "mart_shortage_occupation", "vacancy_received_count", "count", lang
            ),
            measure_column(cat, "mart_shortage_occupation", "fill_rate", "rate", lang),
            ("tension_ratio", ind.name(lang), formatter("ratio", lang)),
        ],
        t("table_caption", lang, name=t("shortage", lang)),
        {c: f"{c}_flag" for c in ("vacancy_received_count", "fill_rate", "tension_ratio")},
    )
    return blocks.figure_block(
        "shortage",
        t("shortage", lang),
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "label", "tension_ratio", "ratio", lang, ind.name(lang)),
        table,
        lang,
    )


def _supply_demand(
    state: ViewState, options: Options, path: Path, pool_id: str, cat: dict[Any, Any]
) -> Any:
    lang = state.lang
    i = {"fr": 0, "nl": 1, "en": 2}[lang]
    cols = ["completer_count", "vacancy_received_count", "jobseeker_avg_count", "gap_count"]
    frame = data.cells(
        path,
        "mart_supply_demand",
        cols,
        {"pool_id": pool_id, "year": state.year},
        order_by=("occupation_isco",),
    )
    frame = frame.assign(
        label=[
            t("all_occupations", lang)
            if c == data.TOTAL
            else f"{c} {options.occupations.get(str(c), ('', '', ''))[i]}"
            for c in frame["occupation_isco"]
        ]
    )
    long = figures.long_form(
        frame,
        "label",
        ("vacancy_received_count", "jobseeker_avg_count"),
        lambda c: lookup(cat, "mart_supply_demand", c).name(lang),
    )
    ind = lookup(cat, "mart_supply_demand", "gap_count")
    fig = (
        figures.bars(
            long, "label", "value", lang, t("value", lang), color_by="series", horizontal=True
        )
        if not long.empty
        else None
    )
    table = blocks.table(
        frame,
        [("label", t("occupation", lang), str)]
        + [measure_column(cat, "mart_supply_demand", c, "count", lang) for c in cols],
        t("table_caption", lang, name=t("supply_demand", lang)),
        {c: f"{c}_flag" for c in cols},
    )
    return blocks.figure_block(
        "supply-demand",
        t("supply_demand", lang),
        fig,
        caption(ind, state, year_text(state, path)),
        summary(frame, "label", "gap_count", "count", lang, ind.name(lang)),
        table,
        lang,
    )


def _detail_link(state: ViewState, pool_id: str) -> html.P:
    """The way to the programme x month detail. Shown to everyone: the detail route itself asks
    anonymous readers to log in and refuses managers of another pool (403)."""
    span = f"from={month_code(state.month_from)}&to={month_code(state.month_to)}"
    query = f"?lang={state.lang}&{span}"
    user = current_user()
    note = (
        t("detail_yours", state.lang)
        if user is not None and user.pool == pool_id
        else t("detail_managers_only", state.lang)
    )
    return html.P(
        [
            html.A(
                t("detail_link", state.lang),
                href=f"/pool/{pool_id}/detail{query}",
                id="detail-link",
            ),
            f" — {note}",
        ],
        className="detail-link",
    )


def render(state: ViewState, options: Options, path: Path, query: dict[str, str]) -> Any:
    lang = state.lang
    pool_id = query.get("pool_id", "")
    pool = options.pool(pool_id)
    if pool is None:
        return page(state, PATH, t("pool_unknown", lang), [html.P(t("pool_unknown_text", lang))])
    state = state.with_(pool=pool_id)
    cat = catalogue(path)
    controls = filters.bar(
        [
            *filters.period(state, options),
            filters.dropdown(
                "sex", t("sex", lang), filters.code_options(options.sexes, lang), state.sex, lang
            ),
        ],
        lang,
    )
    facts = html.Section(
        [
            html.H2(t("pool_facts", lang)),
            html.Dl(
                [
                    html.Dt(t("status", lang)),
                    html.Dd(t(f"status_{pool.status}", lang)),
                    html.Dt(t("opening", lang)),
                    html.Dd(
                        month(pool.opening_month, lang)
                        if pool.opening_month
                        else t("not_open", lang)
                    ),
                    html.Dt(t("sector", lang)),
                    html.Dd(pool.sector(lang)),
                ],
                className="facts",
            ),
        ],
        className="block",
    )
    body: list[Any] = [facts]
    if pool.status != "planned":
        body.append(_detail_link(state, pool_id))
    if pool.status == "planned":
        body.append(html.P(t("planned_note", lang), className="note"))
    else:
        body += [
            _functions(state, path, pool_id, cat),
            _funnel(state, path, pool_id, cat),
            _cohorts(state, path, pool_id, cat),
            _profile(state, options, path, pool_id, cat),
        ]
    body += [
        _labour_market(state, path, pool_id, cat),
        _shortage(state, options, path, pool_id, cat),
    ]
    if pool.status != "planned":
        body.append(_supply_demand(state, options, path, pool_id, cat))
    body.append(blocks.flag_legend(lang))
    path_here = f"/pool/{pool_id}"
    return page(state, path_here, pool.name(lang), body, controls, download.buttons("pool", state))
