"""The Dash application frame: pages, the URL-writing callback, the maintenance response.

Why so little here: pages render from the URL (dashboard.context.wrap), figures come from
dashboard.figures, data from dashboard.data. This module only wires them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dash
import flask
from dash import ALL, Dash, Input, Output, State, html, no_update

from dashboard import data
from dashboard.components import download
from dashboard.context import CONFIG_KEY, GEO_KEY, browser_lang, title, wrap
from dashboard.i18n import LANGS, t
from dashboard.pages import compare, data_page, labour_market, pool, region
from dashboard.state import KEYS, parse_search

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEOJSON = ROOT / "data" / "reference" / "geo" / "brussels_communes.geojson"
PAGES: tuple[tuple[Any, str, str, str | None], ...] = (
    # module, name, title key, path template
    (region, "region", "region_title", None),
    (pool, "pool", "pool_title", "/pool/<pool_id>"),
    (labour_market, "labour_market", "labour_market_title", None),
    (compare, "compare", "compare_title", None),
    (data_page, "data", "data_title", None),
)
_PAGE_PREFIXES = ("/pool/", "/labour-market", "/compare", "/data")


class ObservatoryDash(Dash):
    """Dash with the page language in `<html lang>` (from the URL, else the browser)."""

    def interpolate_index(self, **kwargs: Any) -> Any:  # type: ignore[override]
        page_html: str = super().interpolate_index(**kwargs)
        lang = flask.request.args.get("lang") if flask.has_request_context() else None
        lang = lang if lang in LANGS else browser_lang()
        return page_html.replace("<html>", f'<html lang="{lang}">', 1)


def maintenance_response() -> flask.Response:
    """HTTP 503 with the message in the three languages (no detail, no traceback)."""
    parts = "".join(
        f'<section lang="{lang}"><h1>{t("maintenance_title", lang)}</h1>'
        f"<p>{t('maintenance_text', lang)}</p></section>"
        for lang in LANGS
    )
    body = (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t('maintenance_title', 'fr')}</title></head><body>"
        f"<main>{parts}</main></body></html>"
    )
    return flask.Response(
        body,
        status=503,
        mimetype="text/html",
        headers={"Retry-After": "60", "Cache-Control": "no-store"},
    )


def _is_page_request(path: str) -> bool:
    return path == "/" or path.startswith(_PAGE_PREFIXES)


def create_app(published_path: Path, geojson_path: Path = DEFAULT_GEOJSON) -> Dash:
    """The dashboard over one published file (read on every request, never cached)."""
    app = ObservatoryDash(
        __name__,
        use_pages=True,
        pages_folder="",
        serve_locally=True,
        assets_folder=str(Path(__file__).parent / "assets"),
        suppress_callback_exceptions=True,
        title="Observatory",
        update_title="",
        compress=False,
    )
    app.server.config[CONFIG_KEY] = str(published_path)
    app.server.config[GEO_KEY] = json.loads(geojson_path.read_text(encoding="utf-8"))
    for module, name, title_key, template in PAGES:
        kwargs: dict[str, Any] = {"path_template": template} if template else {"path": module.PATH}
        dash.register_page(
            f"dashboard.pages.{name}",
            name=name,
            title=title(title_key),
            layout=wrap(module.render),
            **kwargs,
        )
    app.layout = html.Div([dash.page_container])

    @app.server.before_request
    def _maintenance() -> flask.Response | None:
        if flask.request.method == "GET" and _is_page_request(flask.request.path):
            try:
                data.check(published_path)
            except data.DataUnavailable:
                return maintenance_response()
        return None

    @app.callback(
        Output("_pages_location", "search", allow_duplicate=True),
        Input({"type": "filter", "key": ALL}, "value"),
        State({"type": "filter", "key": ALL}, "id"),
        State("_pages_location", "search"),
        prevent_initial_call=True,
    )
    def _filters_to_url(values: list[Any], ids: list[dict[str, str]], search: str | None) -> Any:
        """Filter values → query string; the page then re-renders from the URL."""
        query = parse_search(search)
        for ident, value in zip(ids, values, strict=True):
            key = ident.get("key", "")
            if key not in KEYS:
                continue
            if isinstance(value, list):
                value = ",".join(str(v) for v in value)
            if value in (None, ""):
                query.pop(key, None)
            else:
                query[key] = str(value)[:200]
        from urllib.parse import urlencode

        new = "?" + urlencode([(k, query[k]) for k in KEYS if k in query], safe=",")
        current = "?" + (search or "").lstrip("?")
        return no_update if new == current else new

    download.register(app)
    return app
