"""50 concurrent users on `observatory serve` over loopback, bounded in time (stdlib only).

Each user is a thread that, until the deadline, opens a random view the way a browser does
after its first visit (the HTML of the page, then the page-render callback that draws the
figures; the JS bundles are cached by then), then thinks 1-3 s before the next click. Every
request's latency and status is kept; a timeout or any status other than 200 is an error. The
workers' resident memory (VmRSS) is sampled every half second during the run.
"""

from __future__ import annotations

import random
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import children_of, load_average, rss_of, summary_ms
from bench.dashboard_bench import post
from bench.scenarios import page_payload, views


def _get(url: str, timeout: float) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return time.perf_counter() - started, status


def run_users(
    base: str,
    arbiter_pid: int,
    published: Path,
    users: int = 50,
    seconds: float = 60,
    timeout: float = 30,
    think: tuple[float, float] = (1.0, 3.0),
) -> dict[str, Any]:
    the_views = views(published)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    rss: dict[int, float] = {}
    stop = threading.Event()

    def record(seconds_taken: float, ok: bool, what: str) -> None:
        with lock:
            latencies.append(seconds_taken)
            if not ok:
                errors[what] = errors.get(what, 0) + 1

    def user(n: int) -> None:
        rng = random.Random(n)
        time.sleep(rng.uniform(0, think[1]))  # users arrive over the first seconds
        while time.monotonic() < deadline:
            view = rng.choice(the_views)
            try:
                took, status = _get(base + view.path + view.search, timeout)
                record(took, status == 200, f"GET {status}")
                took, status, _ = post(base, page_payload(view), timeout)
                record(took, status == 200, f"POST {status}")
            except OSError as exc:  # timeouts, refused or reset connections
                record(timeout, False, type(exc).__name__)
            time.sleep(rng.uniform(*think))

    def sample_rss() -> None:
        while not stop.wait(0.5):
            for pid in children_of(arbiter_pid):
                value = rss_of(pid)
                if value is not None:
                    rss[pid] = max(rss.get(pid, 0.0), value)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    before = load_average()
    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "latency": summary_ms(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "worker_peak_rss_mb": sorted(rss.values(), reverse=True),
        "arbiter_rss_mb": rss_of(arbiter_pid),
        "load_average_before": before,
        "load_average_after": load_average(),
    }
