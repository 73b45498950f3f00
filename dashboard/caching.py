"""How long a browser may keep each response (`Cache-Control`).

- A file whose URL names its version (Dash's fingerprints: `/_dash-component-suites/…/
  name.v4_4_1m1796400351.js`, `/assets/x.js?m=<mtime>`, `/_favicon.ico?v=<version>`) never
  changes under that URL: a year, `immutable` (a reload does not even revalidate it). A new
  release changes the URL. A second visit downloads no script again.
- Another static file (a topojson plotly asks for, an asset named without its version):
  `no-cache`, i.e. kept but revalidated (ETag / Last-Modified, a 304 without a body).
- Pages: `no-cache` (a page's HTML carries the app's configuration; always asked again, it is
  5 KB). Dash's JSON (layout, dependencies, callbacks): `no-store` — a callback's answer may
  hold a pool manager's restricted figures, and is never asked twice the same way anyway.
- robots.txt: a day.

A response that already says how it may be kept (the maintenance page, a login) keeps its own
rule, except the versioned files, whose rule is always the one above.
"""

from __future__ import annotations

import flask
from dash.fingerprint import check_fingerprint

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"
REVALIDATE = "no-cache"
NO_STORE = "no-store"
ROBOTS = "public, max-age=86400"


def is_versioned(path: str, request: flask.Request) -> bool:
    """True when the URL names the file's version (see the module's docstring)."""
    if path.startswith("/_dash-component-suites/"):
        return check_fingerprint(path)[1]
    if path.startswith("/assets/"):
        return bool(request.args.get("m"))
    if path == "/_favicon.ico":
        return bool(request.args.get("v"))
    return False


def policy(request: flask.Request) -> tuple[str, bool]:
    """(Cache-Control, whether it replaces one the response already has)."""
    path = request.path
    if is_versioned(path, request):
        return IMMUTABLE, True
    if path.startswith(("/assets/", "/_dash-component-suites/", "/_favicon.ico")):
        return REVALIDATE, False
    if path == "/robots.txt":
        return ROBOTS, False
    if path.startswith("/_dash-") or request.method != "GET":
        return NO_STORE, False
    return REVALIDATE, False


def install(server: flask.Flask) -> None:
    """Set every response's Cache-Control from `policy`."""

    @server.after_request
    def _cache_control(response: flask.Response) -> flask.Response:
        value, replace = policy(flask.request)
        if response.status_code >= 400:
            value, replace = NO_STORE, True  # an error is never kept
        if replace or "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = value
        return response
