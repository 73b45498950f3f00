"""The Dash application frame: pages, the URL-writing callback, the maintenance response, the
security headers, error handling and the pool-manager routes.

Why so little here: pages render from the URL (dashboard.context.wrap), figures come from
dashboard.figures, data from dashboard.data, logins from dashboard.auth. This module only wires
them, and holds the rules every response obeys (headers, no traceback, no row in a log).
"""

from __future__ import annotations

import json
import logging
import secrets
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import dash
import flask
from dash import ALL, Dash, Input, Output, State, html, no_update
from werkzeug.exceptions import HTTPException

from dashboard import api, auth, data, delivery, export_guard, render_cache
from dashboard.components import download
from dashboard.context import CONFIG_KEY, GEO_KEY, RESTRICTED_KEY, browser_lang, title, wrap
from dashboard.i18n import LANGS, t
from dashboard.limits import ServerLimits
from dashboard.pages import compare, data_page, detail, labour_market, login, pool, region
from dashboard.pages.registry import PAGES, PREFIXES, is_page, landing_paths
from dashboard.state import KEYS, load_options, parse_search, sanitize

LOG = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GEOJSON = ROOT / "data" / "reference" / "geo" / "brussels_communes.geojson"
# The modules of the pages listed in dashboard/pages/registry.py (their `render`).
PAGE_MODULES: dict[str, Any] = {
    module.__name__.rsplit(".", 1)[1]: module
    for module in (region, pool, labour_market, compare, data_page)
}
PAGE_PREFIXES = PREFIXES


class ObservatoryDash(Dash):
    """Dash with the page language in `<html lang>` (from the URL, else the browser)."""

    def interpolate_index(self, **kwargs: Any) -> Any:  # type: ignore[override]
        page_html: str = super().interpolate_index(**kwargs)
        lang = flask.request.args.get("lang") if flask.has_request_context() else None
        lang = lang if lang in LANGS else browser_lang()
        page_html = page_html.replace("<html>", f'<html lang="{lang}">', 1)
        return delivery.finish_page(self, page_html, lang)

    def _config(self) -> dict[str, Any]:
        """Dash's page configuration without the versions of Python, Dash and plotly (they
        only help an attacker pick a known flaw; the renderer needs them for dev tools only)."""
        config: dict[str, Any] = super()._config()
        for key in ("dash_version", "python_version", "dash_version_url", "plotly_version"):
            config.pop(key, None)
        return config


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


def content_security_policy(script_hashes: Sequence[str]) -> str:
    """The CSP Dash works under: scripts only from this site plus Dash's own inline scripts
    (by hash, no 'unsafe-inline', no 'unsafe-eval'); inline styles allowed because Dash and
    plotly set element styles; nothing may be fetched from, or frame us on, another site."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' " + " ".join(script_hashes),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def where_failed(exc: BaseException) -> str:
    """`TypeName at module.py:line` of our innermost frame: enough to find the bug, and never the
    exception's message, which may quote a value of a row (a code, a name, a number)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/dashboard/" in f.filename] or frames
    place = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {place}"


