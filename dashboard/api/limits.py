"""A per-client request budget for the API: a sliding window of requests per address.

Why here and in memory: the API is read-only and cheap per page, but a script looping over
pages must not starve the dashboard's readers. Each worker keeps its own window (two workers:
twice the budget at most), enough to stop a runaway client without a shared store.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Final

REQUESTS: Final = 60  # per client address and window
WINDOW: Final = 60.0  # seconds
MAX_CLIENTS: Final = 10000  # addresses remembered at most (oldest forgotten first)


class Budget:
    """`allow(client)` → 0 when the request may go on, else the seconds to wait."""

    def __init__(self, requests: int = REQUESTS, window: float = WINDOW) -> None:
        self.requests = requests
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.pop(client, None) or deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            self._seen[client] = times  # re-inserted: most recent clients last
            if len(times) >= self.requests:
                return max(1, int(times[0] + self.window - now + 0.999))
            times.append(now)
            while len(self._seen) > MAX_CLIENTS:
                self._seen.pop(next(iter(self._seen)))
            return 0
