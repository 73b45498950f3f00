"""Compare pools: one chosen indicator for chosen pools and period, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import data, figures
from dashboard.catalogue import Indicator, catalogue, lookup
from dashboard.components import blocks, download, filters
from dashboard.components.shell import page
from dashboard.formatting import formatter, month
from dashboard.i18n import t
from dashboard.pages.common import caption, month_label, summary
from dashboard.pages.registry import path_of
from dashboard.state import COMPARE_MEASURES, Options, ViewState

PATH = path_of("compare")


def series(state: ViewState, path: Path, mart: str, column: str, pools: list[str]) -> pd.DataFrame:
    """Monthly (or, for placement cohorts, quarterly) cells of the chosen pools."""
    if mart == "mart_labour_market_pool":
        frame = data.cells(
            path,
            mart,
            [column],
            {"pool_id": pools},
            between=("month", state.month_from, state.month_to),
            order_by=("pool_id", "month"),
        )
        return frame.rename(columns={"month": "when"})
    where: dict[str, Any] = {"pool_id": pools, "period_type": "month"}
    if mart == "mart_pool_participation":
        where |= {"breakdown": "total", "breakdown_value": data.TOTAL}
    else:
        where |= {"sex": data.TOTAL, "period_type": "quarter"}
    frame = data.cells(
        path,
        mart,
        [column],
        where,
        between=("period_start", state.month_from, state.month_to),
        order_by=("pool_id", "period_start"),
    )
    return frame.rename(columns={"period_start": "when"})


def _controls(state: ViewState, options: Options, cat: Any, pools: list[str], ind_key: str) -> Any:
    """The period, pools and indicator choices of the page."""
    lang = state.lang
    return filters.bar(
        [
            *filters.period(state, options),
            filters.dropdown(
                "pools",
                t("pools", lang),
                filters.pool_options(options, lang),
                pools,
                lang,
                multi=True,
            ),
            filters.dropdown(
                "ind",
                t("indicator", lang),
                [
                    {"label": lookup(cat, m, c).name(lang), "value": f"{m}.{c}"}
                    for m, c in COMPARE_MEASURES
                ],
                ind_key,
                lang,
                clearable=False,
            ),
        ],
        lang,
    )


def _lines(frame: pd.DataFrame, column: str, ind: Indicator, lang: str) -> Any:
    """The measure month by month, one line per pool (short names: the legend stays short)."""
    fig = (
        figures.lines(
            frame,
            "when",
            column,
            "short",
            lang,
            ind.name(lang),
            hover_format=".1%" if ind.unit == "rate" else ",.1f",
        )
        if not frame.empty
        else None
    )
    if fig is not None and ind.unit == "rate":
        figures.set_yaxis(fig, tickformat=".0%")
    return fig


def _bars(last: pd.DataFrame, column: str, ind: Indicator, lang: str) -> Any:
    """The last month's value per pool, as horizontal bars with the pools' short names."""
    bar_fig = (
        figures.bars(
            last,
            "short",
            column,
            lang,
            ind.name(lang),
            horizontal=True,
            hover_format=".1%" if ind.unit == "rate" else ",.1f",
        )
        if not last.empty
        else None
    )
    return bar_fig


def render(state: ViewState, options: Options, path: Path, _: dict[str, str]) -> Any:
    lang = state.lang
    cat = catalogue(path)
    ind_key = state.indicator or f"{COMPARE_MEASURES[0][0]}.{COMPARE_MEASURES[0][1]}"
    mart, column = ind_key.split(".", 1)
    ind = lookup(cat, mart, column)
    pools = list(state.pools) or [p.pool_id for p in options.pools if p.status != "planned"]
    names = {p.pool_id: p.name(lang) for p in options.pools}
    short = {p.pool_id: p.short_name for p in options.pools}
    controls = _controls(state, options, cat, pools, ind_key)
    frame = series(state, path, mart, column, pools)
    frame = frame.assign(
        pool=frame["pool_id"].map(names),
        short=frame["pool_id"].map(short),
        label=[month_label(v, lang) for v in frame["when"]],
    )
    fig = _lines(frame, column, ind, lang)
    table = blocks.table(
        frame,
        [
            ("pool", t("pool", lang), str),
            ("label", t("period", lang), str),
            (column, ind.name(lang), formatter(ind.unit, lang)),
        ],
        t("table_caption", lang, name=ind.name(lang)),
        {column: f"{column}_flag"},
    )
    last = frame[frame["when"] == frame["when"].max()] if not frame.empty else frame
    bar_fig = _bars(last, column, ind, lang)
    body = [
        blocks.figure_block(
            "compare-bars",
            f"{ind.name(lang)} — {month(state.month_to, lang)}",
            bar_fig,
            caption(ind, state),
            summary(last, "short", column, ind.unit, lang, ind.name(lang)),
            None,
            lang,
        ),
        blocks.figure_block(
            "compare-lines",
            ind.name(lang),
            fig,
            caption(ind, state),
            summary(
                frame.assign(key=frame["pool"] + " " + frame["label"]),
                "key",
                column,
                ind.unit,
                lang,
                ind.name(lang),
            ),
            table,
            lang,
        ),
        blocks.flag_legend(lang),
    ]
    return page(
        state.with_(pools=tuple(pools), indicator=ind_key),
        PATH,
        t("compare_title", lang),
        body,
        controls,
        download.buttons("compare", state),
    )
