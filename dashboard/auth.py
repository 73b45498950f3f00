"""The pool-manager tier: who is logged in, and which pool's detail they may see.

Why this shape:
- The public tier needs no login and sees only the protected aggregates; a pool manager may
  see the finer detail (programme x month) of their own pool, and nothing of another pool's.
- Users live in a small TOML file the operator edits (`[users.<name>] pool = "…",
  password_hash = "pbkdf2_sha256$<iterations>$<salt>$<hash>"`), hashed with the standard
  library's PBKDF2 so no new dependency is needed. The file is re-read when it changes, so
  removing a user takes effect at their next request, without a restart.
- Single sign-on: the reverse proxy's header (OBSERVATORY_TRUSTED_USER_HEADER) names the user,
  mapped to a pool through the same file, and only when the request comes from a proxy address
  the operator lists (OBSERVATORY_TRUSTED_PROXIES, CIDRs). With no proxy listed the header is
  ignored (and the server says so at start), so a client cannot log itself in by sending it.
- The session cookie (Flask's, signed, HttpOnly, SameSite=Lax, Secure unless the operator serves
  plain HTTP on loopback) carries only a random session id; the session itself lives in a
  server-side store (dashboard.sessions), so logout and a password change end it, and it has an
  absolute lifetime. Its secret comes from OBSERVATORY_SESSION_SECRET or `secrets/session.key`
  (created once, mode 0600).
- Failed logins are limited per account and per address (HTTP 429 with Retry-After); an unknown
  name costs the same PBKDF2 work as a real one, so response times do not tell names apart.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import logging
import os
import secrets
import time
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import flask

from dashboard.sessions import LoginLimits, Store, credential_of

LOG = logging.getLogger(__name__)

SCHEME: Final = "pbkdf2_sha256"
ITERATIONS: Final = 600_000
USERS_FILE_ENV: Final = "OBSERVATORY_USERS_FILE"
TRUSTED_HEADER_ENV: Final = "OBSERVATORY_TRUSTED_USER_HEADER"
SECRET_ENV: Final = "OBSERVATORY_SESSION_SECRET"  # noqa: S105 (a variable name)
SECURE_COOKIE_ENV: Final = "OBSERVATORY_SECURE_COOKIES"
PROXIES_ENV: Final = "OBSERVATORY_TRUSTED_PROXIES"
SESSION_HOURS_ENV: Final = "OBSERVATORY_SESSION_HOURS"
LOGIN_ACCOUNT_ENV: Final = "OBSERVATORY_LOGIN_FAILURES_PER_ACCOUNT"
LOGIN_ADDRESS_ENV: Final = "OBSERVATORY_LOGIN_FAILURES_PER_ADDRESS"
LOGIN_WINDOW_ENV: Final = "OBSERVATORY_LOGIN_WINDOW_SECONDS"
EXTENSION: Final = "observatory_auth"
SESSION_ID: Final = "sid"
SESSION_CSRF: Final = "csrf"
_G_USER: Final = "observatory_user"
MAX_NAME: Final = 100
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginThrottled(Exception):
    """Too many failed logins for this account or address: try again in `retry_after` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry in {retry_after} s")
        self.retry_after = retry_after


class UsersFileError(ValueError):
    """The users file cannot be used (unreadable, not TOML, a user without a pool)."""


