"""How pages and files reach the browser (issue 14): compressed, cached by their fingerprint,
plotly's own bundle instead of Dash's, a meta description per page and language, robots.txt.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import brotli
import pytest

from dashboard import caching, data, plotly_bundle
from dashboard.app import create_app
from tests.dashboard.test_caching import _payload

BR = {"Accept-Encoding": "br, gzip"}


@pytest.fixture(scope="module")
def client(published: Path) -> Any:
    yield create_app(published).server.test_client()
    data.close_all()


def _scripts(page_html: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', page_html)


def test_a_render_is_compressed_and_the_kept_copy_is_not(client: Any) -> None:
    """The render callback's JSON is compressed for the browser; the copy kept for the next
    reader (dashboard.render_cache) is the plain JSON, served compressed again."""
    bodies = []
    for headers in (BR, BR, {"Accept-Encoding": "gzip"}, {}):
        r = client.post("/_dash-update-component", json=_payload("/", "?lang=fr"), headers=headers)
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "no-store"
        raw = r.get_data()
        encoding = r.headers.get("Content-Encoding")
        if encoding == "br":
            raw = brotli.decompress(raw)
        elif encoding == "gzip":
            raw = gzip.decompress(raw)
        asked = headers.get("Accept-Encoding", "")
        assert encoding == {"br, gzip": "br", "gzip": "gzip"}.get(asked)
        bodies.append(json.loads(raw))
    assert all(b == bodies[0] for b in bodies)


def test_every_script_of_a_page_is_compressed_and_kept_a_year(client: Any) -> None:
    page = client.get("/?lang=fr", headers=BR)
    assert page.headers["Content-Encoding"] == "br"
    assert page.headers["Cache-Control"] == "no-cache"
    page_html = brotli.decompress(page.get_data()).decode()
    scripts = _scripts(page_html)
    assert len(scripts) >= 8
    for src in scripts:
        r = client.get(src, headers=BR)
        assert r.status_code == 200, src
        assert r.headers["Cache-Control"] == caching.IMMUTABLE, src
        if int(r.headers["Content-Length"]) > 1000:
            assert r.headers["Content-Encoding"] == "br", src
        r.close()


def test_dash_plotly_is_replaced_by_the_bundle(client: Any) -> None:
    page_html = client.get("/labour-market?lang=nl").get_data(as_text=True)
    scripts = _scripts(page_html)
    assert not any("plotly.min.js" in s or "plotly-observatory" in s for s in scripts)
    loader = re.search(
        r'<script src="([^"]*plotly-loader\.js[^"]*)" data-plotly="([^"]+)"', page_html
    )
    assert loader is not None
    bundle = loader.group(2)
    assert bundle.startswith("/assets/vendor/plotly-observatory.min.js?m=")
    assert f'<link rel="preload" href="{bundle}" as="script">' in page_html
    r = client.get(bundle)
    assert r.status_code == 200
    assert len(r.get_data()) == plotly_bundle.manifest()["bytes"]


def test_a_file_without_its_version_is_revalidated_and_an_error_never_kept(client: Any) -> None:
    r = client.get("/assets/observatory.css")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-cache"
    r.close()
    assert client.get("/assets/nothing-here.js?m=1").headers["Cache-Control"] == "no-store"
    assert client.get("/_dash-layout").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/", "fr", "pôles formation-emploi"),
        ("/", "nl", "opleidings-werkgelegenheidspolen"),
        ("/labour-market", "en", "labour market by occupation"),
        ("/pool/technicity", "nl", "Brusselse opleidings-werkgelegenheidspool"),
        ("/data", "fr", "définitions des indicateurs"),
    ],
)
def test_each_page_describes_itself_in_its_language(
    client: Any, path: str, lang: str, words: str
) -> None:
    page_html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
    found = re.search(r'<meta name="description" content="([^"]+)">', page_html)
    assert found is not None
    assert words in found.group(1).replace("&#x27;", "'")
    assert f'<html lang="{lang}">' in page_html
    assert "<title>Observatory</title>" not in page_html


def test_robots_txt_is_plain_text_and_keeps_crawlers_off_the_endpoints(client: Any) -> None:
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert r.mimetype == "text/plain"
    text = r.get_data(as_text=True)
    assert "User-agent: *" in text
    assert "Disallow: /_dash-" in text
    assert "<html" not in text
