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


def make_client(published: Path, users: Path, header: str | None = None, **more: Any) -> Any:
    settings = auth.AuthSettings(secret=b"k" * 32, users_file=users, trusted_header=header, **more)
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
    proxies = auth.parse_proxies("127.0.0.1/32")
    sso = make_client(published, users_file, header="X-Remote-User", trusted_proxies=proxies)

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


# ------------------------------------------------------------------ issue 15: the attacks


def test_the_sign_on_header_is_honoured_only_from_a_trusted_proxy(
    published: Path, users_file: Path
) -> None:
    """Attack: `curl -H "X-Remote-User: anna" …/detail.csv` from anywhere."""
    url = "/pool/technicity/detail.csv"
    no_proxy = make_client(published, users_file, header="X-Remote-User")
    for value in ("sso_only", "SSO_ONLY", "  sso_only  "):
        response = no_proxy.get(url, headers={"X-Remote-User": value})
        assert response.status_code == 302 and "Soudure" not in response.get_data(as_text=True)
    notes = auth.startup_notes(auth.AuthSettings(b"k" * 32, trusted_header="X-Remote-User"), "h")
    assert "IGNORED" in notes[0] and auth.PROXIES_ENV in notes[0]

    proxies = auth.parse_proxies("10.0.0.0/8, 192.168.1.7")
    sso = make_client(published, users_file, header="X-Remote-User", trusted_proxies=proxies)
    via_proxy = {"REMOTE_ADDR": "10.1.2.3"}
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}

    def status(value: str, environ: dict[str, str]) -> int:
        code: int = sso.get(url, headers={"X-Remote-User": value}, environ_base=environ).status_code
        return code

    assert status("sso_only", via_proxy) == 200
    assert status("  SSO_only ", via_proxy) == 200  # normalised: trimmed, case-folded
    assert status("sso_only", elsewhere) == 401  # not from the proxy: ignored
    for odd in ("sso_only, alice", "sso only", "sso_only\x00", "x" * 200):
        assert status(odd, via_proxy) == 401, odd
    doubled = sso.get(
        url,
        headers=[("X-Remote-User", "sso_only"), ("X-Remote-User", "bob")],
        environ_base=via_proxy,
    )
    assert doubled.status_code == 401
    with pytest.raises(ValueError, match="not an address"):
        auth.parse_proxies("10.0.0.0/8, proxy.example")


@pytest.mark.parametrize(
    "evil",
    [
        "/\t/127.0.0.1:9999/",
        "/%09/127.0.0.1:9999/",
        "/\n/x",
        "/%0a/x",
        "/\r\nSet-Cookie: x=1",
        "/%2F%2Fevil.example/",
        "/login",
        "/ /evil.example",
        "/pool/../..//evil.example",
    ],
)
def test_login_never_redirects_off_site_nor_fails(
    published: Path, users_file: Path, evil: str
) -> None:
    """Attack: `next=/%09/127.0.0.1:9999/` gave `Location: //127.0.0.1:9999/`; `/%0a/x` a 500."""
    client = make_client(published, users_file)
    form = client.get("/login?next=" + evil.replace("\n", "%0a").replace("\t", "%09"))
    assert form.status_code == 200
    response = log_in(client, "alice", "correct horse", evil)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_login_goes_back_to_a_page_of_the_site(published: Path, users_file: Path) -> None:
    client = make_client(published, users_file)
    target = "/pool/technicity/detail?lang=en&from=2024-01&to=2024-03"
    assert log_in(client, "alice", "correct horse", target).headers["Location"] == target


def _cookie(client: Any) -> str:
    found = client.get_cookie("observatory_session")
    assert found is not None
    value: str = found.value
    return value


def _with_cookie(published: Path, users: Path, cookie: str, **more: Any) -> Any:
    thief = make_client(published, users, **more)
    thief.set_cookie("observatory_session", cookie)
    return thief


