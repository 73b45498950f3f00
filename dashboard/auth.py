"""The pool-manager tier: who is logged in, and which pool's detail they may see.

Why this shape:
- The public tier needs no login and sees only the protected aggregates; a pool manager may
  see the finer detail (programme x month) of their own pool, and nothing of another pool's.
- Users live in a small TOML file the operator edits (`[users.<name>] pool = "…",
  password_hash = "pbkdf2_sha256$<iterations>$<salt>$<hash>"`), hashed with the standard
  library's PBKDF2 so no new dependency is needed. The file is re-read when it changes, so
  removing a user takes effect at their next request, without a restart.
- Single sign-on: when (and only when) the operator sets OBSERVATORY_TRUSTED_USER_HEADER, the
  reverse proxy's header names the user, mapped to a pool through the same file. Without that
  setting the header is ignored, so a client cannot log itself in by sending it.
- The session is Flask's signed cookie (HttpOnly, SameSite=Lax); its secret comes from
  OBSERVATORY_SESSION_SECRET or `secrets/session.key` (created once, mode 0600).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import flask

LOG = logging.getLogger(__name__)

SCHEME: Final = "pbkdf2_sha256"
ITERATIONS: Final = 600_000
USERS_FILE_ENV: Final = "OBSERVATORY_USERS_FILE"
TRUSTED_HEADER_ENV: Final = "OBSERVATORY_TRUSTED_USER_HEADER"
SECRET_ENV: Final = "OBSERVATORY_SESSION_SECRET"  # noqa: S105 (a variable name)
SECURE_COOKIE_ENV: Final = "OBSERVATORY_SECURE_COOKIES"
EXTENSION: Final = "observatory_auth"
SESSION_USER: Final = "user"
SESSION_CSRF: Final = "csrf"


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


def session_secret(environ: Mapping[str, str], secrets_dir: Path) -> bytes:
    """The session-signing secret: env first, else `secrets_dir/session.key` (made once)."""
    from_env = environ.get(SECRET_ENV, "")
    if from_env:
        if len(from_env) < 32:
            raise ValueError(f"{SECRET_ENV} must be at least 32 characters")
        return from_env.encode("utf-8")
    key_file = secrets_dir / "session.key"
    if not key_file.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
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


@dataclass(frozen=True)
class AuthSettings:
    """How the pool-manager tier is configured (no users file = nobody can log in)."""

    secret: bytes
    users_file: Path | None = None
    trusted_header: str | None = None
    secure_cookies: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str], secrets_dir: Path) -> AuthSettings:
        users = environ.get(USERS_FILE_ENV)
        default = secrets_dir / "users.toml"
        return cls(
            secret=session_secret(environ, secrets_dir),
            users_file=Path(users) if users else (default if default.exists() else None),
            trusted_header=environ.get(TRUSTED_HEADER_ENV) or None,
            secure_cookies=environ.get(SECURE_COOKIE_ENV, "") in ("1", "true", "yes"),
        )


class _Users:
    """The users file, re-read when its modification time changes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, User] = {}

    def get(self, name: str) -> User | None:
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
        except OSError:
            self._stamp, self._users = None, {}
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            try:
                self._users = load_users(self.path)
            except UsersFileError as exc:
                LOG.error("%s", exc)
                self._users = {}
            self._stamp = stamp
        return self._users.get(name)


def install(server: flask.Flask, settings: AuthSettings) -> None:
    """Configure the Flask session and remember the settings for `current_user`."""
    server.secret_key = settings.secret
    server.config.update(
        SESSION_COOKIE_NAME="observatory_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=8 * 3600,
    )
    server.extensions[EXTENSION] = (settings, _Users(settings.users_file))


def _installed() -> tuple[AuthSettings, _Users] | None:
    found = flask.current_app.extensions.get(EXTENSION)
    return found if isinstance(found, tuple) else None


def lookup(name: str) -> User | None:
    """The user of that name in the current users file, if any."""
    found = _installed()
    return None if found is None else found[1].get(name)


def current_user() -> User | None:
    """The pool manager of this request, or None (public tier)."""
    if not flask.has_request_context():
        return None
    found = _installed()
    if found is None:
        return None
    settings, users = found
    if settings.trusted_header:
        header_name = flask.request.headers.get(settings.trusted_header, "").strip()
        return users.get(header_name) if header_name else None
    session_name = flask.session.get(SESSION_USER)
    return users.get(session_name) if isinstance(session_name, str) else None


def authenticate(name: str, password: str) -> User | None:
    """The user when the password matches; the same work is done for an unknown name, so the
    response time does not tell which names exist."""
    user = lookup(name)
    if user is None or user.password_hash is None:
        verify_password(password, hash_password("-", iterations=ITERATIONS // 10))
        return None
    return user if verify_password(password, user.password_hash) else None


def log_in(user: User) -> None:
    """Start a fresh session for `user` (the old session's content is dropped)."""
    flask.session.clear()
    flask.session[SESSION_USER] = user.name
    flask.session[SESSION_CSRF] = secrets.token_urlsafe(24)
    flask.session.permanent = True


def log_out() -> None:
    flask.session.clear()


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
    found = _installed() if flask.has_app_context() else None
    return bool(found and found[0].trusted_header)


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
    users_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = users_file.with_name(users_file.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    os.replace(tmp, users_file)
