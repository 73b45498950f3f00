"""The open, read-only HTTP API beside the dashboard (issue 18), for those who do not use DuckDB.

    GET /api/v1/openapi.json                 the OpenAPI 3.1 document (stable URL)
    GET /api/v1/indicators[?format=json|csv] the indicator catalogue (meta.indicator)
    GET /api/v1/data/<mart>?pool=&from=&to=&format=json|csv|sdmx-csv&page=&page_size=

Public tier only: the published marts the exports offer and the catalogue, never the
restricted schema, whoever asks (no session is read). Every parameter is checked against the
published file before any query (`params`); the queries are `dashboard.data`'s, with bound
values and allowlisted identifiers. Each answer carries an ETag keyed to the published build
and the request (a new publish changes it; If-None-Match answers 304), Cache-Control, and is
counted against the client's budget (`limits`: 429 with Retry-After).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import urlencode

import flask

from dashboard import data
from dashboard.api import bodies, openapi, params
from dashboard.api.limits import Budget
from dashboard.context import published_path

LOG = logging.getLogger(__name__)
PREFIX: Final = "/api/v1"
CACHE_CONTROL: Final = "public, max-age=300"
_BUDGET_KEY: Final = "observatory_api_budget"


def register(server: flask.Flask, budget: Budget | None = None) -> None:
    """Add the API's routes to the dashboard's Flask server."""
    server.extensions[_BUDGET_KEY] = budget or Budget()
    blueprint = flask.Blueprint("api_v1", __name__, url_prefix=PREFIX)
    blueprint.add_url_rule("/openapi.json", "openapi", _guarded(_openapi))
    blueprint.add_url_rule("/indicators", "indicators", _guarded(_indicators))
    blueprint.add_url_rule("/data/<mart>", "data", _guarded(_data))
    server.register_blueprint(blueprint)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> flask.Response:
    response = flask.Response(
        json.dumps({"error": message}), status=status, mimetype="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _guarded(handler: Callable[..., flask.Response]) -> Callable[..., flask.Response]:
    """Rate limit, maintenance (503) and refusals (ApiError) around one route."""

    def route(**kwargs: Any) -> flask.Response:
        budget: Budget = flask.current_app.extensions[_BUDGET_KEY]
        wait = budget.allow(flask.request.remote_addr or "-")
        if wait:
            return _error(429, "too many requests", {"Retry-After": str(wait)})
        path = published_path()
        try:
            with data.session(path):
                data.check(path)
                return handler(**kwargs)
        except params.ApiError as exc:
            return _error(exc.status, str(exc))
        except data.DataUnavailable:
            return _error(503, "the published data is being replaced", {"Retry-After": "60"})

    route.__name__ = handler.__name__
    return route


def _etag() -> str:
    """Keyed to the published build (file identity and publication time) and the request."""
    path = published_path()
    stamp = data.publication(path).get("published_at")
    args = sorted(flask.request.args.items(multi=False))
    key = json.dumps([list(data.identity(path)), str(stamp), flask.request.path, args])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _send(body: str, mimetype: str, etag: str, headers: dict[str, str] | None = None) -> Any:
    response = flask.Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _not_modified(etag: str) -> flask.Response | None:
    if flask.request.if_none_match.contains(etag):
        response = flask.Response(status=304)
        response.set_etag(etag)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return response
    return None


def _openapi() -> flask.Response:
    params.check_names(flask.request.args, frozenset())
    etag = _etag()
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    document = openapi.document(published_path())
    return _send(json.dumps(document, ensure_ascii=False, indent=1), "application/json", etag)


def _indicators() -> flask.Response:
    params.check_names(flask.request.args, params.INDICATOR_PARAMS)
    fmt = params.check_format(flask.request.args, ("json", "csv"))
    etag = _etag()
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    frame = bodies.catalogue_frame(published_path())
    if fmt == "csv":
        kinds = {str(c): "string" for c in frame.columns}
        return _send(bodies.csv_text(frame, kinds), openapi.CSV_TYPE, etag)
    body = json.dumps({"data": bodies.records(frame)}, ensure_ascii=False)
    return _send(body, "application/json", etag)


def _data(mart: str) -> flask.Response:
    path = published_path()
    request = params.data_request(path, mart, flask.request.args)
    etag = _etag()
    cached = _not_modified(etag)
    if cached is not None:
        return cached
    offset = (request.page - 1) * request.page_size
    frame, total = data.table_page(
        path, mart, params.where(path, request), request.months, request.page_size, offset
    )
    links = _links(request, total)
    headers = {"X-Total-Count": str(total)}
    if links:
        headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    if request.fmt == "csv":
        body = bodies.csv_text(frame, bodies.kinds(path, mart))
        return _send(body, openapi.CSV_TYPE, etag, headers)
    if request.fmt == "sdmx-csv":
        return _send(bodies.sdmx_text(path, mart, frame), openapi.SDMX_TYPE, etag, headers)
    page = {
        "mart": mart,
        "published_at": bodies.json_value(data.publication(path).get("published_at")),
        "page": request.page,
        "page_size": request.page_size,
        "total": total,
        "next": links.get("next"),
        "data": bodies.records(frame, bodies.kinds(path, mart)),
    }
    return _send(json.dumps(page, ensure_ascii=False), "application/json", etag, headers)


def _links(request: params.DataRequest, total: int) -> dict[str, str]:
    """next / prev page URLs (same parameters, another page)."""
    args = {k: v for k, v in flask.request.args.items() if k in params.DATA_PARAMS}
    out: dict[str, str] = {}
    if request.page * request.page_size < total:
        out["next"] = f"{PREFIX}/data/{request.mart}?" + urlencode(
            {**args, "page": request.page + 1}
        )
    if request.page > 1:
        out["prev"] = f"{PREFIX}/data/{request.mart}?" + urlencode(
            {**args, "page": request.page - 1}
        )
    return out