def test_logout_ends_the_session_for_a_copied_cookie_also_after_a_restart(
    published: Path, users_file: Path, tmp_path: Path
) -> None:
    """Attack: a cookie copied before `POST /logout` still downloaded detail.csv."""
    store: dict[str, Any] = {"store": tmp_path / "secrets" / "sessions.sqlite3"}
    client = make_client(published, users_file, **store)
    log_in(client, "alice", "correct horse")
    copied = _cookie(client)
    assert (
        _with_cookie(published, users_file, copied, **store)
        .get("/pool/technicity/detail.csv")
        .status_code
        == 200
    )  # a restarted server (same store) keeps an open session
    assert stat.S_IMODE(store["store"].stat().st_mode) == 0o600
    page = client.get("/pool/technicity/detail").get_data(as_text=True)
    token = page.split('name="csrf" value="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf": token}).status_code == 303
    for _ in range(2):  # the running server, then a restarted one
        thief = _with_cookie(published, users_file, copied, **store)
        response = thief.get("/pool/technicity/detail.csv")
        assert response.status_code == 302 and "Soudure" not in response.get_data(as_text=True)


def test_a_password_change_ends_every_session_of_that_user(
    published: Path, users_file: Path, tmp_path: Path
) -> None:
    store: dict[str, Any] = {"store": tmp_path / "sessions.sqlite3"}
    client = make_client(published, users_file, **store)
    log_in(client, "alice", "correct horse")
    other = make_client(published, users_file, **store)
    log_in(other, "bob", "battery staple")
    copied = _cookie(client)
    assert client.get("/pool/technicity/detail.csv").status_code == 200
    # the operator changes alice's password (what `observatory user alice` does)
    auth.set_user(users_file, "alice", "technicity", "a brand new password")
    assert client.get("/pool/technicity/detail.csv").status_code == 302
    assert (
        _with_cookie(published, users_file, copied, **store)
        .get("/pool/technicity/detail.csv")
        .status_code
        == 302
    )
    assert other.get("/pool/digitalcity/detail").status_code == 200  # bob is not affected


def test_a_session_has_an_absolute_lifetime(published: Path, users_file: Path) -> None:
    import time

    client = make_client(published, users_file, session_lifetime=0.6)
    log_in(client, "alice", "correct horse")
    assert client.get("/pool/technicity/detail").status_code == 200  # a request, no refresh
    time.sleep(0.7)
    assert client.get("/pool/technicity/detail").status_code == 302


def test_repeated_failed_logins_are_refused_with_429(
    published: Path, users_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Attack: 401 wrong passwords in 52.6 s, then the right one worked."""
    import time

    from dashboard.sessions import LoginLimits

    limits = LoginLimits(per_account=3, per_address=5, window=1.0)
    client = make_client(published, users_file, limits=limits)
    caplog.set_level("WARNING")
    for i in range(3):
        assert log_in(client, "alice", f"guess number {i}").status_code == 401
    locked = log_in(client, "alice", "correct horse")  # the right password, too late
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 1
    assert client.get("/pool/technicity/detail").status_code == 302
    assert "correct horse" not in caplog.text and "guess number" not in caplog.text
    assert "too many failures" in caplog.text
    # per address: other accounts from the same address count too
    assert log_in(client, "bob", "wrong one").status_code == 401
    assert log_in(client, "nobody", "wrong two").status_code == 401
    assert log_in(client, "bob", "battery staple").status_code == 429
    elsewhere = {"REMOTE_ADDR": "198.51.100.7"}

    def from_elsewhere(name: str, password: str) -> int:
        form = {"csrf": csrf_of(client), "name": name, "password": password}
        code: int = client.post("/login", data=form, environ_base=elsewhere).status_code
        return code

    assert from_elsewhere("bob", "wrong three") == 401  # another address: bob may try
    assert from_elsewhere("alice", "correct horse") == 429  # the account stays locked
    time.sleep(1.1)  # the window has passed
    assert log_in(client, "alice", "correct horse").status_code == 303


def test_unknown_names_cost_the_same_hashing_as_real_ones(
    published: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attack: unknown names answered in 32 ms, real ones in 140-155 ms."""
    import hashlib

    client = make_client(published, users_file)
    log_in(client, "nobody", "warm up the dummy hash")
    real = hashlib.pbkdf2_hmac
    calls: list[int] = []

    def counting(name: str, password: bytes, salt: bytes, iterations: int) -> bytes:
        calls.append(iterations)
        return real(name, password, salt, iterations)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    work = {}
    for name in ("alice", "nobody", "sso_only", "Alice", ""):
        calls.clear()
        log_in(client, name, "a wrong password")
        work[name] = list(calls)
    assert work["alice"] == [FAST]
    assert all(spent == work["alice"] for spent in work.values()), work


def test_cookies_are_secure_unless_plain_http_on_loopback(
    published: Path, users_file: Path, tmp_path: Path
) -> None:
    env = {"OBSERVATORY_SESSION_SECRET": "y" * 40}
    assert auth.AuthSettings.from_env(env, tmp_path).secure_cookies
    plain = {**env, "OBSERVATORY_SECURE_COOKIES": "0"}
    assert not auth.AuthSettings.from_env(plain, tmp_path, host="127.0.0.1").secure_cookies
    assert auth.AuthSettings.from_env(plain, tmp_path, host="0.0.0.0").secure_cookies
    notes = auth.startup_notes(auth.AuthSettings.from_env(plain, tmp_path), "127.0.0.1", plain)
    assert any("NOT Secure" in n for n in notes)
    public = auth.AuthSettings.from_env(plain, tmp_path, host="192.0.2.10")
    notes = auth.startup_notes(public, "192.0.2.10", plain)
    assert "OBSERVATORY_SECURE_COOKIES=0 IGNORED" in notes[0]
    assert any("session cookies: Secure" in n for n in notes)
    client = make_client(published, users_file)  # the dataclass default: Secure
    set_cookie = log_in(client, "alice", "correct horse").headers["Set-Cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie


def test_the_secrets_folder_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "secrets"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    auth.session_secret({}, folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    fresh = tmp_path / "data" / "secrets"
    auth.set_user(fresh / "users.toml", "anna", "technicity", "long enough secret")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
