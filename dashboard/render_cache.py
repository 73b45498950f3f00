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
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import Any

import flask

from dashboard import auth, data
from dashboard.context import browser_lang, published_path

LOG = logging.getLogger(__name__)

# The output id Dash Pages gives its render callback (dash.dash, `_setup_routes` of pages).
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
CALLBACK_PATH = "/_dash-update-component"
_G_MEMO = "observatory_render_memo"
_G_KEY = "observatory_render_key"
_G_NO_STORE = "observatory_render_no_store"


def do_not_store() -> None:
    """Mark the current render as not to be kept (maintenance message, failed page)."""
    if flask.has_request_context():
        setattr(flask.g, _G_NO_STORE, True)


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


def _key(pathname: str, search: str) -> Hashable:
    user = auth.current_user()
    tier = user.pool if user is not None else None
    return ("render", pathname, search, browser_lang(), tier)


def lookup() -> flask.Response | None:
    """before_request: the stored body of this render, or None (then remember where to store)."""
    if flask.request.method != "POST" or flask.request.path != CALLBACK_PATH:
        return None
    found = _inputs(flask.request.get_json(silent=True))
    if found is None:
        return None
    try:
        memo = data.memo(published_path())
    except data.DataUnavailable:
        return None  # the render itself answers with the maintenance message
    key = _key(*found)
    body = memo.get(key)
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
        and not flask.g.pop(_G_NO_STORE, False)
        and not response.direct_passthrough
    ):
        memo.put(key, response.get_data())
    return response


def install(server: flask.Flask) -> None:
    """Register the lookup (after Dash's own hooks, which set the app up) and the store."""
    server.before_request(lookup)
    server.after_request(store)
