"""The dashboard's own plotly.js: only the trace types it draws, loaded while the server answers.

Dash's dcc.Graph fetches plotly.min.js (every trace type, 4.8 MB, 0.9 s of the browser's main
thread here) when the first chart mounts. The bundle under assets/vendor/ (built by
tools/plotly-bundle, same plotly.js version as the server's plotly.py) holds the five trace
types of dashboard/figures.py and the fr/nl locales (1.4 MB, 0.46 MB compressed);
assets/vendor/plotly-loader.js starts it at DOMContentLoaded and makes dcc.Graph wait for it.

Why Dash does not load the vendor files by itself: every .js under assets/ becomes a blocking
<script> of the page; the folder is left out of that walk and the loader is added here, with
the bundle's fingerprinted URL in its data-plotly attribute. A <link rel="preload"> in the
page's head (dashboard.page_meta) has the browser fetch it with the page's other scripts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dash import Dash

VENDOR = "vendor"
ASSETS = Path(__file__).resolve().parent / "assets"
BUNDLE = f"{VENDOR}/plotly-observatory.min.js"
LOADER = f"{VENDOR}/plotly-loader.js"
MANIFEST = ASSETS / VENDOR / "plotly-observatory.json"

# dcc's own chunks every page with a chart or a filter asks for once it renders: preloaded so
# that they arrive with the page's scripts instead of after the callbacks (kept by the browser
# and revalidated: their URL carries no version).
DCC_CHUNKS = ("async-graph.js", "async-dropdown.js")
# Pages without a chart (nor a filter): nothing is preloaded and the bundle is not started.
CHARTLESS = ("/data",)


def manifest() -> dict[str, Any]:
    """What tools/plotly-bundle/build.mjs wrote: versions, trace types, locales, SHA-256."""
    data: dict[str, Any] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def versioned_url(app: Dash, asset: str) -> str:
    """`/assets/<asset>?m=<mtime>`, the form Dash gives its own assets (cached a year)."""
    mtime = (ASSETS / asset).stat().st_mtime
    return f"{app.get_asset_url(asset)}?m={mtime}"


def bundle_url(app: Dash) -> str:
    return versioned_url(app, BUNDLE)


def install(app: Dash) -> None:
    """Keep assets/vendor out of Dash's <script> tags and add the loader (before the
    renderer's scripts, after React's)."""
    ignored = list(app.config.assets_path_ignore or [])
    app.config.assets_path_ignore = [*ignored, f"^{VENDOR}$"]
    app.scripts.append_script(
        {
            "asset_path": LOADER,
            "filepath": str(ASSETS / LOADER),
            "attributes": {"data-plotly": bundle_url(app), "data-skip": ",".join(CHARTLESS)},
        }
    )


def dcc_chunk_urls(app: Dash) -> list[str]:
    """The URLs dcc's webpack asks its async chunks under (without Dash's fingerprint)."""
    prefix = app.config.requests_pathname_prefix
    return [f"{prefix}_dash-component-suites/dash/dcc/{chunk}" for chunk in DCC_CHUNKS]


def preload_links(app: Dash, path: str) -> str:
    """<link rel="preload"> tags for the bundle and dcc's chunks, for the page's <head>."""
    if path.startswith(CHARTLESS):  # neither a chart nor a filter there
        return ""
    urls = [bundle_url(app), *dcc_chunk_urls(app)]
    return "".join(f'<link rel="preload" href="{u}" as="script">' for u in urls)