@dataclass(frozen=True)
class User:
    """A pool manager: their login name and the one pool whose detail they may see."""

    name: str
    pool: str
    password_hash: str | None = None


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """`pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>` (what the users file stores)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    b64 = base64.b64encode
    return f"{SCHEME}${iterations}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, encoded: str | None) -> bool:
    """Whether `password` matches `encoded`; False (never an error) for a malformed hash."""
    if not encoded:
        return False
    try:
        scheme, iterations, salt, expected = encoded.split("$")
        if scheme != SCHEME or not 1 <= int(iterations) <= 10_000_000:
            return False
        digest = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations)
        )
        return hmac.compare_digest(digest, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


def load_users(path: Path) -> dict[str, User]:
    """The users of a users file, by name."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        reason = type(exc).__name__
        raise UsersFileError(f"users file {path.name} cannot be read: {reason}") from exc
    users: dict[str, User] = {}
    for name, entry in (raw.get("users") or {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("pool"), str):
            raise UsersFileError(f"users file {path.name}: user {name!r} has no pool")
        password_hash = entry.get("password_hash")
        users[str(name)] = User(
            str(name), entry["pool"], password_hash if isinstance(password_hash, str) else None
        )
    return users


def private_dir(path: Path) -> None:
    """Create `path` readable by its owner only (0700), and close an existing one to others:
    it holds keys, the users' hashes and the session store."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
        path.chmod(0o700)


def session_secret(environ: Mapping[str, str], secrets_dir: Path) -> bytes:
    """The session-signing secret: env first, else `secrets_dir/session.key` (made once)."""
    from_env = environ.get(SECRET_ENV, "")
    if from_env:
        if len(from_env) < 32:
            raise ValueError(f"{SECRET_ENV} must be at least 32 characters")
        return from_env.encode("utf-8")
    key_file = secrets_dir / "session.key"
    private_dir(secrets_dir)
    if not key_file.exists():
        try:  # O_EXCL: several workers starting at once agree on one key
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32))
    secret = key_file.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise ValueError(f"{key_file} holds a key shorter than 32 characters")
    return secret.encode("ascii")


def parse_proxies(text: str) -> tuple[Network, ...]:
    """`10.0.0.1, 192.168.0.0/24, ::1` → networks; a malformed entry is an error at start."""
    found: list[Network] = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                found.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"{PROXIES_ENV}: {part.strip()!r} is not an address") from exc
    return tuple(found)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _number(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    value = float(raw)
    if not value > 0:
        raise ValueError(f"{name} must be a positive number")
    return value


@dataclass(frozen=True)
class AuthSettings:
    """How the pool-manager tier is configured (no users file = nobody can log in).

    The defaults are the safe ones: Secure cookies, no trusted proxy (so no single sign-on),
    8-hour sessions, 5 failed logins per account and 20 per address in 15 minutes. `store`
    None keeps sessions in the process's memory (tests); the server uses a file."""

    secret: bytes
    users_file: Path | None = None
    trusted_header: str | None = None
    trusted_proxies: tuple[Network, ...] = ()
    secure_cookies: bool = True
    store: Path | None = None
    session_lifetime: float = 8 * 3600.0
    limits: LoginLimits = field(default_factory=LoginLimits)

    @property
    def sso(self) -> bool:
        """Whether the single sign-on header is honoured (a header and a proxy to trust)."""
        return bool(self.trusted_header and self.trusted_proxies)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str], secrets_dir: Path, host: str = "127.0.0.1"
    ) -> AuthSettings:
        """From the environment; plain-HTTP cookies (OBSERVATORY_SECURE_COOKIES=0) only when
        the server listens on loopback, else the setting is ignored and cookies stay Secure."""
        users = environ.get(USERS_FILE_ENV)
        default = secrets_dir / "users.toml"
        plain = environ.get(SECURE_COOKIE_ENV, "").strip().lower() in ("0", "false")
        limits = LoginLimits(
            per_account=int(_number(environ, LOGIN_ACCOUNT_ENV, LoginLimits.per_account)),
            per_address=int(_number(environ, LOGIN_ADDRESS_ENV, LoginLimits.per_address)),
            window=_number(environ, LOGIN_WINDOW_ENV, LoginLimits.window),
        )
        return cls(
            secret=session_secret(environ, secrets_dir),
            users_file=Path(users) if users else (default if default.exists() else None),
            trusted_header=(environ.get(TRUSTED_HEADER_ENV) or "").strip() or None,
            trusted_proxies=parse_proxies(environ.get(PROXIES_ENV, "")),
            secure_cookies=not (plain and is_loopback(host)),
            store=secrets_dir / "sessions.sqlite3",
            session_lifetime=_number(environ, SESSION_HOURS_ENV, 8.0) * 3600,
            limits=limits,
        )


def startup_notes(
    settings: AuthSettings, host: str, environ: Mapping[str, str] | None = None
) -> list[str]:
    """What the operator must know at start: the sign-on mode and the cookie mode."""
    notes = []
    asked_plain = (environ or {}).get(SECURE_COOKIE_ENV, "").strip().lower() in ("0", "false")
    if asked_plain and settings.secure_cookies:
        notes.append(f"{SECURE_COOKIE_ENV}=0 IGNORED: {host} is not a loopback address")
    if settings.trusted_header and not settings.trusted_proxies:
        notes.append(
            f"single sign-on header {settings.trusted_header} IGNORED: no {PROXIES_ENV} set "
            "(managers log in with the form)"
        )
    elif settings.sso:
        proxies = ", ".join(str(n) for n in settings.trusted_proxies)
        notes.append(
            f"single sign-on: header {settings.trusted_header} honoured from {proxies} only"
        )
    else:
        notes.append("sign-on: login form (no single sign-on header)")
    if settings.secure_cookies:
        notes.append("session cookies: Secure (served over HTTPS by the proxy)")
    else:
        notes.append(f"session cookies NOT Secure: plain HTTP on loopback ({host}) by choice")
    limits = settings.limits
    notes.append(
        f"sessions end after {settings.session_lifetime / 3600:g} h; logins refused after "
        f"{limits.per_account} failures per account or {limits.per_address} per address "
        f"within {limits.window:g} s"
    )
    return notes


