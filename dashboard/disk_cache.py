"""Files kept in a private directory within a byte budget (oldest written go first).

Why bytes and not a file count: what fills a disk is bytes, and the sizes of what is kept vary
by a factor of a hundred (a page render is 50 KB to 3 MB, an export up to hundreds of MB). Each
write is atomic (temporary file + os.replace), so a reader in another worker never sees half a
file; the budget is checked after each write by listing the directory, and files written
longest ago are removed until the total fits. Best effort throughout: a failure to keep
something only costs drawing it again.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

LOG = logging.getLogger(__name__)


def read(file: Path | None) -> bytes | None:
    if file is None:
        return None
    try:
        return file.read_bytes()
    except OSError:
        return None


def directory_bytes(directory: Path) -> int:
    total = 0
    for entry in os.scandir(directory):
        try:
            total += entry.stat().st_size
        except OSError:
            continue
    return total


def _trim(directory: Path, budget: int) -> None:
    """Remove the oldest files of `directory` until its files total at most `budget` bytes."""
    files = []
    total = 0
    for entry in os.scandir(directory):
        try:
            info = entry.stat()
        except OSError:
            continue
        files.append((info.st_mtime_ns, info.st_size, entry.path))
        total += info.st_size
    for _, size, path in sorted(files):
        if total <= budget:
            break
        try:
            os.unlink(path)
            total -= size
        except OSError:
            continue


def write(file: Path | None, body: bytes, budget: int) -> None:
    """Keep `body` at `file` when it fits the budget of `file`'s directory (made 0700)."""
    if file is None or len(body) > budget:
        return
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.replace(tmp, file)
        _trim(file.parent, budget)
    except OSError as exc:
        LOG.warning("cache file not written: %s", type(exc).__name__)
