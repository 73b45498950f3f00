"""Filter controls. Every control has the id {"type": "filter", "key": <URL key>}; one callback
(app.py) turns their values into the URL query string, and the page re-renders from the URL.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.components import attrs
from dashboard.formatting import month, month_code
from dashboard.i18n import t
from dashboard.state import Options, ViewState


def _id(key: str) -> dict[str, str]:
    return {"type": "filter", "key": key}


def dropdown_labels(lang: str) -> Any:
    """The dropdown's own texts ("4 selected", "Search"…) in the reader's language."""
    keys = (
        "select_all",
        "deselect_all",
        "selected_count",
        "search",
        "clear_search",
        "clear_selection",
        "no_options_found",
    )
    # {num_selected} is filled in by the dropdown itself
    return {k: t(f"dropdown_{k}", lang, num_selected="{num_selected}") for k in keys}


def dropdown(
    key: str,
    label: str,
    options: list[dict[str, str]],
    value: Any,
    lang: str,
    multi: bool = False,
    clearable: bool = True,
) -> html.Div:
    """A labelled dropdown (the label is tied to the input for screen readers)."""
    html_id = f"filter-{key}"
    return html.Div(
        [
            html.Label(label, id=f"{html_id}-label"),
            dcc.Dropdown(
                id=_id(key),
                options=options,
                value=value,
                multi=multi,
                clearable=clearable,
                placeholder=t("all", lang),
                searchable=True,
                labels=dropdown_labels(lang),
            ),
        ],
        className="filter",
        id=html_id,
    )


def period(state: ViewState, options: Options) -> list[html.Div]:
    """From/to month pickers limited to the months the published file covers."""
    months = [{"label": month(m, state.lang), "value": month_code(m)} for m in options.months]
    return [
        dropdown(
            "from",
            t("period_from", state.lang),
            months,
            month_code(state.month_from),
            state.lang,
            clearable=False,
        ),
        dropdown(
            "to",
            t("period_to", state.lang),
            months,
            month_code(state.month_to),
            state.lang,
            clearable=False,
        ),
    ]


def _lang_index(lang: str) -> int:
    return {"fr": 0, "nl": 1, "en": 2}[lang]


def pool_options(
    options: Options, lang: str, only: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    return [
        {"label": p.name(lang), "value": p.pool_id}
        for p in options.pools
        if only is None or p.pool_id in only
    ]


def sector_options(
    options: Options, lang: str, only: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    return [
        {"label": p.sector(lang), "value": p.pool_id}
        for p in options.pools
        if only is None or p.pool_id in only
    ]


def code_options(
    labels: dict[str, tuple[str, str, str]], lang: str, allowed: tuple[str, ...] | None = None
) -> list[dict[str, str]]:
    i = _lang_index(lang)
    return [
        {"label": f"{v[i]}", "value": k}
        for k, v in labels.items()
        if allowed is None or k in allowed
    ]


def occupation_options(
    options: Options, lang: str, allowed: tuple[str, ...] | None
) -> list[dict[str, str]]:
    i = _lang_index(lang)
    return [
        {"label": f"{k} {v[i]}", "value": k}
        for k, v in options.occupations.items()
        if allowed is None or k in allowed
    ]


def commune_options(options: Options, lang: str) -> list[dict[str, str]]:
    i = 1 if lang == "nl" else 0
    return [{"label": v[i], "value": k} for k, v in options.communes.items()]


def bar(children: list[Any], lang: str) -> html.Div:
    """The filter bar: a form landmark with a heading."""
    return html.Div(
        [
            html.H2(t("filters", lang), className="visually-hidden", id="filters-title"),
            html.Div(children, className="filter-row"),
        ],
        className="filters",
        role="search",
        **attrs({"aria-labelledby": "filters-title"}),
    )
