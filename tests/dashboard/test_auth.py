"""The pool-manager tier: password hashes, the users file, the session secret, login, and the
restricted detail (own pool only: anonymous → login, another pool → 403, page and CSV alike)."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path
from typing import Any

import pytest

from dashboard import auth
from dashboard.app import create_app

FAST = 1_000  # PBKDF2 iterations in tests (production: auth.ITERATIONS)


def write_users(path: Path, **users: tuple[str, str | None]) -> Path:
    lines = []
    for name, (pool, password) in users.items():
        lines.append(f"[users.{name}]")
        lines.append(f'pool = "{pool}"')
        if password is not None:
            lines.append(f'password_hash = "{auth.hash_password(password, iterations=FAST)}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    return write_users(
        tmp_path / "users.toml",
        alice=("technicity", "correct horse"),
        bob=("digitalcity", "battery staple"),
        sso_only=("technicity", None),
    )


def make_client(published: Path, users: Path, header: str | None = None) -> Any:
    settings = auth.AuthSettings(secret=b"k" * 32, users_file=users, trusted_header=header)
    return create_app(published, auth_settings=settings).server.test_client()


def csrf_of(client: Any) -> str:
    page = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def log_in(client: Any, name: str, password: str, next_path: str = "/") -> Any:
    token = csrf_of(client)
    return client.post(
        "/login", data={"csrf": token, "name": name, "password": password, "next": next_path}
    )


# ------------------------------------------------------------------ building blocks


def test_password_hash_round_trip_and_refusals() -> None:
    encoded = auth.hash_password("s3cret", iterations=FAST)
    assert encoded.startswith("pbkdf2_sha256$1000$") and "s3cret" not in encoded
    assert auth.verify_password("s3cret", encoded)
    assert not auth.verify_password("S3cret", encoded)
    assert auth.hash_password("s3cret", iterations=FAST) != encoded  # salted
    for broken in ("", None, "md5$1$a$b", "pbkdf2_sha256$x$a$b", "pbkdf2_sha256$1000$!!$??"):
        assert not auth.verify_password("s3cret", broken)


def test_users_file_is_read_and_a_user_without_pool_refused(tmp_path: Path) -> None:
    users = auth.load_users(write_users(tmp_path / "u.toml", ann=("technicity", "pw")))
    assert users["ann"].pool == "technicity" and users["ann"].password_hash
    bad = tmp_path / "bad.toml"
    bad.write_text('[users.x]\npassword_hash = "y"\n', encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="has no pool"):
        auth.load_users(bad)
    bad.write_text("not toml = = =", encoding="utf-8")
    with pytest.raises(auth.UsersFileError, match="cannot be read"):
        auth.load_users(bad)


def test_session_secret_from_env_or_a_private_key_file(tmp_path: Path) -> None:
    assert auth.session_secret({"OBSERVATORY_SESSION_SECRET": "x" * 32}, tmp_path) == b"x" * 32
    with pytest.raises(ValueError, match="at least 32"):
        auth.session_secret({"OBSERVATORY_SESSION_SECRET": "short"}, tmp_path)
    first = auth.session_secret({}, tmp_path / "secrets")
    key_file = tmp_path / "secrets" / "session.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(first) >= 32
    assert auth.session_secret({}, tmp_path / "secrets") == first  # made once, then reused


def test_settings_from_env(tmp_path: Path, users_file: Path) -> None:
    env = {
        "OBSERVATORY_SESSION_SECRET": "y" * 40,
        "OBSERVATORY_USERS_FILE": str(users_file),
        "OBSERVATORY_TRUSTED_USER_HEADER": "X-Remote-User",
    }
    settings = auth.AuthSettings.from_env(env, tmp_path)
    assert settings.users_file == users_file and settings.trusted_header == "X-Remote-User"
    only_secret = {"OBSERVATORY_SESSION_SECRET": "y" * 40}
    plain = auth.AuthSettings.from_env(only_secret, tmp_path / "empty")
    assert plain.users_file is None and plain.trusted_header is None
    # secrets/users.toml is the default users file when it exists
    assert auth.AuthSettings.from_env(only_secret, tmp_path).users_file == users_file


# ------------------------------------------------------------------ login and the detail


def test_anonymous_readers_are_sent_to_the_login_page(published: Path, users_file: Path) -> None:
    client = make_client(published, users_file)
    for url in ("/pool/technicity/detail", "/pool/technicity/detail.csv?lang=nl"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?lang=")
        assert "next=%2Fpool%2Ftechnicity%2Fdetail" in response.headers["Location"]
    page = client.get("/login?lang=en")
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)


def test_login_checks_token_and_password(published: Path, users_file: Path) -> None:
    client = make_client(published, users_file)
    no_token = client.post("/login", data={"name": "alice", "password": "correct horse"})
    assert no_token.status_code == 400
    assert log_in(client, "alice", "wrong").status_code == 401
    assert log_in(client, "nobody", "correct horse").status_code == 401
    assert log_in(client, "sso_only", "").status_code == 401  # no password: SSO only
    assert client.get("/pool/technicity/detail").status_code == 302  # still anonymous


def test_a_manager_sees_and_exports_the_own_pool_detail(published: Path, users_file: Path) -> None:
    client = make_client(published, users_file)
    response = log_in(client, "alice", "correct horse", "/pool/technicity/detail?lang=en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/pool/technicity/detail?lang=en"
    page = client.get("/pool/technicity/detail?lang=en&from=2024-01&to=2024-03")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Soudure (T-WELD)" in text
    assert "Développement web" not in text  # another pool's programme
    assert "Mar 2024" in text and "Dec 2023" not in text
    assert page.headers["Cache-Control"] == "no-store, private"
    csv_response = client.get("/pool/technicity/detail.csv?from=2024-01&to=2024-03")
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    text = csv_response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # BOM: Excel opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert {r["pool_id"] for r in rows} == {"technicity"}
    assert {r["month"] for r in rows} == {"2024-01", "2024-02", "2024-03"}
    assert len(rows) == 6  # 2 programmes x 3 months
    # primary suppression kept: a withheld count is empty with its flag, never a number
    suppressed = [r for r in rows if r["start_count_flag"] == "c"]
    assert suppressed and all(r["start_count"] == "" for r in suppressed)
    assert all(r["enrolment_count"].isdigit() for r in rows)


def test_a_manager_of_another_pool_gets_403_by_url_and_by_button(
    published: Path, users_file: Path
) -> None:
    client = make_client(published, users_file)
    log_in(client, "bob", "battery staple")
    assert client.get("/pool/digitalcity/detail").status_code == 200
    for url in (
        "/pool/technicity/detail",
        "/pool/technicity/detail.csv",
        "/pool/technicity/detail.csv?from=2024-01&to=2024-03&pool=digitalcity",
        "/pool/nowhere/detail",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Soudure" not in response.get_data(as_text=True)
    # the button on the technicity pool page leads to that same refused URL
    from datetime import date

    from dashboard.pages.pool import _detail_link
    from dashboard.state import ViewState

    link = _detail_link(ViewState("en", date(2024, 1, 1), date(2024, 3, 1)), "technicity")
    href = link.children[0].href
    assert href.startswith("/pool/technicity/detail")
    assert client.get(href).status_code == 403


def test_login_only_redirects_within_the_site(published: Path, users_file: Path) -> None:
    client = make_client(published, users_file)
    for evil in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = log_in(client, "alice", "correct horse", evil)
        assert response.headers["Location"] == "/"


def test_logout_and_a_removed_user_end_access(
    published: Path, users_file: Path, tmp_path: Path
) -> None:
    client = make_client(published, users_file)
    log_in(client, "alice", "correct horse")
    assert client.get("/pool/technicity/detail").status_code == 200
    page = client.get("/pool/technicity/detail").get_data(as_text=True)
    token = page.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    assert client.get("/pool/technicity/detail").status_code == 302
    log_in(client, "alice", "correct horse")
    write_users(users_file, bob=("digitalcity", "battery staple"))  # alice removed
    assert client.get("/pool/technicity/detail").status_code == 302


def test_trusted_header_only_when_enabled(published: Path, users_file: Path) -> None:
    sso = make_client(published, users_file, header="X-Remote-User")

    def status(url: str, user: str | None) -> int:
        headers = {"X-Remote-User": user} if user else {}
        code: int = sso.get(url, headers=headers).status_code
        return code

    assert status("/pool/technicity/detail", "sso_only") == 200
    assert status("/pool/digitalcity/detail", "sso_only") == 403
    assert status("/pool/technicity/detail", "mallory") == 401
    assert status("/pool/technicity/detail", None) == 401
    plain = make_client(published, users_file)
    forged = plain.get("/pool/technicity/detail", headers={"X-Remote-User": "sso_only"})
    assert forged.status_code == 302  # the header means nothing unless the operator enables it
