"""Pages while exports run: GET / latency alone, then while readers hammer the download button.

Why: four forged region exports at once used to leave no worker for pages (GET / took 58 s). The
export guard (dashboard/export_guard.py) keeps at least one worker for pages and answers 503
past its slots and queue; this measures what a reader of the home page sees meanwhile. The
figure is a ratio against the unloaded GET / of the same run (no absolute target, no assertion):
`python -m bench.export_pressure --data-dir D [--workers 2 --exporters 4 --seconds 20]`.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from bench.common import OUT_DIR, summary_ms, write_result


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        r.read()
    return time.perf_counter() - started


def download_payload(output: str, search: str, fmt: str) -> dict[str, Any]:
    """The body a download button sends (page `region`, any selection in `search`)."""
    button = {"fmt": fmt, "page": "region", "type": "download"}
    changed = json.dumps(button, separators=(",", ":"), sort_keys=True) + ".n_clicks"
    return {
        "output": output,
        "outputs": {"id": "download-file", "property": "data"},
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": "_pages_location", "property": "search", "value": search},
            {"id": "_pages_location", "property": "pathname", "value": "/"},
        ],
        "changedPropIds": [changed],
    }


def _post(base: str, payload: dict[str, Any]) -> int:
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            r.read()
            return int(r.status)
    except urllib.error.HTTPError as exc:
        exc.read()
        return int(exc.code)


def searches(published: Path) -> list[str]:
    """Distinct public selections (12 months each, sliding): each one a fresh export."""
    from dashboard.formatting import month_code
    from dashboard.state import load_options

    months = list(load_options(published).months)
    out = []
    for end in range(len(months) - 1, 11, -1):
        first, last = months[end - 11], months[end]
        out.append(f"?lang=fr&from={month_code(first)}&to={month_code(last)}")
    return out


def pages_while_exporting(
    base: str, published: Path, exporters: int, seconds: float
) -> dict[str, Any]:
    with urllib.request.urlopen(base + "/_dash-dependencies", timeout=30) as r:
        deps = json.loads(r.read())
    output = next(str(d["output"]) for d in deps if "download-file.data" in str(d["output"]))
    alone = [_get(base + "/") for _ in range(20)]
    pending = searches(published)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def export_loop(i: int) -> None:
        n = i
        while time.monotonic() < stop:
            search = pending[n % len(pending)]
            status = _post(base, download_payload(output, search, "xlsx"))
            with lock:
                statuses[status] += 1
            n += exporters
            if status == 503:
                time.sleep(0.5)  # a reader clicking again a little later

    threads = [threading.Thread(target=export_loop, args=(i,)) for i in range(exporters)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    loaded: list[float] = []
    while time.monotonic() < stop:
        loaded.append(_get(base + "/"))
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    alone_ms, loaded_ms = summary_ms(alone), summary_ms(loaded)
    return {
        "exporters": exporters,
        "seconds": seconds,
        "get_home_alone": alone_ms,
        "get_home_while_exporting": loaded_ms,
        "p50_ratio": round(loaded_ms["p50_ms"] / alone_ms["p50_ms"], 2),
        "p95_ratio": round(loaded_ms["p95_ms"] / alone_ms["p95_ms"], 2),
        "export_statuses": dict(statuses),
    }


def main(argv: list[str] | None = None) -> int:
    from bench.server import serving

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--exporters", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args(argv)
    published = args.data_dir / "warehouse" / "published.duckdb"
    with serving(args.data_dir, args.workers, OUT_DIR / "export-pressure-serve.log") as (base, _):
        result = pages_while_exporting(base, published, args.exporters, args.seconds)
    print(json.dumps(result, indent=1))
    write_result("export-pressure", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
