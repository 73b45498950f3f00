"""How much one request may ask of the server: body size, export work, kept renders.

Why in one place: each limit protects the same thing (a few workers answering every reader)
from a different kind of request, and the operator reads and sets them together
(docs/operations.md). The defaults are safe for the default two workers:
- a request body above 256 KB is refused (413) before it is read: callbacks and the login form
  are a few KB;
- exports run at most `export_slots` at a time with `export_queue` more waiting, and with the
  defaults (derived from the worker count) at least one worker is always left for pages; past
  that a download answers 503 with Retry-After;
- a reader who is not logged in exports at most `public_export_months` months at once;
- finished exports and rendered pages are kept on disk within a byte budget each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

MAX_BODY_ENV: Final = "OBSERVATORY_MAX_REQUEST_KB"
EXPORT_SLOTS_ENV: Final = "OBSERVATORY_EXPORT_SLOTS"
EXPORT_QUEUE_ENV: Final = "OBSERVATORY_EXPORT_QUEUE"
EXPORT_WAIT_ENV: Final = "OBSERVATORY_EXPORT_WAIT_SECONDS"
PUBLIC_MONTHS_ENV: Final = "OBSERVATORY_PUBLIC_EXPORT_MONTHS"
EXPORT_CACHE_ENV: Final = "OBSERVATORY_EXPORT_CACHE_MB"
RENDER_CACHE_ENV: Final = "OBSERVATORY_RENDER_CACHE_MB"
MB: Final = 1024 * 1024


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}")
    return value


@dataclass(frozen=True)
class ServerLimits:
    max_body: int = 256 * 1024
    export_slots: int = 1
    export_queue: int = 1
    export_wait: float = 10.0
    public_export_months: int = 36
    export_cache_bytes: int = 256 * MB
    render_cache_bytes: int = 256 * MB

    @classmethod
    def from_env(cls, environ: Mapping[str, str], workers: int = 2) -> ServerLimits:
        """From the environment; export slots and queue default so that slots + queue stay
        below the worker count (one worker or more always answers pages)."""
        workers = max(1, workers)
        slots = max(1, workers // 2)
        queue = max(0, workers - 1 - slots)
        return cls(
            max_body=_int(environ, MAX_BODY_ENV, cls.max_body // 1024, 8) * 1024,
            export_slots=_int(environ, EXPORT_SLOTS_ENV, slots),
            export_queue=_int(environ, EXPORT_QUEUE_ENV, queue, 0),
            export_wait=float(_int(environ, EXPORT_WAIT_ENV, int(cls.export_wait), 0)),
            public_export_months=_int(environ, PUBLIC_MONTHS_ENV, cls.public_export_months),
            export_cache_bytes=_int(environ, EXPORT_CACHE_ENV, cls.export_cache_bytes // MB, 0)
            * MB,
            render_cache_bytes=_int(environ, RENDER_CACHE_ENV, cls.render_cache_bytes // MB, 0)
            * MB,
        )

    def notes(self, workers: int | None = None) -> list[str]:
        """The limits as the server announces them at start."""
        lines = [
            f"limits: request body {self.max_body // 1024} KB; exports {self.export_slots} at a "
            f"time, {self.export_queue} waiting (then 503); public exports up to "
            f"{self.public_export_months} months; caches {self.export_cache_bytes // MB} MB "
            f"(exports) and {self.render_cache_bytes // MB} MB (pages)"
        ]
        if workers is not None and self.export_slots + self.export_queue >= workers:
            lines.append(
                "exports may occupy every worker: pages wait while they run "
                f"(set {EXPORT_SLOTS_ENV} + {EXPORT_QUEUE_ENV} below --workers)"
            )
        return lines
