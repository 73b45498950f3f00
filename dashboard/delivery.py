"""How the dashboard reaches the browser (issue 14), wired into the app in one call.

The pieces: dashboard.plotly_bundle (plotly.js with only the trace types drawn, loaded while
the server answers), dashboard.lean_scripts (Dash's polyfill and dash_table's bundle left out),
dashboard.page_meta (title and description per page and language, preloads, robots.txt),
dashboard.caching (Cache-Control by fingerprint) and dashboard.compression (brotli / gzip, as
the last step of every response).
"""

from __future__ import annotations

import flask
from dash import Dash

from dashboard import caching, compression, lean_scripts, page_meta, plotly_bundle


def install(app: Dash) -> None:
    """Call once in create_app, after the app's own routes and hooks."""
    plotly_bundle.install(app)
    lean_scripts.install(app)
    page_meta.install(app.server)
    caching.install(app.server)
    compression.install(app.server)


def finish_page(app: Dash, page_html: str, lang: str) -> str:
    """The index page with its title, description and preloads (from Dash.interpolate_index)."""
    path = flask.request.path if flask.has_request_context() else "/"
    return page_meta.finish(page_html, path, lang, plotly_bundle.preload_links(app, path))
