"""Server-side state of the pool-manager tier: open sessions and recent failed logins.

Why a store and not only the signed cookie: a cookie that is valid by its signature alone
cannot be taken back. Here the cookie carries a random session id; the store knows which ids
are open, for whom, since when, and under which password. So a session ends at logout (its row
is deleted), at a password change (the row's credential fingerprint no longer matches the users
file), after its absolute lifetime (counted from the login, never refreshed), and none of that
is undone by a restart: the store is a small SQLite file in `data/secrets/` (mode 0600), shared
by the server's workers. Failed logins are counted there too, per account and per address, so a
brute-force limit holds across workers and restarts.

Only hashes of session ids are stored (a copy of the file does not open a session); no password
and no user name reaches a failure row (the account key is a keyed hash of the name).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS session ("
    " sid_hash TEXT PRIMARY KEY, user TEXT NOT NULL, credential TEXT NOT NULL,"
    " created REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS failure (key TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS failure_key ON failure (key, at)",
)


@dataclass(frozen=True)
class LoginLimits:
    """How many failed logins are allowed within `window` seconds, per account and per
    address, before further attempts are refused (HTTP 429) until the window has passed."""

    per_account: int = 5
    per_address: int = 20
    window: float = 900.0


@dataclass(frozen=True)
class OpenSession:
    user: str
    credential: str
    created: float


def credential_of(password_hash: str | None) -> str:
    """A fingerprint of the user's stored password hash: it changes with the password."""
    return hashlib.sha256((password_hash or "-").encode("utf-8")).hexdigest()[:32]


def _sid_hash(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class Store:
    """Sessions and failures in SQLite: a file shared by the workers, or memory (tests).

    One connection per process (a connection never crosses gunicorn's fork) and a lock
    around it, since a process may serve from threads (the development server)."""

    def __init__(self, path: Path | None, pepper: bytes) -> None:
        self.path = path
        self._pepper = pepper
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._pid = -1

    def _connection(self) -> sqlite3.Connection:
        if self._con is not None and self._pid == os.getpid():
            return self._con
        if self.path is None:
            con = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        else:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # data/secrets
            if not self.path.exists():  # created private: it names the managers with a session
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            con = sqlite3.connect(
                self.path, timeout=5.0, check_same_thread=False, isolation_level=None
            )
            con.execute("PRAGMA journal_mode=WAL")
        for statement in _SCHEMA:
            con.execute(statement)
        self._con, self._pid = con, os.getpid()
        return con

    def _run(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    # -- sessions ---------------------------------------------------------------------------

    def open(self, sid: str, user: str, credential: str, lifetime: float) -> None:
        now = time.time()
        self._run("DELETE FROM session WHERE created < ?", (now - lifetime,))
        self._run(
            "INSERT OR REPLACE INTO session VALUES (?, ?, ?, ?)",
            (_sid_hash(sid), user, credential, now),
        )

    def get(self, sid: str) -> OpenSession | None:
        rows = self._run(
            "SELECT user, credential, created FROM session WHERE sid_hash = ?", (_sid_hash(sid),)
        )
        if not rows:
            return None
        user, credential, created = rows[0]
        return OpenSession(str(user), str(credential), float(created))  # type: ignore[arg-type]

    def close(self, sid: str) -> None:
        self._run("DELETE FROM session WHERE sid_hash = ?", (_sid_hash(sid),))

    # -- failed logins ----------------------------------------------------------------------

    def _key(self, kind: str, value: str) -> str:
        digest = hmac.new(self._pepper, f"{kind}:{value}".encode(), hashlib.sha256)
        return f"{kind}:{digest.hexdigest()[:32]}"

    def retry_after(self, account: str, address: str, limits: LoginLimits) -> int:
        """Seconds until a login may be tried again for this account from this address; 0
        when it may be tried now."""
        now = time.time()
        wait = 0.0
        for kind, value, allowed in (
            ("account", account, limits.per_account),
            ("address", address, limits.per_address),
        ):
            rows = self._run(
                "SELECT at FROM failure WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                (self._key(kind, value), now - limits.window, max(0, allowed - 1)),
            )
            if rows:  # `allowed` failures within the window: wait until the oldest leaves it
                wait = max(wait, float(rows[0][0]) + limits.window - now)  # type: ignore[arg-type]
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, account: str, address: str, limits: LoginLimits) -> None:
        now = time.time()
        self._run("DELETE FROM failure WHERE at < ?", (now - limits.window,))
        for kind, value in (("account", account), ("address", address)):
            self._run("INSERT INTO failure VALUES (?, ?)", (self._key(kind, value), now))

    def succeeded(self, account: str) -> None:
        """A right password clears the account's count (the address keeps its own)."""
        self._run("DELETE FROM failure WHERE key = ?", (self._key("account", account),))
