"""Web hardening: security headers on every response, never a debugger, errors logged without
row contents, every callback input checked against the allowed values."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import dash
import flask
import pytest

from dashboard import data
from dashboard.app import content_security_policy, create_app
from dashboard.server import _Application, gunicorn_options, no_debug
from dashboard.state import load_options, sanitize

SECRET_ROW = "85073003328;Dupont;Jean"  # what must never reach a log


@pytest.fixture(scope="module")
def app(published: Path) -> dash.Dash:
    return create_app(published)


@pytest.fixture(scope="module")
def client(app: dash.Dash) -> Any:
    return app.server.test_client()


def _assert_headers(response: Any) -> None:
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    for part in (
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "default-src 'self'",
    ):
        assert part in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/pool/technicity?lang=nl",
        "/data",
        "/assets/observatory.css",
        "/_dash-layout",
        "/_dash-dependencies",
        "/login",
        "/pool/technicity/detail",
        "/no/such/page.txt",
    ],
)
def test_every_response_carries_the_security_headers(client: Any, url: str) -> None:
    _assert_headers(client.get(url))


def test_maintenance_and_errors_carry_them_too(tmp_path: Path) -> None:
    client = create_app(tmp_path / "missing.duckdb").server.test_client()
    response = client.get("/")
    assert response.status_code == 503
    _assert_headers(response)


def test_the_csp_allows_dash_inline_scripts_by_hash_only(app: dash.Dash, client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "new DashRenderer()" in page  # the inline script the hashes must cover
    csp = client.get("/").headers["Content-Security-Policy"]
    for digest in app.csp_hashes():
        assert digest in csp
    assert content_security_policy(["'sha256-x'"]).startswith("default-src 'self'")


def test_serve_never_runs_a_debugger(
    published: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DASH_DEBUG", "FLASK_DEBUG", "DASH_DEV_TOOLS_UI"):
        monkeypatch.setenv(name, "true")
    monkeypatch.setenv("OBSERVATORY_SESSION_SECRET", "s" * 40)
    monkeypatch.delenv("OBSERVATORY_USERS_FILE", raising=False)
    # without the warm-up (preload), which serves requests: the test adds a route after load
    options = {**gunicorn_options("127.0.0.1", 0, 2), "preload_app": False}
    application = _Application(published, options)
    server = application.load()
    assert server.debug is False
    import os

    assert "DASH_DEBUG" not in os.environ and "FLASK_DEBUG" not in os.environ

    @server.route("/_test_boom")
    def boom() -> str:
        raise RuntimeError(SECRET_ROW)

    response = server.test_client().get("/_test_boom")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and SECRET_ROW not in text and "Werkzeug" not in text
    env = {"DASH_DEBUG": "1", "KEEP": "1"}
    no_debug(env)
    assert env == {"KEEP": "1"}


def test_errors_are_logged_without_row_contents(
    published: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(published)
    server: flask.Flask = app.server

    @server.route("/_test_fail")
    def fail() -> str:
        raise ValueError(f"could not convert {SECRET_ROW!r}")

    caplog.set_level(logging.INFO)
    response = server.test_client().get("/_test_fail")
    assert response.status_code == 500
    assert "ValueError at test_security.py" in caplog.text
    assert SECRET_ROW not in caplog.text
    # a page that fails while rendering: maintenance text for the reader, no row in the log
    from dashboard.context import wrap

    def broken(*_: Any) -> Any:
        raise data.NotAllowed(SECRET_ROW)

    caplog.clear()
    with server.test_request_context("/data"):
        result = wrap(broken)(lang="en")
    assert "Maintenance" in str(result.to_plotly_json())
    assert "page failed" in caplog.text and "NotAllowed" in caplog.text
    assert SECRET_ROW not in caplog.text


# ------------------------------------------------------------------ forged callback inputs


def _filters_callback(client: Any) -> str:
    deps = client.get("/_dash-dependencies").get_json()
    return next(d["output"] for d in deps if d["output"].startswith("_pages_location.search"))


def _post_filters(client: Any, pairs: list[tuple[Any, Any]], search: str = "?lang=en") -> Any:
    output = _filters_callback(client)
    ids = [{"key": k, "type": "filter"} for k, _ in pairs]
    body = {
        "output": output,
        "outputs": {"id": "_pages_location", "property": output.split(".", 1)[1]},
        "inputs": [
            [
                {"id": i, "property": "value", "value": v}
                for i, (_, v) in zip(ids, pairs, strict=True)
            ]
        ],
        "state": [
            [{"id": i, "property": "id", "value": i} for i in ids],
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": [],
    }
    return client.post("/_dash-update-component", json=body)


def _search(response: Any) -> str | None:
    assert response.status_code == 200
    found: str | None = (
        response.get_json().get("response", {}).get("_pages_location", {}).get("search")
    )
    return found


def test_allowed_filter_values_reach_the_url(client: Any) -> None:
    response = _post_filters(client, [("sector", "digitalcity"), ("occ", "2512")])
    assert _search(response) == "?lang=en&sector=digitalcity&occ=2512"


@pytest.mark.parametrize(
    ("key", "forged"),
    [
        ("lang", "de"),
        ("from", "1900-01"),
        ("to", "2024-13"),
        ("pool", "'; DROP TABLE marts.x; --"),
        ("sector", "evil"),
        ("nace", "Z9"),
        ("occ", "9999"),
        ("commune", "99999"),
        ("sex", "Q"),
        ("tg", "<script>"),
        ("pools", ["evil", "meta.indicator"]),
        ("ind", "meta.indicator.name_fr"),
        ("map", "population"),
        ("sector", {"$ne": 1}),
        ("unknown_key", "x"),
    ],
)
def test_every_forged_filter_value_is_dropped(client: Any, key: str, forged: Any) -> None:
    search = _search(_post_filters(client, [(key, forged)]))
    assert search is None or (key + "=") not in search.replace("?lang=en", "")


def test_forged_members_of_a_list_are_dropped_and_the_rest_kept(client: Any) -> None:
    search = _search(_post_filters(client, [("pools", ["technicity", "evil"])]))
    assert search == "?lang=en&pools=technicity"


def test_sanitize_keeps_only_what_parse_accepts(published: Path) -> None:
    options = load_options(published)
    query = {"lang": "nl", "sector": "digitalcity", "occ": "7212", "from": "1900-01", "x": "1"}
    assert sanitize(query, options, "fr") == {"lang": "nl", "sector": "digitalcity"}


def test_data_layer_refuses_identifiers_outside_the_allowlists(published: Path) -> None:
    with pytest.raises(data.NotAllowed):
        data.context_rows(published, "observation", ["value"])
    with pytest.raises(data.NotAllowed):
        data.context_rows(published, "official_series", ["value; DROP"])
    with pytest.raises(data.NotAllowed):
        data.context_rows(published, "official_series", ["value"], {"file_name OR 1=1": "x"})
    with pytest.raises(data.NotAllowed):
        data.restricted_cells(published, "mart_pool_participation", "technicity")


def _download(client: Any, app: dash.Dash, page: str) -> Any:
    output = next(k for k in app.callback_map if "download-file.data" in k)
    button = {"fmt": "csv", "page": page, "type": "download"}
    body = {
        "output": output,
        "outputs": {"id": "download-file", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": "_pages_location", "property": "search", "value": "?lang=en"},
            {"id": "_pages_location", "property": "pathname", "value": "/pool/technicity"},
        ],
        "changedPropIds": ['{"fmt":"csv","page":"' + page + '","type":"download"}.n_clicks'],
    }
    return client.post("/_dash-update-component", json=body)


def test_a_forged_download_page_never_reaches_the_exporter(client: Any, app: dash.Dash) -> None:
    forged = _download(client, app, "evil")
    assert forged.status_code in (200, 204)
    if forged.status_code == 200:  # Dash 4 answers "no update" with an empty response
        assert "download-file" not in forged.get_json().get("response", {})
    served = _download(client, app, "pool")
    assert served.status_code == 200
    assert served.get_json()["response"]["download-file"]["data"]["filename"].endswith(".csv")


@pytest.mark.parametrize("name", ['x" ; DROP', "Marts", "1x", "a.b", "", "a b"])
def test_identifiers_are_checked_again_before_quoting(name: str) -> None:
    with pytest.raises(data.NotAllowed):
        data.ident(name)
