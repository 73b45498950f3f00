"""Dashboard figures: server time of every callback, file sizes (the first pages in Chromium
are bench.page_load's).

Callbacks are timed over loopback against a running `observatory serve` (one request at a time,
so the round trip is the server's time plus well under a millisecond of loopback), with the
payloads the browser sends (bench.scenarios).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import load_average, summary_ms
from bench.scenarios import FILTER_OUTPUT, filter_cases, filter_payload, page_payload, views

# Debian's Chromium with the offline flags: also how the browser tests and screenshots launch it.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def post(base: str, payload: dict[str, Any], timeout: float = 120) -> tuple[float, int, int]:
    """POST one callback; (seconds, HTTP status, response bytes)."""
    body = json.dumps(payload).encode()
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            size = len(r.read())
            status = r.status
    except urllib.error.HTTPError as exc:
        size, status = len(exc.read()), exc.code
    return time.perf_counter() - started, status, size


def filter_output(base: str) -> str:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as r:
        deps = json.loads(r.read())
    return next(d["output"] for d in deps if str(d["output"]).startswith(FILTER_OUTPUT))


def callback_times(base: str, published: Path, repeats: int) -> dict[str, Any]:
    """p50/p95 per callback (the page render split by page): each view's first render, then
    every view `repeats` times more (answered from the pages kept per published file)."""
    the_views = views(published)
    # First renders: the server has just started; it drew the landing views before forking, so
    # the filtered views (a period, sex, sector… in the URL) are drawn here for the first time.
    # The first view is posted twice first: each worker reads the filter options once per
    # published file (kept afterwards), which is not a page's cost.
    post(base, page_payload(the_views[0]))
    post(base, page_payload(the_views[0]))
    first: dict[str, list[float]] = {}
    for v in the_views[1:]:
        seconds, _, _ = post(base, page_payload(v))
        kind = (
            "filtered (never drawn before)" if "from=" in v.search else "landing (drawn at start)"
        )
        first.setdefault(f"render {v.page}", []).append(seconds)
        first.setdefault(kind, []).append(seconds)
    samples: dict[str, list[float]] = {}
    errors: list[str] = []
    sizes: dict[str, list[int]] = {}
    for _ in range(repeats):
        for v in the_views:
            seconds, status, size = post(base, page_payload(v))
            key = f"render {v.page}"
            samples.setdefault(key, []).append(seconds)
            sizes.setdefault(key, []).append(size)
            if status != 200:
                errors.append(f"{status} {v.path}{v.search}")
        output = filter_output(base)
        for values, search in filter_cases(published):
            seconds, status, _ = post(base, filter_payload(output, values, search))
            samples.setdefault("filters to URL", []).append(seconds)
            if status not in (200, 204):
                errors.append(f"{status} filters {values}")
    every = [s for key, vals in samples.items() for s in vals]
    return {
        "views": len(the_views),
        "first_render": {k: summary_ms(v) for k, v in first.items()},
        "repeats": repeats,
        "per_callback": {k: summary_ms(v) for k, v in samples.items()},
        "all": summary_ms(every),
        "response_kb_p50": {k: round(sorted(v)[len(v) // 2] / 1024, 1) for k, v in sizes.items()},
        "errors": errors,
        "load_average": load_average(),
    }


def sizes(warehouse: Path, published: Path) -> dict[str, Any]:
    w, p = warehouse.stat().st_size, published.stat().st_size
    return {
        "warehouse_mb": round(w / 1e6, 1),
        "published_mb": round(p / 1e6, 1),
        "published_to_warehouse": round(p / w, 3),
    }
