"""The process's read-only connections to the published file, the per-file memo and `query`.

Why kept open and checked per request: opening costs ~50 ms, and a publish is an `os.replace`
that gives the file a new identity (inode, mtime, size). Each request checks the identity once
(`session`): a new identity closes the old connection (DuckDB returns old data to a process that
still holds one) and starts an empty memo, so nothing computed from an earlier publish is served.
`enable_external_access=false`: even a mistaken query cannot read another file.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import duckdb
import pandas as pd

from dashboard.data.allowlists import MARTS


class DataUnavailable(RuntimeError):
    """The published file is missing, damaged or not yet complete (maintenance page)."""


# (path, st_ino, st_mtime_ns, st_size): changes at every publish, which is an os.replace.
FileIdentity = tuple[str, int, int, int]
_KEEP_FILES: Final = 4  # distinct published paths a process keeps open (tests use several)
_MEMO_ITEMS: Final = 256  # memoised values per published file (options, rendered pages)
_MEMO_BYTES: Final = 64 * 1024 * 1024  # bytes values (rendered pages) per published file


def identity(path: Path) -> FileIdentity:
    """The published file's identity; DataUnavailable when it is missing."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DataUnavailable(f"published file not found: {path.name}") from exc
    return (os.path.realpath(path), st.st_ino, st.st_mtime_ns, st.st_size)


class Memo:
    """A small LRU of values computed from one published file identity (thread-safe).

    Why bounded by count and by bytes: rendered pages are kept as JSON bytes (50-600 KB each)
    and a worker must stay well under 400 MB whatever URLs readers invent."""

    def __init__(self, ident: FileIdentity) -> None:
        self.identity = ident
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old) if isinstance(old, bytes) else 0
            self._items[key] = value
            self._bytes += len(value) if isinstance(value, bytes) else 0
            while len(self._items) > _MEMO_ITEMS or self._bytes > _MEMO_BYTES:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped) if isinstance(dropped, bytes) else 0

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class _Open:
    """The process's read-only connection to one published file, at one identity."""

    identity: FileIdentity
    con: duckdb.DuckDBPyConnection


# One connection per published path per process, reused by every request until the file's
# identity changes. Guarded by one lock: gunicorn's workers are processes (threads of one
# worker take turns, which costs nothing on CPU-bound renders under the GIL).
_LOCK = threading.RLock()
_OPEN: OrderedDict[str, _Open] = OrderedDict()
_MEMOS: dict[str, Memo] = {}
_PID = [os.getpid()]
_SESSION: ContextVar[tuple[Path, duckdb.DuckDBPyConnection, FileIdentity] | None] = ContextVar(
    "published_session", default=None
)


def _forked() -> None:
    """After a fork (gunicorn preload) forget the parent's connections without closing them:
    the parent owns them."""
    if _PID[0] != os.getpid():
        _OPEN.clear()
        _MEMOS.clear()
        _PID[0] = os.getpid()


def _close(key: str) -> None:
    entry = _OPEN.pop(key, None)
    if entry is not None:
        with suppress(duckdb.Error):
            entry.con.close()


def _current(path: Path) -> tuple[duckdb.DuckDBPyConnection, FileIdentity]:
    """The connection to the file now at `path` (caller holds _LOCK).

    DuckDB shares one database instance per path inside a process: a new connection to a path
    that still has an open connection sees the OLD file. So the old connection is closed before
    the new one opens, and there is never more than one per path."""
    _forked()
    try:
        ident = identity(path)
    except DataUnavailable:
        _close(os.path.realpath(path))
        raise
    key = ident[0]
    entry = _OPEN.get(key)
    if entry is not None and entry.identity == ident:
        _OPEN.move_to_end(key)
        return entry.con, ident
    _close(key)
    con = _connect(path)
    _OPEN[key] = _Open(ident, con)
    while len(_OPEN) > _KEEP_FILES:
        _close(next(iter(_OPEN)))
    return con, ident


