"""Building blocks every page uses: a figure with its caption, text alternative and table view,
headline cards, the flag legend.

Why one block for every chart: the rules "definition, period and source next to every figure",
"a table view for every chart" and "a text alternative" then hold by construction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from dash import dcc, html

from dashboard import figures
from dashboard.components import attrs
from dashboard.formatting import is_missing
from dashboard.i18n import plotly_locale, t

Formatter = Callable[[Any], str]
GRAPH_CONFIG: Any = {
    "displayModeBar": False,
    "responsive": True,
    "topojsonURL": "/assets/topojson/",
}


def graph_config(lang: str) -> Any:
    """GRAPH_CONFIG with plotly's locale of the reader's language (month names on axes)."""
    return {**GRAPH_CONFIG, **plotly_locale(lang)}


def flag_of(value: Any) -> str:
    return "" if is_missing(value) else str(value)


def flag_legend(lang: str) -> html.Div:
    """What the flags mean, shown wherever a flag can appear."""
    items = [("c", "flag_c"), ("p", "flag_p"), ("b", "flag_b"), ("e", "flag_e"), (":", "flag_na")]
    return html.Div(
        [html.Span(t("flags_title", lang) + " ", className="legend-title")]
        + [
            html.Span([html.Strong(code), " " + t(key, lang)], className="legend-item")
            for code, key in items
        ],
        className="flag-legend",
    )


def _html(kind: str, children: Any, **props: Any) -> Any:
    """`html.<kind>(children, **props)` written directly in the JSON form Dash sends for it.

    Why: a table view has a component per cell (thousands on the labour-market page), and Dash's
    component constructor (argument checks) and `to_plotly_json` (a scan of every prop name)
    took a third of a page's first render; the browser receives the same JSON either way.
    """
    return {
        "props": {"children": children, **props},
        "type": kind,
        "namespace": "dash_html_components",
    }


def table(
    frame: pd.DataFrame,
    columns: Sequence[tuple[str, str, Formatter]],
    caption: str,
    flag_columns: dict[str, str] | None = None,
) -> html.Table:
    """An accessible HTML table: caption, header cells with scope, flags beside their value."""
    flag_columns = flag_columns or {}
    head = _html("Thead", _html("Tr", [_html("Th", label, scope="col") for _, label, _ in columns]))
    # Per column: its formatter and the column of its flag ("" when it has none).
    plan = [(key, fmt, flag_columns.get(key, "")) for key, _, fmt in columns]
    # The shown columns as lists, not `to_dict("records")` (~3 ms a table: every column, a
    # dict per row).
    absent = [None] * len(frame)
    needed = {key for key, _, _ in plan} | {flag for _, _, flag in plan if flag}
    lists = {c: frame[c].tolist() for c in frame.columns if c in needed}
    body_rows: list[Any] = []
    for i in range(len(frame)):
        cells: list[Any] = []
        for key, fmt, flag_key in plan:
            text = fmt(lists.get(key, absent)[i])
            flag = flag_of(lists.get(flag_key, absent)[i]) if flag_key else ""
            content = f"{text} ({flag})" if flag else text
            cells.append(_html("Th", content, scope="row") if not cells else _html("Td", content))
        body_rows.append(_html("Tr", cells))
    return html.Table(
        [html.Caption(caption), head, _html("Tbody", body_rows)], className="data-table"
    )


def figure_block(
    block_id: str,
    title: str,
    figure: figures.Figure | None,
    caption: Sequence[str],
    alt_text: str,
    table_view: html.Table | None,
    lang: str,
    height: int | None = None,
) -> html.Section:
    """Title, the chart (as an image with a text alternative), caption lines, table view."""
    children: list[Any] = [html.H3(title, id=f"{block_id}-title")]
    if figure is None:
        children.append(html.P(t("no_data", lang), className="no-data"))
    else:
        if height:
            figures.set_layout(figure, height=height)
        # The chart's height is reserved before plotly draws it (no layout shift, issue 14).
        drawn_height = figure["layout"].get("height") or figures.DEFAULT_HEIGHT
        children.append(
            html.Div(
                dcc.Graph(
                    id=f"{block_id}-graph",
                    figure=figure,
                    config=graph_config(lang),
                ),
                role="img",
                **attrs({"aria-label": alt_text}),
                className="graph-wrap",
                style={"minHeight": f"{drawn_height}px"},
            )
        )
    children.append(html.Div([html.P(line) for line in caption if line], className="caption"))
    if table_view is not None:
        children.append(
            html.Details([html.Summary(t("table_view", lang)), table_view], className="table-view")
        )
    return html.Section(
        children, className="block", id=block_id, **attrs({"aria-labelledby": f"{block_id}-title"})
    )


def card(
    title: str,
    value: str,
    flag: str,
    change: str | None,
    lang: str,
    note: str,
) -> html.Div:
    """One headline figure with its change on a year earlier."""
    parts: list[Any] = [
        html.H3(title, className="card-title"),
        html.P(
            [value, html.Sup(f" {flag}", className="flag") if flag else None],
            className="card-value",
        ),
    ]
    if change is not None:
        parts.append(html.P(t("change_year", lang, change=change), className="card-change"))
    parts.append(html.P(note, className="card-note"))
    return html.Div(parts, className="card")
