"""Downloads cannot make the server work without bound (issue 15, item 7): an export is kept per
published file and selection, a few run at a time (503 with Retry-After past the slots and the
queue), and readers who are not logged in export a bounded number of months."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import dash
import pytest

import dashboard.exports
from dashboard import auth
from dashboard.app import create_app
from dashboard.limits import ServerLimits
from tests.dashboard.test_auth import log_in, write_users

SEARCH = "?lang=en&from=2024-01&to=2024-03"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the real exporter's runs (each still makes the real file)."""
    made: list[str] = []
    real = dashboard.exports.export_selection

    def counted(path: Path, state: object, page: str, fmt: str) -> tuple[bytes, str]:
        made.append(fmt)
        return real(path, state, page, fmt)

    monkeypatch.setattr(dashboard.exports, "export_selection", counted)
    return made


def _app(published: Path, tmp_path: Path, **limits: Any) -> dash.Dash:
    copy = tmp_path / "published.duckdb"
    if not copy.exists():
        shutil.copy(published, copy)
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o700, exist_ok=True)
    users = write_users(tmp_path / "users.toml", alice=("technicity", "correct horse"))
    settings = auth.AuthSettings(secret=b"k" * 32, users_file=users)
    return create_app(
        copy, auth_settings=settings, render_dir=shared, limits=ServerLimits(**limits)
    )


def download(client: Any, app: dash.Dash, search: str = SEARCH, fmt: str = "csv") -> Any:
    output = next(k for k in app.callback_map if "download-file.data" in k)
    button = {"fmt": fmt, "page": "region", "type": "download"}
    changed = '{"fmt":"' + fmt + '","page":"region","type":"download"}.n_clicks'
    return client.post(
        "/_dash-update-component",
        json={
            "output": output,
            "outputs": {"id": "download-file", "property": "data"},
            "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
            "state": [
                {"id": "_pages_location", "property": "search", "value": search},
                {"id": "_pages_location", "property": "pathname", "value": "/"},
            ],
            "changedPropIds": [changed],
        },
    )


def _file_of(response: Any) -> str:
    name: str = response.get_json()["response"]["download-file"]["data"]["filename"]
    return name


def test_an_export_is_made_once_per_published_file_and_selection(
    published: Path, tmp_path: Path, calls: list[str]
) -> None:
    app = _app(published, tmp_path)
    client = app.server.test_client()
    first, second = download(client, app), download(client, app)
    assert first.status_code == second.status_code == 200
    assert first.get_json() == second.get_json() and _file_of(first).endswith(".csv")
    assert calls == ["csv"]  # the second came from disk
    other = _app(published, tmp_path)  # another worker sharing the directory
    assert download(other.server.test_client(), other).status_code == 200
    assert calls == ["csv"]
    assert download(client, app, search="?lang=en&from=2024-02&to=2024-03").status_code == 200
    assert calls == ["csv", "csv"]  # another selection is another export
    # a publish (a new file put in place) makes the kept exports stale: made again
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(published, fresh)
    os.replace(fresh, tmp_path / "published.duckdb")
    assert download(client, app).status_code == 200
    assert calls == ["csv", "csv", "csv"]
    kept = list((tmp_path / "shared" / "exports").iterdir())
    assert len(kept) == 1  # the earlier file's exports were removed


def _hold_slot(shared: Path, index: int = 0) -> Any:
    """Take export slot `index` as another worker would (an exclusive lock on its file)."""
    folder = shared / "export-locks"
    folder.mkdir(mode=0o700, exist_ok=True)
    handle = open(folder / f"slot-{index}.lock", "ab")  # noqa: SIM115
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


def test_past_the_slots_and_the_queue_a_download_gets_503_and_pages_still_answer(
    published: Path, tmp_path: Path, calls: list[str]
) -> None:
    """Attack: four exports at once made `GET /` take 58 s."""
    app = _app(published, tmp_path, export_slots=1, export_queue=0)
    client = app.server.test_client()
    held = _hold_slot(tmp_path / "shared")
    try:
        busy = download(client, app)
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
        assert client.get("/").status_code == 200  # pages answer meanwhile
    finally:
        held.close()
    assert calls == []
    assert download(client, app).status_code == 200  # the slot is free again


def test_a_queued_download_waits_for_a_slot_then_runs(
    published: Path, tmp_path: Path, calls: list[str]
) -> None:
    app = _app(published, tmp_path, export_slots=1, export_queue=1, export_wait=5.0)
    client = app.server.test_client()
    held = _hold_slot(tmp_path / "shared")
    threading.Timer(0.3, held.close).start()  # the running export ends
    started = time.monotonic()
    assert download(client, app).status_code == 200
    assert time.monotonic() - started >= 0.25 and calls == ["csv"]


def test_a_queued_download_gives_up_after_the_wait(
    published: Path, tmp_path: Path, calls: list[str]
) -> None:
    app = _app(published, tmp_path, export_slots=1, export_queue=1, export_wait=0.0)
    client = app.server.test_client()
    held = _hold_slot(tmp_path / "shared")
    try:
        assert download(client, app).status_code == 503
    finally:
        held.close()
    assert calls == []


def test_public_readers_export_a_bounded_number_of_months(
    published: Path, tmp_path: Path, calls: list[str]
) -> None:
    """Attack: a forged download for the whole region took 12 s and 932 MB."""
    app = _app(published, tmp_path, public_export_months=2)
    client = app.server.test_client()
    refused = download(client, app)  # three months
    assert refused.status_code == 403 and calls == []
    assert download(client, app, search="?lang=en&from=2024-02&to=2024-03").status_code == 200
    log_in(client, "alice", "correct horse")  # a pool manager is not capped
    assert download(client, app).status_code == 200
    assert calls == ["csv", "csv"]


def test_limits_from_the_environment_leave_a_worker_for_pages() -> None:
    for workers in (2, 3, 4, 8):
        limits = ServerLimits.from_env({}, workers=workers)
        assert limits.export_slots >= 1
        assert limits.export_slots + limits.export_queue < workers
        assert len(limits.notes(workers)) == 1  # no warning with the defaults
    one = ServerLimits.from_env({}, workers=1)
    assert any("pages wait" in n for n in one.notes(1))
    env = {"OBSERVATORY_MAX_REQUEST_KB": "64", "OBSERVATORY_EXPORT_SLOTS": "3"}
    custom = ServerLimits.from_env(env, workers=2)
    assert custom.max_body == 64 * 1024 and custom.export_slots == 3
    with pytest.raises(ValueError, match="whole number"):
        ServerLimits.from_env({"OBSERVATORY_EXPORT_QUEUE": "many"})
