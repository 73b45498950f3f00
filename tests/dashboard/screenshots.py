"""Take the PNG screenshots of docs/screenshots/ (one language) from a published file:
`<page>.png` in French, `<page>-nl.png` in Dutch, `<page>-en.png` in English.

Run: `.venv/bin/python -m tests.dashboard.screenshots data/warehouse/published.duckdb fr`
(then `… nl`).
Not a test: a helper kept beside the browser tests because it starts the app the same way.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from bench.dashboard_bench import CHROMIUM, CHROMIUM_FLAGS
from dashboard.app import create_app

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    "region": "/",
    "region-official-map": "/?map=official_jobseekers",
    "pool-technicity": "/pool/technicity",
    "pool-planned-horeca": "/pool/horeca",
    "labour-market": "/labour-market",
    "compare": "/compare",
    "data": "/data",
}


def main(published: Path, lang: str, out: Path) -> None:
    app = create_app(published)
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(
                "**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort()
            )
            for name, path in PAGES.items():
                sep = "&" if "?" in path else "?"
                page.goto(f"http://127.0.0.1:{server.server_port}{path}{sep}lang={lang}")
                page.wait_for_selector("main#main h1")
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)  # let plotly finish drawing (screenshots only)
                suffix = "" if lang == "fr" else f"-{lang}"
                page.screenshot(path=str(out / f"{name}{suffix}.png"), full_page=True)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(
        Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "fr", ROOT / "docs" / "screenshots"
    )
