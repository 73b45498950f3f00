"""The hook for download buttons (issue 5: dashboard/exports).

Why a hook and not the buttons themselves: exports are written elsewhere. When a module
`dashboard.exports` exists and provides

    export_selection(published_path: Path, state: ViewState, page: str, fmt: str)
        -> tuple[bytes, str]           # (content, file name)
    FORMATS: tuple[str, ...]          # e.g. ("xlsx", "csv", "pdf", "png", "parquet")

each page shows one button per format, and this module sends the file through dcc.Download.
The state is the validated view of the page (dashboard.state.ViewState), so an export is
exactly the selection on screen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from dash import ALL, Dash, Input, State, callback_context, dcc, html, no_update

from dashboard.components import attrs
from dashboard.i18n import t
from dashboard.state import ViewState

# The pages that show a download bar: a button's `page` must be one of them (a forged value is
# ignored before it reaches the exporter).
PAGES: frozenset[str] = frozenset({"region", "pool", "labour_market", "compare"})


def _exporter() -> tuple[Callable[..., tuple[bytes, str]], tuple[str, ...]] | None:
    try:
        module = importlib.import_module("dashboard.exports")
    except ImportError:
        return None
    func = getattr(module, "export_selection", None)
    formats = tuple(getattr(module, "FORMATS", ()))
    if func is None or not formats:
        return None
    return func, formats


def buttons(page: str, state: ViewState) -> html.Div | None:
    """The download bar of a page, or None while no exporter is installed."""
    found = _exporter()
    if found is None:
        return None
    _, formats = found
    return html.Div(
        [html.Span(t("download", state.lang), className="download-label")]
        + [
            html.Button(
                fmt.upper(),
                id={"type": "download", "page": page, "fmt": fmt},
                type="button",
                className="download-button",
                **attrs({"aria-label": t("download_as", state.lang, fmt=fmt.upper())}),
            )
            for fmt in formats
        ]
        + [dcc.Download(id="download-file")],
        className="download-bar",
    )


def register(app: Dash) -> None:
    """Register the download callback (harmless when no page shows buttons)."""
    from pathlib import Path

    from dashboard import export_guard
    from dashboard.context import browser_lang, published_path
    from dashboard.state import load_options, parse, parse_search, to_query

    @app.callback(
        dash_output(),
        Input({"type": "download", "page": ALL, "fmt": ALL}, "n_clicks"),
        State("_pages_location", "search"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def _download(clicks: list[Any], search: str | None, pathname: str | None) -> Any:
        found = _exporter()
        trigger = callback_context.triggered_id
        if found is None or not isinstance(trigger, dict) or not any(clicks):
            return no_update
        func, formats = found
        fmt, page = str(trigger.get("fmt")), str(trigger.get("page"))
        if fmt not in formats or page not in PAGES:
            return no_update
        path: Path = published_path()
        options = load_options(path)
        query = parse_search(search)
        state = parse(query, options, browser_lang())  # an unknown ?lang= falls back, no 500
        pool_id = (pathname or "").removeprefix("/pool/") if page == "pool" else ""
        if pool_id in options.pool_ids:  # the pool page takes its pool from the path
            state = state.with_(pool=pool_id)
        # bounded: kept per published file and selection, a few at a time (export_guard)
        key = (page, fmt, to_query(state), state.lang, state.pool if page == "pool" else None)
        content, name = export_guard.guard().run(
            lambda: func(path, state, page, fmt),
            path,
            key,
            export_guard.months_between(state.month_from, state.month_to),
        )
        return dcc.send_bytes(content, name)


def dash_output() -> Any:
    from dash import Output

    return Output("download-file", "data")
