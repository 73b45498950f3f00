"""Rendered pages kept per published file: a repeat view is answered without drawing it again.

Why it is safe: a page render (Dash Pages' `_pages_content` callback) is a pure function of the
URL (path + query string), the reader's language when the URL has none, the reader's access tier
and the published file. So the response body is stored in the file's memo (`data.memo`) under
(path, query, language, tier): a publish changes the file's identity and starts an empty memo,
so nothing drawn from an earlier file is served after it.

What is never shared: the tier is the pool of the logged-in manager (None for everyone else),
the only per-user input of a page (the pool page says whether the detail is "yours"). Nothing
else about the user (name, session, CSRF token) reaches a page body. A render that failed (the
maintenance message, an error) is not stored: it is drawn again at the next request.

Kept in the worker's memory and, when the server gives a private directory, in files there so
the other workers answer a view one of them has drawn (only published, protected figures). The
files are bounded in bytes (a labour-market render is 1-3.3 MB, a region render ~50 KB): past
the budget (OBSERVATORY_RENDER_CACHE_MB, dashboard.limits) the oldest are removed.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import flask

from dashboard import auth, data, disk_cache
from dashboard.context import NO_STORE_FLAG, browser_lang, published_path
from dashboard.pages.registry import FIXED_PATHS
from dashboard.state import load_options, parse, parse_search, to_query

LOG = logging.getLogger(__name__)

# The output id Dash Pages gives its render callback (dash.dash, `_setup_routes` of pages).
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
CALLBACK_PATH = "/_dash-update-component"
_G_MEMO = "observatory_render_memo"
_G_KEY = "observatory_render_key"
DIR_KEY = "OBSERVATORY_RENDER_DIR"
BUDGET_KEY = "OBSERVATORY_RENDER_BUDGET"
PAGE_PATHS = FIXED_PATHS
DEFAULT_BUDGET = 256 * 1024 * 1024  # bytes of rendered pages kept on disk per server


def _inputs(body: Any) -> tuple[str, str] | None:
    """(pathname, search) of a page-render request, None for any other callback."""
    if not isinstance(body, dict) or body.get("output") != PAGES_OUTPUT or body.get("state"):
        return None
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or len(inputs) != 2:
        return None
    values: dict[str, Any] = {}
    for item in inputs:
        if not isinstance(item, dict) or item.get("id") != "_pages_location":
            return None
        values[str(item.get("property"))] = item.get("value")
    pathname, search = values.get("pathname"), values.get("search")
    if not isinstance(pathname, str) or not isinstance(search, str | None):
        return None
    return pathname, search or ""


def _key(pathname: str, search: str) -> Hashable | None:
    """(page, canonical query of the validated view, tier), None for what is not kept.

    The query is the one the page itself draws (state.parse then to_query): forged or unknown
    values are dropped, so they cannot multiply the entries; unknown paths are not kept."""
    options = load_options(published_path())
    pool_page = pathname.startswith("/pool/") and pathname[6:] in options.pool_ids
    if pathname not in PAGE_PATHS and not pool_page:
        return None
    state = parse(parse_search(search), options, browser_lang())
    user = auth.current_user()
    tier = user.pool if user is not None else None
    # the browser's language names the tab (Dash Pages' title) even when the URL has one
    return ("render", pathname, to_query(state), browser_lang(), tier)


def _file(key: Hashable, memo: data.Memo) -> Path | None:
    """Where the workers share a rendered page: <dir>/<file identity>/<key>, or None."""
    directory = flask.current_app.config.get(DIR_KEY)
    if not directory:
        return None
    ident = hashlib.sha256(repr(memo.identity).encode()).hexdigest()[:32]
    name = hashlib.sha256(repr(key).encode()).hexdigest()
    return Path(directory) / "pages" / ident / name


def _write(file: Path | None, body: bytes) -> None:
    """Atomically, within the byte budget (dashboard.disk_cache); a new file identity removes
    the older identities' directories. Best effort: a failure only costs a render elsewhere."""
    if file is None:
        return
    if not file.parent.is_dir() and file.parent.parent.is_dir():
        for old in file.parent.parent.iterdir():
            if old.is_dir() and old != file.parent:
                shutil.rmtree(old, ignore_errors=True)
    budget = int(flask.current_app.config.get(BUDGET_KEY, DEFAULT_BUDGET))
    disk_cache.write(file, body, budget)


def lookup() -> flask.Response | None:
    """before_request: the stored body of this render, or None (then remember where to store)."""
    if flask.request.method != "POST" or flask.request.path != CALLBACK_PATH:
        return None
    found = _inputs(flask.request.get_json(silent=True))
    if found is None:
        return None
    try:
        path = published_path()
        with data.session(path):
            memo = data.memo(path)
            key = _key(*found)
    except data.DataUnavailable:
        return None  # the render itself answers with the maintenance message
    if key is None:
        return None
    body = memo.get(key)
    if not isinstance(body, bytes):
        body = disk_cache.read(_file(key, memo))
        if body is not None:
            memo.put(key, body)
    if isinstance(body, bytes):
        return flask.Response(body, status=200, mimetype="application/json")
    setattr(flask.g, _G_MEMO, memo)
    setattr(flask.g, _G_KEY, key)
    return None


def store(response: flask.Response) -> flask.Response:
    """after_request: keep a successful render's body in the memo it was looked up in."""
    memo = flask.g.pop(_G_MEMO, None)
    key = flask.g.pop(_G_KEY, None)
    if (
        isinstance(memo, data.Memo)
        and key is not None
        and response.status_code == 200
        and not flask.g.pop(NO_STORE_FLAG, False)
        and not response.direct_passthrough
    ):
        body = response.get_data()
        memo.put(key, body)
        _write(_file(key, memo), body)
    return response


def install(
    server: flask.Flask, directory: Path | None = None, budget: int = DEFAULT_BUDGET
) -> None:
    """Register the lookup (after Dash's own hooks, which set the app up) and the store.

    `directory` (private to the server, mode 0700) lets the workers share what one of them drew:
    without it every worker draws each view once for itself. `budget` bounds its files in bytes."""
    server.config[DIR_KEY] = str(directory) if directory is not None else ""
    server.config[BUDGET_KEY] = budget
    server.before_request(lookup)
    server.after_request(store)