def close_all() -> None:
    """Close every connection of this process (tests; a worker's exit)."""
    with _LOCK:
        for key in list(_OPEN):
            _close(key)
        _MEMOS.clear()


def memo(path: Path) -> Memo:
    """The memo of the published file now at `path` (within a session: the session's file).

    A new identity starts an empty memo, so nothing computed from an earlier publish is ever
    served once the new file is in place."""
    current = _SESSION.get()
    ident = current[2] if current is not None and current[0] == path else identity(path)
    with _LOCK:
        _forked()
        found = _MEMOS.get(ident[0])
        if found is None or found.identity != ident:
            found = Memo(ident)
            _MEMOS[ident[0]] = found
        return found


@contextmanager
def session(path: Path) -> Iterator[None]:
    """The process's connection for the queries of one request: the file is checked once at
    the start (one stat), so one request never mixes two published versions, and the next
    request after a publish opens the new file."""
    if _SESSION.get() is not None:
        yield
        return
    with _LOCK:
        con, ident = _current(path)
        token = _SESSION.set((path, con, ident))
        try:
            yield
        except DataUnavailable:
            _close(ident[0])  # reopened by the next request (a damaged file stays unavailable)
            raise
        finally:
            _SESSION.reset(token)


@contextmanager
def connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """The request's connection when inside `session(path)`, else the process's connection."""
    current = _SESSION.get()
    if current is not None and current[0] == path:
        yield current[1]
        return
    with _LOCK:
        con, _ = _current(path)
        yield con


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection that cannot touch any other file."""
    try:
        return duckdb.connect(
            str(path),
            read_only=True,
            config={"enable_external_access": False, "threads": 2},
        )
    except duckdb.Error as exc:
        raise DataUnavailable(f"published file cannot be opened: {type(exc).__name__}") from exc


def _broken(path: Path) -> None:
    """Forget the connection after a storage error: the next request reopens the file."""
    with _LOCK:
        _close(os.path.realpath(path))


def query(path: Path, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    """Run one read statement with bound parameters; storage errors → DataUnavailable."""
    with connect(path) as con:
        try:
            result = con.execute(sql, list(params))
            columns = [d[0] for d in result.description or []]
            # fetchall + from_records: .df() and Arrow→pandas cost ~1 s a call with pandas 3.
            return pd.DataFrame.from_records(result.fetchall(), columns=columns)
        except duckdb.CatalogException as exc:
            raise DataUnavailable(f"published file incomplete: {type(exc).__name__}") from exc
        except (
            duckdb.IOException,
            duckdb.InternalException,
            duckdb.SerializationException,
            duckdb.FatalException,
        ) as exc:
            if _SESSION.get() is None:
                _broken(path)
            raise DataUnavailable(f"published file damaged: {type(exc).__name__}") from exc


def check(path: Path) -> None:
    """Raise DataUnavailable unless the file opens and holds the catalogue and the marts
    (checked once per published file identity; a failure is never remembered)."""
    with session(path):
        found = memo(path)
        if found.get(_CHECKED) is None:
            _check(path)
            found.put(_CHECKED, True)


_CHECKED = ("data.check",)


def _check(path: Path) -> None:
    frame = query(
        path,
        "SELECT count(*) AS n FROM duckdb_tables() WHERE schema_name = 'marts'"
        " AND table_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(MARTS)],
    )
    query(path, "SELECT count(*) FROM meta.indicator")
    if int(frame["n"].iloc[0]) == 0:
        raise DataUnavailable("published file holds no marts")


def relation_exists(path: Path, schema: str, name: str) -> bool:
    """Whether the published file holds the relation; kept per file identity (~4 ms a query,
    asked on every render of the region and data pages)."""
    key = ("relation_exists", schema, name)
    kept = memo(path).get(key)
    if kept is not None:
        return bool(kept)
    frame = query(
        path,
        "SELECT count(*) AS n FROM information_schema.tables"
        " WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    )
    found = int(frame["n"].iloc[0]) > 0
    memo(path).put(key, found)
    return found