def normalise_name(value: str) -> str | None:
    """A user name as a header or form gives it → the form it is looked up under (NFKC,
    trimmed, case-folded); None for what cannot be a name (empty, too long, inner spaces,
    control characters, a list)."""
    name = unicodedata.normalize("NFKC", value).strip()
    if not name or len(name) > MAX_NAME:
        return None
    if any(c.isspace() or not c.isprintable() or c in ",;" for c in name):
        return None
    return name.casefold()


class _Users:
    """The users file, re-read when its modification time changes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, User] = {}
        self._folded: dict[str, User | None] = {}
        self._dummies: dict[int, str] = {}

    def _current(self) -> dict[str, User]:
        if self.path is None:
            return {}
        try:
            stat = self.path.stat()
        except OSError:
            self._stamp, self._users, self._folded = None, {}, {}
            return {}
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            try:
                self._users = load_users(self.path)
            except UsersFileError as exc:
                LOG.error("%s", exc)
                self._users = {}
            folded: dict[str, User | None] = {}
            for name, user in self._users.items():  # two names equal once folded: neither
                key = normalise_name(name)
                if key is not None:
                    folded[key] = None if key in folded else user
            self._folded = folded
            self._stamp = stamp
        return self._users

    def get(self, name: str) -> User | None:
        return self._current().get(name)

    def by_header(self, value: str) -> User | None:
        """The user a single sign-on header names (normalised, case-insensitive)."""
        self._current()
        key = normalise_name(value)
        return None if key is None else self._folded.get(key)

    def dummy_hash(self) -> str:
        """A hash costing what the users' hashes cost (their largest iteration count), checked
        for an unknown name so that it takes as long as a real one."""
        counts = [ITERATIONS]  # no user with a password yet: the production cost
        for user in self._current().values():
            parts = (user.password_hash or "").split("$")
            if len(parts) == 4 and parts[1].isdigit() and 1 <= int(parts[1]) <= 10_000_000:
                counts.append(int(parts[1]))
        iterations = max(counts[1:]) if len(counts) > 1 else ITERATIONS
        if iterations not in self._dummies:
            self._dummies[iterations] = hash_password(
                secrets.token_urlsafe(16), iterations=iterations
            )
        return self._dummies[iterations]


def install(server: flask.Flask, settings: AuthSettings) -> None:
    """Configure the Flask session and remember the settings for `current_user`."""
    server.secret_key = settings.secret
    server.config.update(
        SESSION_COOKIE_NAME="observatory_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=int(settings.session_lifetime),
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    store = Store(settings.store, settings.secret)
    server.extensions[EXTENSION] = (settings, _Users(settings.users_file), store)


def _installed() -> tuple[AuthSettings, _Users, Store] | None:
    found = flask.current_app.extensions.get(EXTENSION)
    return found if isinstance(found, tuple) else None


def lookup(name: str) -> User | None:
    """The user of that name in the current users file, if any."""
    found = _installed()
    return None if found is None else found[1].get(name)


def _from_trusted_proxy(settings: AuthSettings) -> bool:
    try:
        peer = ipaddress.ip_address(flask.request.remote_addr or "")
    except ValueError:
        return False
    return any(peer in network for network in settings.trusted_proxies)


def client_address() -> str:
    """The client's address: the peer, or the proxy's last X-Forwarded-For hop when the peer
    is a trusted proxy (a client-sent X-Forwarded-For from elsewhere is ignored)."""
    peer = flask.request.remote_addr or "?"
    found = _installed()
    if found is not None and found[0].trusted_proxies and _from_trusted_proxy(found[0]):
        hops = [h.strip() for h in flask.request.headers.get("X-Forwarded-For", "").split(",")]
        if hops and hops[-1]:
            return hops[-1][:64]
    return peer


def current_user() -> User | None:
    """The pool manager of this request, or None (public tier)."""
    if not flask.has_request_context():
        return None
    found = _installed()
    if found is None:
        return None
    settings, users, store = found
    if settings.sso:
        if not _from_trusted_proxy(settings):
            return None
        values = flask.request.headers.getlist(settings.trusted_header or "")
        return users.by_header(values[0]) if len(values) == 1 else None
    if _G_USER in flask.g:  # looked up once per request (pages, render cache, export guard)
        cached: User | None = flask.g.get(_G_USER)
        return cached
    user = _session_user(settings, users, store)
    setattr(flask.g, _G_USER, user)
    return user


def _session_user(settings: AuthSettings, users: _Users, store: Store) -> User | None:
    sid = flask.session.get(SESSION_ID)
    if not isinstance(sid, str):
        return None
    opened = store.get(sid)
    if opened is None:
        return None
    user = users.get(opened.user)
    expired = time.time() - opened.created > settings.session_lifetime
    if expired or user is None or credential_of(user.password_hash) != opened.credential:
        store.close(sid)  # past its lifetime, user removed or password changed: ended
        return None
    return user


def authenticate(name: str, password: str) -> User | None:
    """The user when the password matches, else None; raises LoginThrottled past the limits.

    An unknown name (or one without a password) costs the same PBKDF2 work as a real one, so
    the response time does not tell which names exist."""
    found = _installed()
    if found is None:
        return None
    settings, users, store = found
    account, address = (normalise_name(name) or "?"), client_address()
    wait = store.retry_after(account, address, settings.limits)
    if wait:
        raise LoginThrottled(wait)
    user = users.get(name)
    real = user is not None and user.password_hash is not None
    encoded = user.password_hash if user is not None and user.password_hash else users.dummy_hash()
    if verify_password(password, encoded) and real:
        store.succeeded(account)
        return user
    store.failed(account, address, settings.limits)
    return None


def log_in(user: User) -> None:
    """Start a fresh session for `user` (the old session's content is dropped)."""
    found = _installed()
    if found is None:
        return
    settings, _, store = found
    log_out()
    setattr(flask.g, _G_USER, user)
    sid = secrets.token_urlsafe(32)
    store.open(sid, user.name, credential_of(user.password_hash), settings.session_lifetime)
    flask.session[SESSION_ID] = sid
    flask.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    flask.session.permanent = True


def log_out() -> None:
    """End the session in the store (a copied cookie no longer opens it) and in the cookie."""
    found = _installed()
    sid = flask.session.get(SESSION_ID)
    if found is not None and isinstance(sid, str):
        found[2].close(sid)
    flask.session.clear()
    flask.g.pop(_G_USER, None)


def csrf_token() -> str:
    """The session's form token (created on first use)."""
    token = flask.session.get(SESSION_CSRF)
    if isinstance(token, str):
        return token
    fresh = secrets.token_urlsafe(24)
    flask.session[SESSION_CSRF] = fresh
    return fresh


def csrf_ok(sent: str | None) -> bool:
    expected = flask.session.get(SESSION_CSRF)
    return isinstance(expected, str) and bool(sent) and hmac.compare_digest(expected, sent or "")


def trusted_header_enabled() -> bool:
    """Whether managers sign on through the proxy's header (then there is no login form)."""
    found = _installed() if flask.has_app_context() else None
    return bool(found and found[0].sso)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_user(users_file: Path, name: str, pool: str, password: str) -> None:
    """Add a pool manager to the users file, or change their pool and password.

    The file is rewritten whole (users sorted by name) through a temporary file and
    `os.replace`, mode 0600, so a running dashboard never reads half a file."""
    if not name or any(c.isspace() for c in name):
        raise UsersFileError("a user name must be one word")
    if len(password) < 12:
        raise UsersFileError("a password must have at least 12 characters")
    users: dict[str, dict[str, str]] = {}
    if users_file.exists():
        data = tomllib.loads(users_file.read_text(encoding="utf-8"))
        users = {k: dict(v) for k, v in data.get("users", {}).items()}
    users[name] = {"pool": pool, "password_hash": hash_password(password)}
    lines = ["# Pool managers: who may see the programme-level detail of which pool.", ""]
    for user in sorted(users):
        lines.append(f"[users.{_toml_string(user)}]")
        for key, value in users[user].items():
            lines.append(f"{key} = {_toml_string(str(value))}")
        lines.append("")
    if users_file.parent.name == "secrets":
        private_dir(users_file.parent)
    else:
        users_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = users_file.with_name(users_file.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, users_file)