class NoRowContents(logging.Filter):
    """Replace a record's traceback by `where_failed` (type and place, no message, no locals).

    Installed on the dashboard's loggers: a logged exception never carries row contents."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()} ({where_failed(record.exc_info[1])})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def _install_log_filter() -> None:
    for name in ("dashboard", "dashboard.app", "dashboard.context", "dashboard.pages.detail"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, NoRowContents) for f in logger.filters):
            logger.addFilter(NoRowContents())


def warm_up(app: Dash, published_path: Path) -> None:
    """Draw every page's landing view once per language, then close every connection and
    forget the memos.

    Why: the first figure of each kind a process draws imports and builds plotly's validators
    (~0.2-0.6 s); done in gunicorn's arbiter before the fork (preload), every worker starts with
    them in memory. The views are drawn through the render callback, so with the server's shared
    directory (dashboard.render_cache) the landing views are kept for every worker before the
    first reader arrives. No connection crosses the fork (DuckDB connections must not); the
    workers open the file at their first request. A missing or damaged file skips the warm-up."""
    from dashboard.render_cache import PAGES_OUTPUT

    client = app.server.test_client()
    try:
        options = load_options(published_path)
        for path in landing_paths(options.pool_ids):
            for lang in LANGS:
                # readers whose browser asks for that language, and those that send none
                for accept in dict.fromkeys((lang, "")):
                    client.post(
                        "/_dash-update-component",
                        json={
                            "output": PAGES_OUTPUT,
                            "outputs": [
                                {"id": "_pages_content", "property": "children"},
                                {"id": "_pages_store", "property": "data"},
                            ],
                            "inputs": [
                                {"id": "_pages_location", "property": "pathname", "value": path},
                                {
                                    "id": "_pages_location",
                                    "property": "search",
                                    "value": f"?lang={lang}",
                                },
                            ],
                            "changedPropIds": ["_pages_location.pathname"],
                        },
                        headers={"Accept-Language": accept} if accept else {},
                    )
    except Exception as exc:  # a warm-up never stops the server
        LOG.warning("warm-up skipped (%s)", where_failed(exc))
    finally:
        data.close_all()


def body_limit(max_body: int) -> flask.Response | None:
    """before_request: a body larger than `max_body` is refused (413) before anything reads it
    (a chunked body without a length is cut at the same size by Flask's MAX_CONTENT_LENGTH)."""
    length = flask.request.content_length
    if length is not None and length > max_body:
        LOG.warning("request body refused: %d bytes to %s", length, flask.request.path)
        return flask.Response(t("error_text", browser_lang()), status=413, mimetype="text/plain")
    return None


def _install_body_limit(server: flask.Flask, max_body: int) -> None:
    server.config["MAX_CONTENT_LENGTH"] = max_body
    server.config["MAX_FORM_MEMORY_SIZE"] = max_body
    server.before_request(lambda: body_limit(max_body))


def create_app(
    published_path: Path,
    geojson_path: Path = DEFAULT_GEOJSON,
    auth_settings: auth.AuthSettings | None = None,
    render_dir: Path | None = None,
    limits: ServerLimits | None = None,
    restricted_path: Path | None = None,
) -> Dash:
    """The dashboard over one published file (checked at every request; what is drawn from it
    is kept per file identity: dashboard.data.memo, dashboard.render_cache).

    `auth_settings` configures the pool-manager tier; without it nobody can log in (a random
    session secret, no users) and restricted pages answer with the login page. `render_dir`
    is where the workers share rendered pages and exports (dashboard.render_cache,
    dashboard.export_guard); `limits` bounds what one request may cost (dashboard.limits).
    `restricted_path` is the pool-manager tier's file, restricted.duckdb beside the published
    one unless given: only the managers' detail pages open it.
    """
    limits = limits or ServerLimits()
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
    app.server.config[RESTRICTED_KEY] = str(
        restricted_path or published_path.with_name("restricted.duckdb")
    )
    app.server.config[GEO_KEY] = json.loads(geojson_path.read_text(encoding="utf-8"))
    _register_pages(app)
    server = app.server
    server.debug = False  # never Dash's or Werkzeug's debugger, whatever the environment says
    server.config["PROPAGATE_EXCEPTIONS"] = False
    _install_body_limit(server, limits.max_body)
    auth.install(server, auth_settings or auth.AuthSettings(secret=secrets.token_bytes(32)))
    login.register(server)
    detail.register(server)
    api.register(server)  # the open read-only API, /api/v1 (dashboard/api)
    render_cache.install(server, render_dir, limits.render_cache_bytes)
    export_guard.install(server, render_dir, limits)
    delivery.install(app)  # issue 14: light plotly.js, compression, caching, robots.txt
    _install_log_filter()
    _install_response_hooks(app, published_path)
    _register_filters_to_url(app, published_path)
    download.register(app)
    return app


def _register_pages(app: Dash) -> None:
    """Every page of the registry (dashboard/pages/registry.py) as a Dash page."""
    for spec in PAGES:
        where = {"path_template": spec.template} if spec.template else {"path": spec.path}
        dash.register_page(
            f"dashboard.pages.{spec.name}",
            name=spec.name,
            title=title(spec.title_key),
            layout=wrap(PAGE_MODULES[spec.module].render),
            **where,
        )
    app.layout = html.Div([dash.page_container])


def _install_response_hooks(app: Dash, published_path: Path) -> None:
    """Security headers on every response, a plain 500 for any failure, and the maintenance
    page while the published file cannot be read."""
    server = app.server
    csp: list[str] = []  # computed at the first response, once every callback is registered

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        if not csp:
            csp.append(content_security_policy(app.csp_hashes()))
        response.headers["Content-Security-Policy"] = csp[0]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @server.errorhandler(Exception)
    def _error(exc: Exception) -> Any:
        """Any failure: a plain 500 (no traceback, no detail), logged without row contents."""
        if isinstance(exc, HTTPException):
            return exc
        LOG.error(
            "request failed: %s %s (%s)",
            flask.request.method,
            flask.request.path,
            where_failed(exc),
        )
        return flask.Response(t("error_text", browser_lang()), status=500, mimetype="text/plain")

    @app.server.before_request
    def _maintenance() -> flask.Response | None:
        if flask.request.method == "GET" and is_page(flask.request.path):
            try:
                data.check(published_path)
            except data.DataUnavailable:
                return maintenance_response()
        return None


def _register_filters_to_url(app: Dash, published_path: Path) -> None:
    """The callback that writes the filters' values into the URL (the page re-renders from it)."""

    @app.callback(
        Output("_pages_location", "search", allow_duplicate=True),
        Input({"type": "filter", "key": ALL}, "value"),
        State({"type": "filter", "key": ALL}, "id"),
        State("_pages_location", "search"),
        prevent_initial_call=True,
    )
    def _filters_to_url(values: list[Any], ids: list[dict[str, str]], search: str | None) -> Any:
        """Filter values → query string; the page then re-renders from the URL. Every value is
        checked against the allowed ones (state.sanitize): a forged value is dropped here."""
        query = parse_search(search)
        for ident, value in zip(ids, values, strict=True):
            key = ident.get("key", "") if isinstance(ident, dict) else ""
            if key not in KEYS:
                continue
            if isinstance(value, list):
                value = ",".join(str(v) for v in value if isinstance(v, str | int))
            if value in (None, "") or not isinstance(value, str | int):
                query.pop(key, None)
            else:
                query[key] = str(value)[:200]
        with data.session(published_path):
            lang = query.get("lang") if query.get("lang") in LANGS else browser_lang()
            query = sanitize(query, load_options(published_path), str(lang))
        new = "?" + urlencode([(k, query[k]) for k in KEYS if k in query], safe=",")
        current = "?" + (search or "").lstrip("?")
        return no_update if new == current else new
