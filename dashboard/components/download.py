"""The download bar of a page and the callback that sends its file (dashboard/exports).

Each page with `downloads=True` in dashboard/pages/registry.py shows one button per format of
`dashboard.exports.FORMATS`; a click sends `exports.export_selection(published path, the page's
validated view state, page, format)` through dcc.Download, so an export is exactly the
selection on screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dash import ALL, Dash, Input, Output, State, callback_context, dcc, html, no_update

from dashboard import export_guard, exports
from dashboard.components import attrs
from dashboard.context import browser_lang, published_path
from dashboard.i18n import t
from dashboard.pages.registry import DOWNLOAD_PAGES
from dashboard.state import ViewState, load_options, parse, parse_search, to_query

# The pages that show a download bar: a button's `page` must be one of them (a forged value is
# ignored before it reaches the exporter).
PAGES: frozenset[str] = DOWNLOAD_PAGES


def buttons(page: str, state: ViewState) -> html.Div:
    """The download bar of a page."""
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
            for fmt in exports.FORMATS
        ]
        + [dcc.Download(id="download-file")],
        className="download-bar",
    )


def register(app: Dash) -> None:
    """Register the download callback (harmless when no page shows buttons)."""

    @app.callback(
        dash_output(),
        Input({"type": "download", "page": ALL, "fmt": ALL}, "n_clicks"),
        State("_pages_location", "search"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def _download(clicks: list[Any], search: str | None, pathname: str | None) -> Any:
        trigger = callback_context.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update
        fmt, page = str(trigger.get("fmt")), str(trigger.get("page"))
        if fmt not in exports.FORMATS or page not in PAGES:
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
            lambda: exports.export_selection(path, state, page, fmt),
            path,
            key,
            export_guard.months_between(state.month_from, state.month_to),
        )
        return dcc.send_bytes(content, name)


def dash_output() -> Any:
    return Output("download-file", "data")
