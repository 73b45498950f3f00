"""Per-request context for the pages: where the published file is, and the page wrapper that
turns URL parameters into a validated state (or a maintenance message).

Why a wrapper: every page gets the same guarantees — no traceback ever reaches a reader, the
language comes from the URL or else from the browser, and forged values are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask

from dashboard import data
from dashboard.components.shell import maintenance
from dashboard.i18n import LANGS, negotiate, t
from dashboard.state import Options, ViewState, load_options, parse

LOG = logging.getLogger(__name__)
CONFIG_KEY = "OBSERVATORY_PUBLISHED"
RESTRICTED_KEY = "OBSERVATORY_RESTRICTED"  # the pool-manager tier's file (restricted.duckdb)
GEO_KEY = "OBSERVATORY_GEOJSON"

Render = Callable[[ViewState, Options, Path, dict[str, str]], Any]


def published_path() -> Path:
    return Path(flask.current_app.config[CONFIG_KEY])


def restricted_path() -> Path:
    """The pool-manager tier's file: opened by the managers' pages only, never by a public
    page, an export or the API (they read `published_path`, which holds no restricted row)."""
    return Path(flask.current_app.config[RESTRICTED_KEY])


def geojson() -> dict[str, Any]:
    value: dict[str, Any] = flask.current_app.config[GEO_KEY]
    return value


def browser_lang() -> str:
    try:
        return negotiate(flask.request.headers.get("Accept-Language"))
    except RuntimeError:  # outside a request (layout validation)
        return "fr"


def wrap(render: Render) -> Callable[..., Any]:
    """A Dash Pages layout function around `render(state, options, path, path_vars)`."""

    def layout(**params: Any) -> Any:
        query = {k: str(v) for k, v in params.items() if isinstance(v, str)}
        lang = query.get("lang") if query.get("lang") in LANGS else browser_lang()
        try:
            path = published_path()
            with data.session(path):
                options = load_options(path)
                state = parse(query, options, str(lang))
                return render(state, options, path, query)
        except data.DataUnavailable as exc:
            LOG.warning("published data unavailable: %s", exc)
            do_not_store()
            return maintenance(str(lang))
        except Exception:
            LOG.exception("page failed")
            do_not_store()
            return maintenance(str(lang))

    return layout


# Set on flask.g by a render that must not be kept; read by dashboard.render_cache.store.
NO_STORE_FLAG = "observatory_render_no_store"


def do_not_store() -> None:
    """Mark the current render as not to be kept (maintenance message, failed page).

    Why here and not in render_cache: the page wrapper sets it, the cache reads it, and the
    cache already depends on this module (no import loop)."""
    if flask.has_request_context():
        setattr(flask.g, NO_STORE_FLAG, True)


def title(key: str) -> Callable[..., str]:
    """Page title for the browser tab (language of the browser; the H1 follows the URL)."""

    def _title(**_: Any) -> str:
        return t(key, browser_lang())

    return _title
