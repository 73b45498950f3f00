"""The Flask/Dash frame without a browser: maintenance 503, language in <html>, no restart
needed after a publish, the gunicorn settings, every page renders for every language."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dash
import plotly
import pytest

from dashboard.app import create_app
from dashboard.server import gunicorn_options
from tests.dashboard.published_fixture import make_published


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_published(tmp_path_factory.mktemp("live") / "published.duckdb")


def _render(app: dash.Dash, page: str, **params: str) -> str:
    with app.server.test_request_context("/"):
        layout = dash.page_registry[f"dashboard.pages.{page}"]["layout"](**params)
        return json.dumps(layout.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def test_pages_render_in_every_language(live: Path) -> None:
    app = create_app(live)
    for lang in ("fr", "nl", "en"):
        for page, extra in (
            ("region", {}),
            ("pool", {"pool_id": "technicity"}),
            ("pool", {"pool_id": "horeca"}),
            ("labour_market", {}),
            ("compare", {}),
            ("data", {}),
        ):
            text = _render(app, page, lang=lang, **extra)
            assert "maintenance" not in text.lower(), (page, lang)
    nl = _render(app, "region", lang="nl")
    assert "Het Gewest in" in nl


def test_html_lang_follows_url_then_browser(live: Path) -> None:
    client = create_app(live).server.test_client()
    assert b'<html lang="nl">' in client.get("/?lang=nl").data
    page = client.get("/compare", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert page.status_code == 200 and b'<html lang="en">' in page.data


def test_missing_or_damaged_file_gives_503_in_three_languages(tmp_path: Path) -> None:
    path = tmp_path / "published.duckdb"
    client = create_app(path).server.test_client()
    for url in ("/", "/pool/technicity", "/data"):
        response = client.get(url)
        assert response.status_code == 503
        text = response.get_data(as_text=True)
        assert "Maintenance en cours" in text and "Onderhoud bezig" in text
        assert "Maintenance in progress" in text and "Traceback" not in text
    path.write_bytes(b"garbage" * 1000)
    assert client.get("/").status_code == 503
    # assets are still served (the maintenance page must not break them)
    assert client.get("/assets/observatory.css").status_code == 200


def test_publish_is_seen_without_restart(tmp_path: Path) -> None:
    path = tmp_path / "published.duckdb"
    app = create_app(path)
    client = app.server.test_client()
    assert client.get("/").status_code == 503
    make_published(path, scale=1)
    assert client.get("/").status_code == 200
    before = _render(app, "region", lang="en")
    os.replace(make_published(tmp_path / "b" / "published.duckdb", scale=3), path)
    after = _render(app, "region", lang="en")
    assert before != after
    path.unlink()
    assert "Maintenance in progress" in _render(app, "region", lang="en")


def test_gunicorn_runs_several_workers_without_debug() -> None:
    options = gunicorn_options("127.0.0.1", 8123, 4)
    assert options["bind"] == "127.0.0.1:8123" and options["workers"] == 4
    assert options["reload"] is False
    # the app is built before the fork (shared code); connections are opened in the workers
    assert options["preload_app"] is True
    assert options["worker_class"] == "dashboard.server.HardenedSyncWorker"  # sync, hardened
