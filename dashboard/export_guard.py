"""What a download button may cost the server: kept exports, a few at a time, bounded size.

Why: an export of the whole region (a forged download callback needs no login) took 12 s and
~900 MB of a worker's memory, and four at once left no worker for pages. So, in order:
1. a selection longer than `public_export_months` is refused to readers who are not logged in
   (HTTP 403; `observatory export` has no such cap);
2. an export already made for this published file and this selection is sent from disk (the
   key is the file's identity, the page, the format and the canonical view: a publish changes
   the identity and the older files are removed);
3. otherwise the export takes one of a few slots shared by the workers (a lock file each);
   when all are taken it waits in a small queue (also lock files) for at most `export_wait`
   seconds, and past the queue or the wait the answer is 503 with Retry-After.
With the default slots and queue (dashboard.limits) at least one worker is never exporting, so
pages keep answering while exports run.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import flask
from werkzeug.exceptions import Forbidden, ServiceUnavailable

from dashboard import auth, data, disk_cache
from dashboard.limits import ServerLimits

LOG = logging.getLogger(__name__)
EXTENSION = "observatory_export_guard"
POLL = 0.1  # seconds between two looks for a free slot while queued


class Busy(ServiceUnavailable):
    """Every export slot and queue place is taken: try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("exports are busy; try again in a moment")
        self.retry_after = retry_after

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [*super().get_headers(*args, **kwargs), ("Retry-After", str(self.retry_after))]


class TooLarge(Forbidden):
    """A selection longer than a reader without login may export."""


class _Places:
    """`n` places, each held by one export at a time across the server's workers (an
    exclusive lock on a file each) or, without a shared directory, within this process."""

    def __init__(self, directory: Path | None, prefix: str, n: int) -> None:
        self._files = [directory / f"{prefix}-{i}.lock" for i in range(n)] if directory else []
        self._locks = [threading.Lock() for _ in range(n)] if directory is None else []

    def take(self) -> Callable[[], None] | None:
        """A release function for a free place, or None when all are held."""
        for lock in self._locks:
            if lock.acquire(blocking=False):
                return lock.release
        for file in self._files:
            handle: IO[bytes] = open(file, "ab")  # noqa: SIM115 (held until released)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            return handle.close  # closing the file releases its lock
        return None


class ExportGuard:
    def __init__(self, directory: Path | None, limits: ServerLimits) -> None:
        self.limits = limits
        self.directory = directory
        if directory is not None:
            (directory / "export-locks").mkdir(mode=0o700, parents=True, exist_ok=True)
        locks = directory / "export-locks" if directory is not None else None
        self._slots = _Places(locks, "slot", limits.export_slots)
        self._queue = _Places(locks, "queue", limits.export_queue)

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold an export slot for the duration, queuing briefly; raises Busy."""
        release = self._slots.take()
        if release is None:
            ticket = self._queue.take()
            if ticket is None:
                raise Busy(int(self.limits.export_wait) or 5)
            try:
                deadline = time.monotonic() + self.limits.export_wait
                while release is None and time.monotonic() < deadline:
                    time.sleep(POLL)
                    release = self._slots.take()
            finally:
                ticket()
            if release is None:
                raise Busy(int(self.limits.export_wait) or 5)
        try:
            yield
        finally:
            release()

    def _file(self, path: Path, key: tuple[object, ...]) -> Path | None:
        if self.directory is None:
            return None
        ident = hashlib.sha256(repr(data.identity(path)).encode()).hexdigest()[:32]
        return self.directory / "exports" / ident / hashlib.sha256(repr(key).encode()).hexdigest()

    def run(
        self,
        export: Callable[[], tuple[bytes, str]],
        path: Path,
        key: tuple[object, ...],
        months: int,
    ) -> tuple[bytes, str]:
        """`export()` within the limits, or its kept result for this published file."""
        if months > self.limits.public_export_months and auth.current_user() is None:
            LOG.warning("public export refused: %d months selected", months)
            raise TooLarge(f"at most {self.limits.public_export_months} months per download")
        file = self._file(path, key)
        kept = disk_cache.read(file)
        if kept is not None:  # the file name on the first line, then the content
            head, _, body = kept.partition(b"\n")
            return body, head.decode("utf-8")
        with self.slot():
            content, name = export()
        if file is not None:
            _drop_older(file.parent)
            budget = self.limits.export_cache_bytes
            disk_cache.write(file, name.encode("utf-8") + b"\n" + content, budget)
        return content, name


def _drop_older(current: Path) -> None:
    """Remove the exports kept for earlier published files (a publish replaced them)."""
    parent = current.parent
    if current.is_dir() or not parent.is_dir():
        return
    for old in parent.iterdir():
        if old.is_dir() and old != current:
            shutil.rmtree(old, ignore_errors=True)


def install(server: flask.Flask, directory: Path | None, limits: ServerLimits) -> None:
    server.extensions[EXTENSION] = ExportGuard(directory, limits)


def guard() -> ExportGuard:
    found = flask.current_app.extensions.get(EXTENSION)
    if isinstance(found, ExportGuard):
        return found
    return ExportGuard(None, ServerLimits())


def months_between(first: Any, last: Any) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1
