"""What the dashboard keeps between requests, and that a publish or a broken file defeats it.

The process keeps one connection per published file, the filter options and the rendered pages
of that file (dashboard.data.memo, dashboard.render_cache). A publish is an os.replace over the
live file: the next request must show the new file; a damaged or missing file must give the
maintenance answer, and nothing kept from an earlier file may be served in its place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dashboard import auth, data
from dashboard.app import create_app, warm_up
from dashboard.data import connection
from dashboard.render_cache import PAGES_OUTPUT
from dashboard.state import load_options
from tests.dashboard.published_fixture import make_published
from tests.dashboard.test_auth import write_users


def _payload(pathname: str, search: str) -> dict[str, Any]:
    """The body Chromium sends when the URL changes (Dash Pages' render callback)."""
    return {
        "output": PAGES_OUTPUT,
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
    }


def _render(client: Any, pathname: str = "/", search: str = "?lang=en", **headers: str) -> str:
    response = client.post(
        "/_dash-update-component", json=_payload(pathname, search), headers=headers
    )
    assert response.status_code == 200
    text: str = response.get_data(as_text=True)
    json.loads(text)
    return text


def _swap(path: Path, scale: int) -> None:
    """Publish like the publisher: build aside, then os.replace over the live file."""
    os.replace(make_published(path.parent / f"next{scale}" / path.name, scale=scale), path)


@pytest.fixture(autouse=True)
def _fresh_process_state() -> Any:
    yield
    data.close_all()


def test_the_connection_is_kept_until_the_file_is_replaced(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    with data.connect(path) as first, data.connect(path) as again:
        assert first is again
    _swap(path, 3)
    with data.connect(path) as second:
        assert second is not first
    # the old connection was closed before the new one opened (DuckDB would serve the old file)
    with pytest.raises(duckdb.ConnectionException):
        first.execute("SELECT 1")


def test_options_are_kept_per_published_file(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    options = load_options(path)
    assert load_options(path) is options
    _swap(path, 3)
    assert load_options(path) is not options


def test_a_repeat_view_is_served_from_the_memo_and_a_publish_is_seen(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    client = create_app(path).server.test_client()
    before = _render(client)
    assert _render(client) == before
    assert any(isinstance(k, tuple) and k[0] == "render" for k in data.memo(path)._items)
    _swap(path, 3)
    after = _render(client)
    assert after != before
    fresh = create_app(path).server.test_client()
    assert _render(fresh) == after  # what a restarted server would draw


def test_the_language_of_the_browser_is_part_of_the_key(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    client = create_app(path).server.test_client()
    english = _render(client, "/", "", **{"Accept-Language": "en"})
    dutch = _render(client, "/", "", **{"Accept-Language": "nl"})
    assert "Maintenance" not in english and english != dutch


def test_a_damaged_or_missing_file_gives_the_maintenance_answer(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    client = create_app(path).server.test_client()
    assert client.get("/?lang=en").status_code == 200
    good = _render(client)
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"this is not a duckdb file" * 400)
    os.replace(damaged, path)
    assert client.get("/?lang=en").status_code == 503
    broken = _render(client)
    assert "Maintenance in progress" in broken and "Traceback" not in broken
    path.unlink()
    assert client.get("/?lang=en").status_code == 503
    assert "Maintenance in progress" in _render(client)
    # the maintenance answer was not kept: the next publish is drawn again
    _swap(path, 1)
    assert client.get("/?lang=en").status_code == 200
    again = _render(client)
    assert "Maintenance in progress" not in again
    assert again == good


def test_a_managers_page_is_not_served_to_other_readers(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    users = write_users(tmp_path / "users.toml", alice=("technicity", None))
    settings = auth.AuthSettings(
        secret=b"k" * 32,
        users_file=users,
        trusted_header="X-Remote-User",
        trusted_proxies=auth.parse_proxies("127.0.0.1"),  # the test client's address
    )
    client = create_app(path, auth_settings=settings).server.test_client()
    yours = "your pool: detail by programme and month"
    others = "for the pool's managers only"
    anonymous = _render(client, "/pool/technicity", "?lang=en")
    assert others in anonymous and yours not in anonymous
    manager = _render(client, "/pool/technicity", "?lang=en", **{"X-Remote-User": "alice"})
    assert yours in manager and others not in manager
    assert _render(client, "/pool/technicity", "?lang=en") == anonymous


def test_workers_share_rendered_pages_through_the_private_directory(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    shared = tmp_path / "renders"
    shared.mkdir(mode=0o700)
    first = create_app(path, render_dir=shared).server.test_client()
    second = create_app(path, render_dir=shared).server.test_client()
    drawn = _render(first)
    (kept,) = [f for f in shared.rglob("*") if f.is_file()]
    assert kept.read_text(encoding="utf-8") == drawn
    kept.write_text('{"sentinel": "from the shared directory"}', encoding="utf-8")
    data.close_all()  # the other worker is another process: nothing of the first in memory
    assert _render(second) == '{"sentinel": "from the shared directory"}'
    # a publish: the other worker draws the new file, the old identity's directory is removed
    _swap(path, 3)
    after = _render(second)
    assert "from the shared directory" not in after and after != drawn
    assert not kept.parent.exists()


def test_the_warm_up_before_the_fork_leaves_no_connection_open(tmp_path: Path) -> None:
    path = make_published(tmp_path / "published.duckdb", scale=1)
    shared = tmp_path / "renders"
    shared.mkdir(mode=0o700)
    app = create_app(path, render_dir=shared)
    warm_up(app, path)
    assert not connection._OPEN and not connection._MEMOS  # nothing of the file crosses the fork
    # the landing views are kept for the workers: 4 pages + 3 pools, in 3 languages, for a
    # browser asking for that language and for one sending none (= fr: 5 keys per path)
    kept = [f for f in shared.rglob("*") if f.is_file()]
    assert len(kept) == (4 + 3) * 5
    drawn = _render(create_app(path).server.test_client(), "/compare", "?lang=nl")
    assert drawn in {f.read_text(encoding="utf-8") for f in kept}
    path.unlink()
    warm_up(app, path)  # a missing file skips the warm-up, never stops the server
    assert app.server.test_client().get("/").status_code == 503
